using Okapi.Core.Kpis;
using Okapi.Core.Organisations;

namespace Okapi.Core.Tests.Kpis;

public class KpiPeriodTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static Kpi NewKpi(Cadence cadence, PeriodAggregation aggregation) =>
        new() { Name = "Leads", Key = "leads", Cadence = cadence, Aggregation = aggregation, OwnerTeamId = Guid.NewGuid() };

    [Fact]
    public void WeeklySumOfLeadsStartsWeeksOnTheOrganisationsWeekday()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Wednesday);
        KpiReading[] leads =
        [
            new(Utc(2026, 3, 3, 10), 5), // Tuesday: still the week of Wednesday 25 February
            new(Utc(2026, 3, 4, 10), 3), // Wednesday: a new week
            new(Utc(2026, 3, 10, 10), 4), // Tuesday
            new(Utc(2026, 3, 11, 10), 2), // Wednesday
        ];

        var weeks = NewKpi(Cadence.Weekly, PeriodAggregation.Sum).Periods(leads, calendar);

        Assert.Equal(
            [(new DateOnly(2026, 2, 25), 5.0, 1), (new DateOnly(2026, 3, 4), 7.0, 2), (new DateOnly(2026, 3, 11), 2.0, 1)],
            weeks.Select(w => (w.Start, w.Value, w.Count)));
        Assert.Equal(new DateOnly(2026, 3, 11), weeks[1].End);
    }

    [Fact]
    public void ValueAtHalfPastElevenOnSundayNightLocalBelongsToThatWeek()
    {
        var calendar = new PeriodCalendar(NewYork, DayOfWeek.Monday);
        // Sunday 11 January 2026 23:30 EST is already Monday 04:30 in UTC.
        var sundayNight = new DateTimeOffset(2026, 1, 11, 23, 30, 0, TimeSpan.FromHours(-5));
        var mondayMorning = sundayNight.AddHours(1);

        var weeks = calendar.Aggregate([new(sundayNight, 1), new(mondayMorning, 1)], Cadence.Weekly, PeriodAggregation.Count);

        Assert.Equal([new DateOnly(2026, 1, 5), new DateOnly(2026, 1, 12)], weeks.Select(w => w.Start));
        Assert.Equal(Utc(2026, 1, 5, 5), weeks[0].StartUtc);
    }

    [Fact]
    public void ValueJustAfterMidnightMondayInBerlinOpensTheNewWeekThoughItIsSundayInUtc()
    {
        var calendar = new PeriodCalendar(Berlin, DayOfWeek.Monday);

        var week = calendar.PeriodStart(Utc(2026, 1, 11, 23, 30), Cadence.Weekly);

        Assert.Equal(new DateOnly(2026, 1, 12), week);
    }

    [Fact]
    public void WeeksAcrossTheSpringForwardStartAtLocalMidnightWithTheNewOffset()
    {
        var calendar = new PeriodCalendar(NewYork, DayOfWeek.Monday);
        KpiReading[] readings = [new(Utc(2026, 3, 4, 12), 1), new(Utc(2026, 3, 10, 12), 2)];

        var weeks = calendar.Aggregate(readings, Cadence.Weekly, PeriodAggregation.Last);

        // Daylight saving starts on Sunday 8 March 2026: EST (−5) before, EDT (−4) after.
        Assert.Equal([Utc(2026, 3, 2, 5), Utc(2026, 3, 9, 4)], weeks.Select(w => w.StartUtc));
    }

    [Fact]
    public void DailyPeriodsInBerlinFollowLocalDaysAcrossTheAutumnFallBack()
    {
        var calendar = new PeriodCalendar(Berlin, DayOfWeek.Monday);
        // Sunday 25 October 2026 has 25 hours: 22:30 UTC is 23:30 CET that day, 23:30 UTC is already Monday.
        KpiReading[] readings = [new(Utc(2026, 10, 24, 22, 30), 1), new(Utc(2026, 10, 25, 22, 30), 2), new(Utc(2026, 10, 25, 23, 30), 3)];

        var days = calendar.Aggregate(readings, Cadence.Daily, PeriodAggregation.Sum);

        Assert.Equal(
            [(new DateOnly(2026, 10, 25), Utc(2026, 10, 24, 22), 3.0), (new DateOnly(2026, 10, 26), Utc(2026, 10, 25, 23), 3.0)],
            days.Select(d => (d.Start, d.StartUtc, d.Value)));
    }

    [Fact]
    public void DayWhoseMidnightFallsInTheDaylightSavingGapStartsAtItsFirstRealInstant()
    {
        // Santiago skips from 00:00 to 01:00 on 6 September 2026, so that day begins at 01:00 −03 (04:00 UTC).
        var calendar = new PeriodCalendar(TimeZoneInfo.FindSystemTimeZoneById("America/Santiago"), DayOfWeek.Monday);

        var day = Assert.Single(calendar.Aggregate([new(Utc(2026, 9, 6, 12), 1)], Cadence.Daily, PeriodAggregation.Last));

        Assert.Equal((new DateOnly(2026, 9, 6), Utc(2026, 9, 6, 4)), (day.Start, day.StartUtc));
    }

    [Fact]
    public void CalendarOfAnOrganisationUsesItsZoneAndWeekStart()
    {
        var organisation = new Organisation
        {
            Name = "Acme",
            Slug = "acme",
            TimeZone = "Europe/Berlin",
            WeekStart = DayOfWeek.Sunday,
        };

        var calendar = PeriodCalendar.For(organisation);

        Assert.Equal(new DateOnly(2026, 1, 11), calendar.PeriodStart(Utc(2026, 1, 11, 23, 30), Cadence.Weekly));
        Assert.Equal(DayOfWeek.Sunday, calendar.WeekStart);
    }

    [Fact]
    public void MonthlyPeriodsFollowCalendarMonthsInTheOrganisationsZone()
    {
        var calendar = new PeriodCalendar(NewYork, DayOfWeek.Monday);
        // 03:00 UTC on 1 February is still 31 January in New York.
        KpiReading[] readings = [new(Utc(2026, 1, 15), 10), new(Utc(2026, 2, 1, 3), 20), new(Utc(2026, 2, 1, 6), 40)];

        var months = calendar.Aggregate(readings, Cadence.Monthly, PeriodAggregation.Average);

        Assert.Equal(
            [(new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1), Utc(2026, 1, 1, 5), 15.0), (new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 1), Utc(2026, 2, 1, 5), 40.0)],
            months.Select(m => (m.Start, m.End, m.StartUtc, m.Value)));
    }

    [Theory]
    [InlineData(PeriodAggregation.Last, 2)]
    [InlineData(PeriodAggregation.Sum, 14)]
    [InlineData(PeriodAggregation.Average, 3.5)]
    [InlineData(PeriodAggregation.Min, 1)]
    [InlineData(PeriodAggregation.Max, 7)]
    [InlineData(PeriodAggregation.Count, 4)]
    public void PeriodValueAggregatesTheValuesOfThePeriod(PeriodAggregation aggregation, double expected)
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);
        // Given out of order: "last" means the latest timestamp, not the last in the input.
        KpiReading[] readings =
        [
            new(Utc(2026, 5, 4, 18), 2),
            new(Utc(2026, 5, 4, 9), 4),
            new(Utc(2026, 5, 4, 12), 7),
            new(Utc(2026, 5, 4, 10), 1),
        ];

        var period = Assert.Single(calendar.Aggregate(readings, Cadence.Daily, aggregation));

        Assert.Equal(expected, period.Value);
        Assert.Equal(4, period.Count);
    }

    [Fact]
    public void LastOfTwoValuesWithTheSameTimestampIsTheLaterInTheInput()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);
        KpiReading[] readings = [new(Utc(2026, 5, 4, 9), 1), new(Utc(2026, 5, 4, 9), 2)];

        Assert.Equal(2, Assert.Single(calendar.Aggregate(readings, Cadence.Daily, PeriodAggregation.Last)).Value);
    }

    [Fact]
    public void PeriodsWithoutValuesAreLeftOut()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);
        KpiReading[] readings = [new(Utc(2026, 5, 1), 1), new(Utc(2026, 5, 3), 1)];

        var days = calendar.Aggregate(readings, Cadence.Daily, PeriodAggregation.Sum);

        Assert.Equal([new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 3)], days.Select(d => d.Start));
    }

    [Fact]
    public void NoValuesGiveNoPeriods()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);

        Assert.Empty(calendar.Aggregate([], Cadence.Weekly, PeriodAggregation.Sum));
    }

    [Theory]
    [InlineData(100, 120, 0.2)]
    [InlineData(120, 90, -0.25)]
    [InlineData(-10, -5, 0.5)]
    [InlineData(-10, -20, -1)]
    public void ChangeIsTheLastPeriodRelativeToThePreviousOne(double previous, double last, double expected)
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);
        KpiReading[] readings = [new(Utc(2026, 5, 4), previous), new(Utc(2026, 5, 11), last)];

        var change = KpiPeriod.Change(calendar.Aggregate(readings, Cadence.Weekly, PeriodAggregation.Sum));

        Assert.NotNull(change);
        Assert.Equal(expected, change.Value, 12);
    }

    [Fact]
    public void WeekOverWeekChangeOfADailyKpiComparesWeeklyAggregates()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);
        KpiReading[] dailyLeads =
        [
            new(Utc(2026, 5, 4), 10), new(Utc(2026, 5, 5), 10), // week of 4 May: 20
            new(Utc(2026, 5, 11), 5), new(Utc(2026, 5, 12), 10), new(Utc(2026, 5, 17), 15), // week of 11 May: 30
        ];

        var change = KpiPeriod.Change(calendar.Aggregate(dailyLeads, Cadence.Weekly, PeriodAggregation.Sum));

        Assert.Equal(0.5, change);
    }

    [Fact]
    public void ChangeIsUndefinedFromAZeroPeriod()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);
        KpiReading[] readings = [new(Utc(2026, 5, 4), 0), new(Utc(2026, 5, 11), 7)];

        Assert.Null(KpiPeriod.Change(calendar.Aggregate(readings, Cadence.Weekly, PeriodAggregation.Sum)));
    }

    [Fact]
    public void ChangeIsUndefinedWithASinglePeriod()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);

        Assert.Null(KpiPeriod.Change(calendar.Aggregate([new(Utc(2026, 5, 4), 3)], Cadence.Weekly, PeriodAggregation.Sum)));
    }

    [Fact]
    public void ChangeIsUndefinedWhenThePeriodBeforeTheLastHasNoValue()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);
        KpiReading[] readings = [new(Utc(2026, 5, 4), 10), new(Utc(2026, 5, 18), 20)];

        Assert.Null(KpiPeriod.Change(calendar.Aggregate(readings, Cadence.Weekly, PeriodAggregation.Average)));
    }

    [Fact]
    public void LastThreeMonthsEndingOnTheFirstOfAMonthStartTwoMonthsBefore()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);

        Assert.Equal(new DateOnly(2026, 1, 1), calendar.LastPeriodsStart(Utc(2026, 3, 1, 8), Cadence.Monthly, 3));
        Assert.Equal(new DateOnly(2026, 1, 1), calendar.LastPeriodsStart(Utc(2026, 3, 31, 23), Cadence.Monthly, 3));
    }

    [Fact]
    public void LastPeriodsCountFromThePeriodHoldingTheInstantInTheOrganisationsZone()
    {
        var calendar = new PeriodCalendar(Berlin, DayOfWeek.Monday);

        // 23:30 UTC on Sunday 11 January is already Monday in Berlin: that week is the newest of the two.
        Assert.Equal(new DateOnly(2026, 1, 5), calendar.LastPeriodsStart(Utc(2026, 1, 11, 23, 30), Cadence.Weekly, 2));
        Assert.Equal(new DateOnly(2026, 1, 12), calendar.LastPeriodsStart(Utc(2026, 1, 11, 23, 30), Cadence.Daily, 1));
    }

    [Fact]
    public void LastPeriodsNeedAtLeastOnePeriod()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);

        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.LastPeriodsStart(Utc(2026, 1, 1), Cadence.Daily, 0));
    }

    [Theory]
    [InlineData(Cadence.Daily, "2026-03-01", "2026-02-28", "2026-03-02")]
    [InlineData(Cadence.Weekly, "2026-03-02", "2026-02-23", "2026-03-09")]
    [InlineData(Cadence.Monthly, "2026-03-01", "2026-02-01", "2026-04-01")]
    public void PeriodsStepBackAndForwardByTheirCadence(Cadence cadence, string start, string previous, string next)
    {
        var first = DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(DateOnly.Parse(previous, System.Globalization.CultureInfo.InvariantCulture), PeriodCalendar.PreviousPeriodStart(first, cadence));
        Assert.Equal(DateOnly.Parse(next, System.Globalization.CultureInfo.InvariantCulture), PeriodCalendar.NextPeriodStart(first, cadence));
    }
}
