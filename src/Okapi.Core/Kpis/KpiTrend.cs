namespace Okapi.Core.Kpis;

/// <summary>
/// Where a KPI's recent periods are heading: an ordinary least-squares line through the period values against the
/// periods' first instants, read at a later instant. A KPI is a steady series, unlike a key result's few check-ins,
/// so a plain fit over a window of periods is enough; the linter's stretch check asks it where the KPI ends a cycle.
/// </summary>
public static class KpiTrend
{
    /// <summary>How many of a KPI's latest periods the trend is fitted over.</summary>
    public const int Periods = 12;

    /// <summary>Fewer periods than this make no trend worth projecting.</summary>
    public const int MinimumPeriods = 3;

    /// <summary>
    /// The fitted line's value at <paramref name="at"/>, in the terms of a period starting then; null with fewer
    /// than <see cref="MinimumPeriods"/> periods, when they all start at one instant, or when the line overflows.
    /// </summary>
    public static double? ProjectAt(IReadOnlyList<KpiPeriod> periods, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(periods);
        if (periods.Count < MinimumPeriods)
        {
            return null;
        }

        var origin = periods[0].StartUtc;
        var xs = periods.Select(p => (p.StartUtc - origin).TotalDays).ToArray();
        var meanX = xs.Average();
        var meanY = periods.Average(p => p.Value);
        var sxx = xs.Sum(x => (x - meanX) * (x - meanX));
        if (sxx == 0)
        {
            return null;
        }

        var slope = xs.Select((x, i) => (x - meanX) * (periods[i].Value - meanY)).Sum() / sxx;
        var projected = meanY + slope * ((at - origin).TotalDays - meanX);
        return double.IsFinite(projected) ? projected : null;
    }
}
