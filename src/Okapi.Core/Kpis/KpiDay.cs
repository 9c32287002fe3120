namespace Okapi.Core.Kpis;

/// <summary>
/// What a KPI's values on one local date of the organisation's time zone add up to. Every period (a day, a week
/// from any week start, a month) is a union of whole days in every zone, so periods are aggregated from days alone
/// and a read never needs the raw values. Kept at write time; rebuilt from the values when the time zone changes.
/// </summary>
public sealed record KpiDay(DateOnly Day, int Count, double Sum, double Min, double Max, DateTime LastAt, double LastValue)
{
    public Guid KpiId { get; init; }

    /// <summary>The mean of the day's values.</summary>
    public double Mean => Sum / Count;

    /// <summary>
    /// This summary and a later one (its values all after this one's) as one: what a period made of both holds.
    /// The day is this one's, the first.
    /// </summary>
    public KpiDay Then(KpiDay later)
    {
        ArgumentNullException.ThrowIfNull(later);
        var (lastAt, lastValue) = later.LastAt >= LastAt ? (later.LastAt, later.LastValue) : (LastAt, LastValue);
        return this with
        {
            Count = Count + later.Count,
            Sum = Sum + later.Sum,
            Min = Math.Min(Min, later.Min),
            Max = Math.Max(Max, later.Max),
            LastAt = lastAt,
            LastValue = lastValue,
        };
    }

    /// <summary>The value of the values summarised here by <paramref name="aggregation"/>.</summary>
    public double Value(PeriodAggregation aggregation) => aggregation switch
    {
        PeriodAggregation.Last => LastValue,
        PeriodAggregation.Sum => Sum,
        PeriodAggregation.Average => Sum / Count,
        PeriodAggregation.Min => Min,
        PeriodAggregation.Max => Max,
        PeriodAggregation.Count => Count,
        _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, null),
    };
}
