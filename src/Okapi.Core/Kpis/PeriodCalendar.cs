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

    /// <summary>The summary of a single reading: one value on its local date.</summary>
    public KpiDay DayOf(KpiReading reading) =>
        new(CycleWindow.DateOf(reading.At, Zone), 1, reading.Value, reading.Value, reading.Value, reading.At.UtcDateTime, reading.Value);

    /// <summary>
    /// The readings summarised by local date, oldest first; of two readings at one instant the later in the input
    /// is the day's last.
    /// </summary>
    public IReadOnlyList<KpiDay> Days(IEnumerable<KpiReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var days = new List<KpiDay>();
        // The zone is consulted once per day rather than once per reading: ingestion summarises millions of them.
        var (day, from, to) = (default(DateOnly), DateTimeOffset.MaxValue, DateTimeOffset.MinValue);
        var (count, sum, min, max, lastAt, lastValue) = (0, 0.0, 0.0, 0.0, default(DateTime), 0.0);
        // OrderBy is stable, so of two readings at one instant the later in the input stays later. Readings mostly come
        // in order already, and are then taken as they are.
        foreach (var reading in InOrder(readings) ? readings : readings.OrderBy(r => r.At))
        {
            if (reading.At < from || reading.At >= to)
            {
                if (count > 0)
                {
                    days.Add(new KpiDay(day, count, sum, min, max, lastAt, lastValue));
                }

                day = CycleWindow.DateOf(reading.At, Zone);
                (from, to) = (StartOf(day), StartOf(day.AddDays(1)));
                (count, sum, min, max) = (0, 0.0, reading.Value, reading.Value);
            }

            count++;
            sum += reading.Value;
            min = Math.Min(min, reading.Value);
            max = Math.Max(max, reading.Value);
            (lastAt, lastValue) = (reading.At.UtcDateTime, reading.Value);
        }

        if (count > 0)
        {
            days.Add(new KpiDay(day, count, sum, min, max, lastAt, lastValue));
        }

        return days;
    }

    private static bool InOrder(IEnumerable<KpiReading> readings)
    {
        if (readings is not IReadOnlyList<KpiReading> list)
        {
            return false;
        }

        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].At < list[i - 1].At)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The periods that hold at least one reading, oldest first, each aggregated. A period with no reading is
    /// left out rather than given a value, since only sum and count would have one (zero).
    /// For <see cref="PeriodAggregation.Last"/>, readings with the same instant are resolved by input order.
    /// </summary>
    public IReadOnlyList<KpiPeriod> Aggregate(IEnumerable<KpiReading> readings, Cadence cadence, PeriodAggregation aggregation) =>
        AggregateDays(Days(readings), cadence, aggregation);

    /// <summary>
    /// The periods that hold at least one day, oldest first, each aggregated from the summaries of its days: the
    /// one place a period's value is computed, whether from raw readings or from stored day summaries.
    /// </summary>
    public IReadOnlyList<KpiPeriod> AggregateDays(IEnumerable<KpiDay> days, Cadence cadence, PeriodAggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(days);
        var periods = new List<KpiPeriod>();
        foreach (var group in days.OrderBy(d => d.Day).GroupBy(d => PeriodStart(d.Day, cadence)))
        {
            var total = group.Aggregate((sum, day) => sum.Then(day));
            periods.Add(new KpiPeriod(group.Key, NextPeriodStart(group.Key, cadence), StartOf(group.Key), total.Value(aggregation), total.Count));
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
        return previous.End == last.Start ? Change(previous.Value, last.Value) : null;
    }

    /// <summary>
    /// Relative change from the value of a period to that of the period right after it; null when the first is 0, or
    /// so close to 0 that the change overflows (it would say nothing either).
    /// </summary>
    public static double? Change(double previous, double last)
    {
        var change = (last - previous) / Math.Abs(previous);
        return previous == 0 || !double.IsFinite(change) ? null : change;
    }
}
