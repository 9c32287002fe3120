namespace Okapi.Core.Scoring;

/// <summary>A grade's band: `red`, `yellow` or `green`.</summary>
public enum GradeColour
{
    Red,
    Yellow,
    Green,
}

/// <summary>A status from the forecast: `onTrack`, `atRisk` or `offTrack`.</summary>
public enum OkrStatus
{
    OnTrack,
    AtRisk,
    OffTrack,
}

/// <summary>Grading, colour bands and status thresholds of PRODUCT.md §1.</summary>
public static class Grades
{
    public const double OnTrackFrom = 0.7;
    public const double AtRiskFrom = 0.4;

    /// <summary>The grade at cycle close: progress rounded to one decimal (0.65 → 0.7).</summary>
    public static double Grade(double progress) =>
        Math.Round(Math.Clamp(progress, 0, 1) * 10, MidpointRounding.AwayFromZero) / 10;

    /// <summary>A key result's grade: the one set at the close, else the grade of its progress.</summary>
    public static double Of(Okrs.KeyResult keyResult) => keyResult.FinalGrade ?? Grade(keyResult.Progress());

    /// <summary>0.0–0.3 red, 0.4–0.6 yellow, 0.7–1.0 green.</summary>
    public static GradeColour Colour(double grade) => Grade(grade) switch
    {
        < 0.35 => GradeColour.Red,
        < 0.65 => GradeColour.Yellow,
        _ => GradeColour.Green,
    };

    /// <summary>Status from the forecast progress at cycle end.</summary>
    public static OkrStatus Status(double forecast) => forecast switch
    {
        >= OnTrackFrom => OkrStatus.OnTrack,
        >= AtRiskFrom => OkrStatus.AtRisk,
        _ => OkrStatus.OffTrack,
    };

    /// <summary>The status at <paramref name="now"/>; none before the cycle has started.</summary>
    public static OkrStatus? StatusAt(Organisations.CycleWindow window, DateTimeOffset now, double forecast) =>
        now < window.Start ? null : Status(forecast);

    /// <summary>Expected pace at <paramref name="now"/>: the share of the window that has passed.</summary>
    public static double ExpectedPace(Organisations.CycleWindow window, DateTimeOffset now) =>
        window.Length <= TimeSpan.Zero ? 1 : Math.Clamp((now - window.Start) / window.Length, 0, 1);
}
