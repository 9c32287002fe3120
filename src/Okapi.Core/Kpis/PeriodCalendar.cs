using Okapi.Core.Organisations;

namespace Okapi.Core.Kpis;

/// <summary>
/// Cuts time into the periods of a cadence as the organisation sees them: days and months of its time zone,
/// weeks starting on its week-start day. Periods are identified by their first local date.
/// </summary>
public sealed record PeriodCalendar(TimeZoneInfo Zone, DayOfWeek WeekStart)
{
    public static PeriodCalendar For(Organisation organisation) =>
        new(organisation.FindTimeZone(), organisation.WeekStart);

    /// <summary>The first local date of the period that holds the instant <paramref name="at"/>.</summary>
    public DateOnly PeriodStart(DateTimeOffset at, Cadence cadence) =>
        PeriodStart(CycleWindow.DateOf(at, Zone), cadence);

    /// <summary>The first local date of the period that holds <paramref name="date"/>.</summary>
    public DateOnly PeriodStart(DateOnly date, Cadence cadence) => cadence switch
    {
        Cadence.Daily => date,
        Cadence.Weekly => date.AddDays(-(((int)date.DayOfWeek - (int)WeekStart + 7) % 7)),
        Cadence.Monthly => new DateOnly(date.Year, date.Month, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, null),
    };

    /// <summary>The first local date of the period after the one starting on <paramref name="start"/>.</summary>
    public static DateOnly NextPeriodStart(DateOnly start, Cadence cadence) => Shift(start, cadence, 1);

    /// <summary>The first local date of the period before the one starting on <paramref name="start"/>.</summary>
    public static DateOnly PreviousPeriodStart(DateOnly start, Cadence cadence) => Shift(start, cadence, -1);

    /// <summary>
    /// The first local date of the oldest of the last <paramref name="count"/> periods, the newest being the one
    /// that holds <paramref name="at"/>: where a read of a KPI's latest periods starts.
    /// </summary>
    public DateOnly LastPeriodsStart(DateTimeOffset at, Cadence cadence, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Shift(PeriodStart(at, cadence), cadence, -(count - 1));
    }

    /// <summary>The first local date <paramref name="periods"/> periods after (or before, if negative) a period's first date.</summary>
    private static DateOnly Shift(DateOnly start, Cadence cadence, int periods) => cadence switch
    {
        Cadence.Daily => start.AddDays(periods),
        Cadence.Weekly => start.AddDays(7 * periods),
        Cadence.Monthly => start.AddMonths(periods),
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, null),
    };

    /// <summary>The instant a local date begins; DST makes this offset differ from period to period.</summary>
    public DateTimeOffset StartOf(DateOnly date) => CycleWindow.StartOfDay(date, Zone);

    /// <summary>
    /// The periods that hold at least one reading, oldest first, each aggregated. A period with no reading is
    /// left out rather than given a value, since only sum and count would have one (zero).
    /// For <see cref="PeriodAggregation.Last"/>, readings with the same instant are resolved by input order.
    /// </summary>
    public IReadOnlyList<KpiPeriod> Aggregate(IEnumerable<KpiReading> readings, Cadence cadence, PeriodAggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var periods = new List<KpiPeriod>();
        // OrderBy is stable, so of two readings at one instant the later in the input counts as last.
        foreach (var group in readings.OrderBy(r => r.At).GroupBy(r => PeriodStart(r.At, cadence)))
        {
            var values = group.Select(r => r.Value).ToList();
            var value = aggregation switch
            {
                PeriodAggregation.Last => values[^1],
                PeriodAggregation.Sum => values.Sum(),
                PeriodAggregation.Average => values.Average(),
                PeriodAggregation.Min => values.Min(),
                PeriodAggregation.Max => values.Max(),
                PeriodAggregation.Count => values.Count,
                _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, null),
            };
            periods.Add(new KpiPeriod(group.Key, NextPeriodStart(group.Key, cadence), StartOf(group.Key), value, values.Count));
        }

        return periods;
    }
}

/// <summary>
/// One period of a KPI: local dates [<paramref name="Start"/>, <paramref name="End"/>), the instant it starts,
/// its aggregated value and how many readings made it.
/// </summary>
public sealed record KpiPeriod(DateOnly Start, DateOnly End, DateTimeOffset StartUtc, double Value, int Count)
{
    /// <summary>
    /// Relative change of the last period against the one right before it ((last − previous) / |previous|, so a
    /// rise is positive even below zero). Null with fewer than two periods, when the period before the last holds
    /// no reading (comparing with an older one would not be period over period), or when the previous value is 0.
    /// </summary>
    public static double? Change(IReadOnlyList<KpiPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        if (periods.Count < 2)
        {
            return null;
        }

        var (previous, last) = (periods[^2], periods[^1]);
        if (previous.End != last.Start || previous.Value == 0)
        {
            return null;
        }

        return (last.Value - previous.Value) / Math.Abs(previous.Value);
    }
}
