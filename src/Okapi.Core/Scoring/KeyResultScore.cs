using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Core.Scoring;

/// <summary>Everything computed about a key result at one instant.</summary>
public sealed record KeyResultScore(
    double Progress,
    double Attainment,
    double ExpectedPace,
    Forecast Forecast,
    OkrStatus? Status,
    bool Stale,
    double Grade,
    GradeColour GradeColour,
    Confidence? LastConfidence,
    bool ConfidenceDisagrees,
    double? ShareSatisfied,
    DateTimeOffset? LastCheckInAt)
{
    /// <summary>
    /// Scores a key result from its check-ins (any order) within its cycle's window at <paramref name="now"/>.
    /// A closed key result keeps its recorded grade.
    /// </summary>
    public static KeyResultScore Compute(KeyResult keyResult, IReadOnlyCollection<CheckIn> checkIns, CycleWindow window, DateTimeOffset now)
    {
        var ordered = checkIns.OrderBy(c => c.At).ToList();
        var history = ordered.Select(c => new Observation(new DateTimeOffset(c.At), c.Value)).ToList();
        var progress = keyResult.Progress();
        var pace = Grades.ExpectedPace(window, now);
        var forecast = Forecasting.Project(keyResult, history, window, now);
        var status = Grades.StatusAt(window, now, forecast.Value);
        var last = ordered.LastOrDefault();
        var lastConfidence = ordered.LastOrDefault(c => c.Confidence is not null)?.Confidence;
        var grade = Grades.Of(keyResult);
        double? shareSatisfied = keyResult.Type is KeyResultType.StayAbove or KeyResultType.StayBelow && ordered.Count > 0
            ? (double)ordered.Count(c => keyResult.Satisfies(c.Value)) / ordered.Count
            : null;
        var lastAt = last is null ? (DateTimeOffset?)null : new DateTimeOffset(last.At);
        var stale = Staleness.IsStale(lastAt, keyResult.UpdateRhythmDays, window, now, new DateTimeOffset(keyResult.CreatedAt));

        return new KeyResultScore(progress, keyResult.Attainment(), pace, forecast, status, stale, grade,
            Grades.Colour(grade), lastConfidence, Disagrees(lastConfidence, status), shareSatisfied, lastAt);
    }

    /// <summary>The person says on track while the data say off track, or the other way round.</summary>
    public static bool Disagrees(Confidence? confidence, OkrStatus? status) =>
        (confidence, status) is (Confidence.OnTrack, OkrStatus.OffTrack) or (Confidence.OffTrack, OkrStatus.OnTrack);
}

public static class Staleness
{
    /// <summary>
    /// A key result is stale while its cycle runs and no check-in arrived within its update rhythm,
    /// counted from the last check-in, or from the later of the cycle start and its creation.
    /// </summary>
    public static bool IsStale(DateTimeOffset? lastCheckIn, int rhythmDays, CycleWindow window, DateTimeOffset now, DateTimeOffset createdAt)
    {
        if (!window.Contains(now))
        {
            return false;
        }

        var since = lastCheckIn ?? (createdAt > window.Start ? createdAt : window.Start);
        return now - since > TimeSpan.FromDays(rhythmDays);
    }
}
