using CsCheck;
using Okapi.Core.Kpis;

namespace Okapi.Core.Tests.Kpis;

public class KpiDayTests
{
    private static readonly TimeZoneInfo[] Zones =
    [
        TimeZoneInfo.Utc,
        TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"), // +05:30 all year
        TimeZoneInfo.FindSystemTimeZoneById("America/St_Johns"), // -03:30 with DST
        TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), // DST at 02:00
        TimeZoneInfo.FindSystemTimeZoneById("America/Santiago"), // DST gap at midnight
    ];

    private static readonly DateTimeOffset Origin = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Whole-number values keep sums exact, so they compare without a tolerance whatever the order of addition.
    private static readonly Gen<KpiReading> GenReading =
        Gen.Select(Gen.Int[0, 2 * 366 * 24 * 60], Gen.Int[-1_000, 1_000], (minute, value) => new KpiReading(Origin.AddMinutes(minute), value));

    private static readonly Gen<(PeriodCalendar Calendar, Cadence Cadence, PeriodAggregation Aggregation, KpiReading[] Readings, int Batches)> GenCase =
        Gen.Select(Gen.Int[0, Zones.Length - 1], Gen.Enum<DayOfWeek>(), Gen.Enum<Cadence>(), Gen.Enum<PeriodAggregation>(),
            GenReading.Array[0, 200], Gen.Int[1, 5],
            (zone, weekStart, cadence, aggregation, readings, batches) =>
                (new PeriodCalendar(Zones[zone], weekStart), cadence, aggregation, DistinctInstants(readings), batches));

    [Fact]
    public void PeriodsFromDaySummariesEqualPeriodsComputedFromEachReading()
    {
        GenCase.Sample(c =>
        {
            var fromDays = c.Calendar.AggregateDays(c.Calendar.Days(c.Readings), c.Cadence, c.Aggregation);

            AssertSamePeriods(Direct(c.Calendar, c.Readings, c.Cadence, c.Aggregation), fromDays);
        });
    }

    [Fact]
    public void DaysSummarisedBatchByBatchAndMergedEqualDaysOfAllReadingsAtOnce()
    {
        // Out-of-order batches, as ingestion receives them: each batch's days merged into what was there before.
        GenCase.Sample(c =>
        {
            var merged = new Dictionary<DateOnly, KpiDay>();
            foreach (var batch in c.Readings.Reverse().Chunk(Math.Max(1, c.Readings.Length / c.Batches)))
            {
                foreach (var day in c.Calendar.Days(batch))
                {
                    merged[day.Day] = merged.TryGetValue(day.Day, out var known)
                        ? (known.LastAt <= day.LastAt ? known.Then(day) : day.Then(known))
                        : day;
                }
            }

            var periods = c.Calendar.AggregateDays(merged.Values, c.Cadence, c.Aggregation);

            AssertSamePeriods(c.Calendar.Aggregate(c.Readings, c.Cadence, c.Aggregation), periods);
        });
    }

    [Fact]
    public void ADayIsTheLocalDateOfTheOrganisationsZoneAtAHalfHourOffset()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"), DayOfWeek.Monday);
        // 18:29 UTC is 23:59 in India; 18:30 UTC is already the next day there.
        KpiReading[] readings = [new(new DateTimeOffset(2026, 3, 1, 18, 29, 0, TimeSpan.Zero), 1), new(new DateTimeOffset(2026, 3, 1, 18, 30, 0, TimeSpan.Zero), 2)];

        var days = calendar.Days(readings);

        Assert.Equal([new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2)], days.Select(d => d.Day));
    }

    [Fact]
    public void ADayAcrossADaylightSavingChangeHoldsTheValuesOfItsTwentyThreeHours()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var calendar = new PeriodCalendar(berlin, DayOfWeek.Monday);
        // 29 March 2026 has 23 hours in Berlin: 23:00 UTC on the 28th to 22:00 UTC on the 29th.
        var readings = Enumerable.Range(0, 25).Select(h => new KpiReading(new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero).AddHours(h), 1)).ToList();

        var days = calendar.Days(readings);

        Assert.Equal(23, days.Single(d => d.Day == new DateOnly(2026, 3, 29)).Count);
        Assert.Equal(2, days.Single(d => d.Day == new DateOnly(2026, 3, 30)).Count);
    }

    [Fact]
    public void AMergedSummaryKeepsTheLaterLastValueAndAddsTheRest()
    {
        var at = new DateTime(2026, 5, 4, 9, 0, 0, DateTimeKind.Utc);
        var first = new KpiDay(new DateOnly(2026, 5, 4), 2, 5, 1, 4, at, 4);
        var second = new KpiDay(new DateOnly(2026, 5, 5), 3, -3, -2, 0, at.AddDays(1), -1);

        var both = first.Then(second);

        Assert.Equal(new KpiDay(new DateOnly(2026, 5, 4), 5, 2, -2, 4, at.AddDays(1), -1), both);
        Assert.Equal(0.4, both.Value(PeriodAggregation.Average), 12);
        Assert.Equal(5, both.Value(PeriodAggregation.Count));
    }

    [Fact]
    public void CurrentPeriodFiguresAreTheLastPeriodAndTheOneRightBeforeIt()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);
        var kpi = new Kpi { Name = "Leads", Key = "leads", Cadence = Cadence.Weekly, Aggregation = PeriodAggregation.Sum };
        KpiReading[] readings =
        [
            new(new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.Zero), 4),
            new(new DateTimeOffset(2026, 5, 11, 9, 0, 0, TimeSpan.Zero), 5),
            new(new DateTimeOffset(2026, 5, 12, 9, 0, 0, TimeSpan.Zero), 1),
        ];

        kpi.KeepCurrentPeriods(kpi.Periods(readings, calendar));

        Assert.Equal((new DateOnly(2026, 5, 11), 6.0, 4.0), (kpi.CurrentPeriodStart, kpi.CurrentPeriodValue, kpi.PreviousPeriodValue));
        Assert.Equal(0.5, kpi.CurrentChange);
    }

    [Fact]
    public void NoPreviousPeriodFigureWhenThePeriodBeforeTheCurrentHoldsNoValue()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);
        var kpi = new Kpi { Name = "Leads", Key = "leads", Cadence = Cadence.Weekly, Aggregation = PeriodAggregation.Sum };
        KpiReading[] readings = [new(new DateTimeOffset(2026, 5, 4, 9, 0, 0, TimeSpan.Zero), 4), new(new DateTimeOffset(2026, 5, 18, 9, 0, 0, TimeSpan.Zero), 5)];

        kpi.KeepCurrentPeriods(kpi.Periods(readings, calendar));

        Assert.Equal((new DateOnly(2026, 5, 18), 5.0, (double?)null), (kpi.CurrentPeriodStart, kpi.CurrentPeriodValue, kpi.PreviousPeriodValue));
        Assert.Null(kpi.CurrentChange);
    }

    /// <summary>Storage holds one value per instant; the generator may draw an instant twice.</summary>
    private static KpiReading[] DistinctInstants(KpiReading[] readings) => readings.DistinctBy(r => r.At).ToArray();

    /// <summary>Each period's value from its readings directly, by the definition of each aggregation.</summary>
    private static List<KpiPeriod> Direct(PeriodCalendar calendar, IEnumerable<KpiReading> readings, Cadence cadence, PeriodAggregation aggregation) =>
        readings.OrderBy(r => r.At).GroupBy(r => calendar.PeriodStart(r.At, cadence)).Select(g =>
        {
            var values = g.Select(r => r.Value).ToList();
            var value = aggregation switch
            {
                PeriodAggregation.Last => values[^1],
                PeriodAggregation.Sum => values.Sum(),
                PeriodAggregation.Average => values.Average(),
                PeriodAggregation.Min => values.Min(),
                PeriodAggregation.Max => values.Max(),
                _ => values.Count,
            };
            return new KpiPeriod(g.Key, PeriodCalendar.NextPeriodStart(g.Key, cadence), calendar.StartOf(g.Key), value, values.Count);
        }).ToList();

    private static void AssertSamePeriods(IReadOnlyList<KpiPeriod> expected, IReadOnlyList<KpiPeriod> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].Start, expected[i].End, expected[i].StartUtc, expected[i].Count), (actual[i].Start, actual[i].End, actual[i].StartUtc, actual[i].Count));
            Assert.Equal(expected[i].Value, actual[i].Value, 9);
        }
    }
}
