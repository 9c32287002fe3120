using Okapi.Core.Rhythm;

namespace Okapi.Core.Tests.Rhythm;

public class WeeklySlotTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly WeeklySlot MondayNine = new(DayOfWeek.Monday, 9, Berlin);

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void TheSlotIsTheWeekdayAndHourInTheOrganisationsZone()
    {
        // Monday 15 February 2027, 9:00 in Berlin (winter, UTC+1) is 8:00 UTC.
        var occurrence = MondayNine.LatestAtOrBefore(Utc(2027, 2, 15, 8));
        Assert.Equal(new Occurrence("2027-02-15T09", Utc(2027, 2, 15, 8)), occurrence);
    }

    [Fact]
    public void OneMinuteBeforeTheSlotTheLatestOccurrenceIsTheWeekBefore()
    {
        var occurrence = MondayNine.LatestAtOrBefore(Utc(2027, 2, 15, 7, 59));
        Assert.Equal(new Occurrence("2027-02-08T09", Utc(2027, 2, 8, 8)), occurrence);
    }

    [Fact]
    public void LaterInTheWeekTheLatestOccurrenceIsStillThisWeeksSlot()
    {
        Assert.Equal("2027-02-15T09", MondayNine.LatestAtOrBefore(Utc(2027, 2, 21, 22)).Key);
        Assert.Equal("2027-02-15T09", MondayNine.LatestAtOrBefore(Utc(2027, 2, 22, 7, 59)).Key);
        Assert.Equal("2027-02-22T09", MondayNine.LatestAtOrBefore(Utc(2027, 2, 22, 8)).Key);
    }

    [Fact]
    public void TheSlotStaysAtNineLocalTimeAcrossTheSpringChange()
    {
        // Clocks go forward on Sunday 28 March 2027: the Monday after, 9:00 is 7:00 UTC (UTC+2).
        Assert.Equal(Utc(2027, 3, 22, 8), MondayNine.LatestAtOrBefore(Utc(2027, 3, 29, 6, 59)).DueAt);
        Assert.Equal(new Occurrence("2027-03-29T09", Utc(2027, 3, 29, 7)), MondayNine.LatestAtOrBefore(Utc(2027, 3, 29, 7)));
    }

    [Fact]
    public void TheSlotStaysAtNineLocalTimeAcrossTheAutumnChange()
    {
        // Clocks go back on Sunday 31 October 2027: 9:00 is 7:00 UTC before, 8:00 UTC after.
        Assert.Equal(Utc(2027, 10, 25, 7), MondayNine.LatestAtOrBefore(Utc(2027, 10, 25, 7)).DueAt);
        Assert.Equal(Utc(2027, 10, 25, 7), MondayNine.LatestAtOrBefore(Utc(2027, 11, 1, 7, 30)).DueAt);
        Assert.Equal(Utc(2027, 11, 1, 8), MondayNine.LatestAtOrBefore(Utc(2027, 11, 1, 8)).DueAt);
    }

    [Fact]
    public void AnHourSkippedByTheSpringChangeIsDueWhenTheGapEnds()
    {
        // Sunday 28 March 2027 has no 2:00 in Berlin: 1:59 CET is followed by 3:00 CEST (1:00 UTC).
        var sundayTwo = new WeeklySlot(DayOfWeek.Sunday, 2, Berlin);
        Assert.Equal(new Occurrence("2027-03-28T02", Utc(2027, 3, 28, 1)), sundayTwo.LatestAtOrBefore(Utc(2027, 3, 28, 1)));
        Assert.Equal("2027-03-21T02", sundayTwo.LatestAtOrBefore(Utc(2027, 3, 28, 0, 59)).Key);
    }

    [Fact]
    public void AnHourThatHappensTwiceInTheAutumnIsDueTheFirstTime()
    {
        // Sunday 31 October 2027 has 2:00 twice in Berlin: 2:00 CEST (0:00 UTC) and 2:00 CET (1:00 UTC).
        var sundayTwo = new WeeklySlot(DayOfWeek.Sunday, 2, Berlin);
        Assert.Equal(new Occurrence("2027-10-31T02", Utc(2027, 10, 31, 0)), sundayTwo.LatestAtOrBefore(Utc(2027, 10, 31, 1, 30)));
    }

    [Fact]
    public void EveryInstantOfAYearFallsAfterItsLatestOccurrenceAndBeforeTheNext()
    {
        var sundayTwo = new WeeklySlot(DayOfWeek.Sunday, 2, Berlin);
        for (var t = Utc(2027, 1, 1, 0); t < Utc(2028, 1, 1, 0); t = t.AddMinutes(37))
        {
            foreach (var slot in new[] { MondayNine, sundayTwo })
            {
                var latest = slot.LatestAtOrBefore(t);
                var next = slot.NextAfter(t);
                Assert.True(latest.DueAt <= t && t < next.DueAt, $"{t:u}: {latest} .. {next}");
                Assert.InRange(next.DueAt - latest.DueAt, TimeSpan.FromHours(167), TimeSpan.FromHours(169));
            }
        }
    }

    [Fact]
    public void AZoneWithoutDaylightSavingKeepsTheSameUtcHour()
    {
        var utcFridaySeventeen = new WeeklySlot(DayOfWeek.Friday, 17, TimeZoneInfo.Utc);
        Assert.Equal(new Occurrence("2027-02-12T17", Utc(2027, 2, 12, 17)), utcFridaySeventeen.LatestAtOrBefore(Utc(2027, 2, 15, 12)));
    }
}
