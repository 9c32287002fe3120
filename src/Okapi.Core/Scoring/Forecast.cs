using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Core.Scoring;

/// <summary>How a forecast was made: `trend` (a robust linear fit over the check-ins), `pace` (fewer than three check-ins: progress against the expected pace) or `final` (outside the cycle: the progress itself).</summary>
public enum ForecastMethod
{
    /// <summary>Robust linear fit (Theil–Sen) over the check-ins.</summary>
    Trend,

    /// <summary>Fewer than three check-ins: current progress divided by the expected pace.</summary>
    Pace,

    /// <summary>The cycle has ended or not started: the forecast is the progress itself.</summary>
    Final,
}

/// <summary>Projected progress at cycle end, with an uncertainty band [Low, High].</summary>
public readonly record struct Forecast(double Value, double Low, double High, ForecastMethod Method);

/// <summary>One observed value of a key result.</summary>
public readonly record struct Observation(DateTimeOffset At, double Value);

public static class Forecasting
{
    public const int MinimumForTrend = 3;

    /// <summary>
    /// Projects the key result's progress at the end of <paramref name="window"/>. With three or more
    /// check-ins it fits a Theil–Sen line (median of pairwise slopes, robust to outliers) and takes the
    /// band from the quartiles of the pairwise slopes; with fewer it extrapolates the pace.
    /// </summary>
    public static Forecast Project(KeyResult keyResult, IReadOnlyList<Observation> history, CycleWindow window, DateTimeOffset now)
    {
        var progress = keyResult.Progress();
        if (now >= window.End || now < window.Start)
        {
            return new Forecast(progress, progress, progress, ForecastMethod.Final);
        }

        var points = history.Where(o => o.At <= now).ToArray();
        if (points.Length < MinimumForTrend || points.Select(p => p.At).Distinct().Count() < 2)
        {
            return FromPace(progress, Grades.ExpectedPace(window, now));
        }

        var xs = points.Select(p => (p.At - window.Start).TotalDays).ToArray();
        var ys = points.Select(p => p.Value).ToArray();
        var slopes = new List<double>(xs.Length * (xs.Length - 1) / 2);
        for (var i = 0; i < xs.Length; i++)
        {
            for (var j = i + 1; j < xs.Length; j++)
            {
                if (xs[j] != xs[i])
                {
                    slopes.Add((ys[j] - ys[i]) / (xs[j] - xs[i]));
                }
            }
        }

        slopes.Sort();
        var slope = Quantile(slopes, 0.5);
        var intercept = Median(xs.Select((x, i) => ys[i] - slope * x));
        var xEnd = window.Length.TotalDays;
        var xMid = Median(xs);
        double ProjectAt(double s) => keyResult.ProgressAt(intercept + slope * xMid + s * (xEnd - xMid));

        var value = keyResult.ProgressAt(intercept + slope * xEnd);
        var a = ProjectAt(Quantile(slopes, 0.25));
        var b = ProjectAt(Quantile(slopes, 0.75));
        return new Forecast(value, Math.Min(Math.Min(a, b), value), Math.Max(Math.Max(a, b), value), ForecastMethod.Trend);
    }

    /// <summary>Pace extrapolation: at half time with half the progress, the forecast is full progress.</summary>
    public static Forecast FromPace(double progress, double expectedPace)
    {
        if (expectedPace <= 0)
        {
            return new Forecast(progress, progress, progress, ForecastMethod.Final);
        }

        var value = Math.Clamp(progress / expectedPace, 0, 1);
        var low = Math.Min(progress, value);
        var high = Math.Clamp(value + (value - low), 0, 1);
        return new Forecast(value, low, high, ForecastMethod.Pace);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return Quantile(sorted, 0.5);
    }

    /// <summary>Linear-interpolated quantile of an ascending list.</summary>
    private static double Quantile(List<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}
