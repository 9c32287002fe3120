using CsCheck;
using Okapi.Core.Kpis;

namespace Okapi.Core.Tests.Kpis;

public class KpiPeriodPropertyTests
{
    private static readonly TimeZoneInfo[] Zones =
    [
        TimeZoneInfo.Utc,
        TimeZoneInfo.FindSystemTimeZoneById("America/New_York"),
        TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"),
        TimeZoneInfo.FindSystemTimeZoneById("Australia/Lord_Howe"), // half-hour DST shift
        TimeZoneInfo.FindSystemTimeZoneById("America/Santiago"), // DST gap at midnight
    ];

    private static readonly DateTimeOffset Origin = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Whole-number values keep sums exact, so totals can be compared without a tolerance.
    private static readonly Gen<KpiReading> GenReading =
        Gen.Select(Gen.Int[0, 2 * 366 * 24 * 60], Gen.Int[-1_000, 1_000], (minute, value) => new KpiReading(Origin.AddMinutes(minute), value));

    private static readonly Gen<(PeriodCalendar Calendar, Cadence Cadence, KpiReading[] Readings)> GenCase =
        Gen.Select(Gen.Int[0, Zones.Length - 1], Gen.Enum<DayOfWeek>(), Gen.Enum<Cadence>(), GenReading.Array[0, 200],
            (zone, weekStart, cadence, readings) => (new PeriodCalendar(Zones[zone], weekStart), cadence, readings));

    [Fact]
    public void CountsAndSumsOverAllPeriodsEqualThoseOfAllValues()
    {
        GenCase.Sample(c =>
        {
            var counts = c.Calendar.Aggregate(c.Readings, c.Cadence, PeriodAggregation.Count);
            var sums = c.Calendar.Aggregate(c.Readings, c.Cadence, PeriodAggregation.Sum);

            Assert.Equal(c.Readings.Length, counts.Sum(p => p.Count));
            Assert.Equal(c.Readings.Length, counts.Sum(p => p.Value));
            Assert.Equal(c.Readings.Sum(r => r.Value), sums.Sum(p => p.Value));
        });
    }

    [Fact]
    public void PeriodsAreOrderedDisjointAndHoldEachOfTheirValues()
    {
        GenCase.Sample(c =>
        {
            var periods = c.Calendar.Aggregate(c.Readings, c.Cadence, PeriodAggregation.Last);

            for (var i = 1; i < periods.Count; i++)
            {
                Assert.True(periods[i - 1].End <= periods[i].Start);
            }

            foreach (var reading in c.Readings)
            {
                var period = Assert.Single(periods, p => p.StartUtc <= reading.At && reading.At < c.Calendar.StartOf(p.End));
                Assert.Equal(period.Start, c.Calendar.PeriodStart(reading.At, c.Cadence));
            }
        });
    }

    [Fact]
    public void AverageLiesBetweenMinAndMax()
    {
        GenCase.Sample(c =>
        {
            var min = c.Calendar.Aggregate(c.Readings, c.Cadence, PeriodAggregation.Min);
            var average = c.Calendar.Aggregate(c.Readings, c.Cadence, PeriodAggregation.Average);
            var max = c.Calendar.Aggregate(c.Readings, c.Cadence, PeriodAggregation.Max);

            for (var i = 0; i < average.Count; i++)
            {
                Assert.InRange(average[i].Value, min[i].Value, max[i].Value);
            }
        });
    }
}
