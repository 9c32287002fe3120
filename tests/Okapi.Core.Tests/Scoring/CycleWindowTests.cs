using Okapi.Core.Organisations;

namespace Okapi.Core.Tests.Scoring;

public class CycleWindowTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset Utc(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public void BerlinFirstQuarterStartsInWinterTimeAndEndsInSummerTime()
    {
        // Clocks went forward on 28 March 2027, so 1 April starts at UTC+2 while 1 January starts at UTC+1.
        var cycle = new Cycle { Name = "2027 Q1", Start = new DateOnly(2027, 1, 1), End = new DateOnly(2027, 3, 31) };

        var window = cycle.Window(Berlin);

        Assert.Equal(Utc(2026, 12, 31, 23), window.Start);
        Assert.Equal(Utc(2027, 3, 31, 22), window.End);
        Assert.Equal(TimeSpan.FromDays(90) - TimeSpan.FromHours(1), window.Length);
    }

    [Fact]
    public void BerlinFourthQuarterStartsInSummerTimeAndEndsInWinterTime()
    {
        // Clocks went back on 25 October 2026: the quarter is an hour longer than its 92 days.
        var window = CycleWindow.FromDates(new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31), Berlin);

        Assert.Equal(Utc(2026, 9, 30, 22), window.Start);
        Assert.Equal(Utc(2026, 12, 31, 23), window.End);
        Assert.Equal(TimeSpan.FromDays(92) + TimeSpan.FromHours(1), window.Length);
    }

    [Fact]
    public void WindowIncludesItsStartAndExcludesItsEnd()
    {
        var window = CycleWindow.FromDates(new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 31), Berlin);

        Assert.True(window.Contains(window.Start));
        Assert.True(window.Contains(window.End.AddTicks(-1)));
        Assert.False(window.Contains(window.End));
        Assert.False(window.Contains(window.Start.AddTicks(-1)));
    }

    [Fact]
    public void DayThatBeginsInADaylightSavingGapStartsWhenTheClocksResume()
    {
        // A zone that springs forward at midnight, from UTC−4 to UTC−3, on the first Sunday of September.
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
            new DateTime(2000, 1, 1), new DateTime(2099, 12, 31), TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 0, 0, 0), 9, 1, DayOfWeek.Sunday),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 0, 0, 0), 4, 1, DayOfWeek.Sunday));
        var zone = TimeZoneInfo.CreateCustomTimeZone("Midnight gap", TimeSpan.FromHours(-4), "Midnight gap", "Standard", "Daylight", [rule]);

        var start = CycleWindow.StartOfDay(new DateOnly(2027, 9, 5), zone);

        // 00:00 does not exist that day; 01:00 local daylight time is 04:00 UTC.
        Assert.Equal(Utc(2027, 9, 5, 4), start);
    }

    [Fact]
    public void DateOfIsTheLocalDateWhichMayDifferFromTheUtcDate()
    {
        // 23:30 UTC on 31 March is already 1 April in Berlin (UTC+2) but still 31 March in New York.
        var at = new DateTimeOffset(2027, 3, 31, 23, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2027, 4, 1), CycleWindow.DateOf(at, Berlin));
        Assert.Equal(new DateOnly(2027, 3, 31), CycleWindow.DateOf(at, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")));
        Assert.Equal(new DateOnly(2027, 3, 31), CycleWindow.DateOf(at, TimeZoneInfo.Utc));
    }

    [Fact]
    public void DateOfTheStartOfADayIsThatDay()
    {
        var day = new DateOnly(2026, 10, 25);

        Assert.Equal(day, CycleWindow.DateOf(CycleWindow.StartOfDay(day, Berlin), Berlin));
        Assert.Equal(day.AddDays(-1), CycleWindow.DateOf(CycleWindow.StartOfDay(day, Berlin).AddTicks(-1), Berlin));
    }
}
