using Okapi.Core.Organisations;

namespace Okapi.Core.Tests.Organisations;

public class NextCycleTests
{
    [Fact]
    public void NextQuarterAfterTheLastQuarterOfAYearIsQ1OfTheNext()
    {
        var next = Cycle.NextQuarter(new DateOnly(2026, 12, 31));

        Assert.Equal(("2027 Q1", new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 31), CycleKind.Quarter), (next.Name, next.Start, next.End, next.Kind));
    }

    [Fact]
    public void NextQuarterAfterACycleEndingMidQuarterStartsAtTheFollowingQuarter()
    {
        var next = Cycle.NextQuarter(new DateOnly(2026, 5, 15));

        Assert.Equal(("2026 Q3", new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30)), (next.Name, next.Start, next.End));
    }

    [Theory]
    [InlineData(2027, 1, 1, "2027 Q1", 1, 3, 31)]
    [InlineData(2027, 2, 28, "2027 Q1", 1, 3, 31)]
    [InlineData(2027, 6, 30, "2027 Q2", 4, 6, 30)]
    [InlineData(2027, 8, 15, "2027 Q3", 7, 9, 30)]
    [InlineData(2027, 12, 31, "2027 Q4", 10, 12, 31)]
    public void QuarterIsTheCalendarQuarterHoldingTheDate(int year, int month, int day, string name, int startMonth, int endMonth, int endDay)
    {
        var quarter = Cycle.Quarter(new DateOnly(year, month, day));

        Assert.Equal((name, new DateOnly(year, startMonth, 1), new DateOnly(year, endMonth, endDay), CycleKind.Quarter),
            (quarter.Name, quarter.Start, quarter.End, quarter.Kind));
    }

    [Fact]
    public void QuarterBeforeTheFirstOfAYearIsTheLastQuarterOfThePreviousYear()
    {
        var previous = Cycle.Quarter(Cycle.Quarter(new DateOnly(2027, 2, 10)).Start.AddDays(-1));

        Assert.Equal(("2026 Q4", new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31)), (previous.Name, previous.Start, previous.End));
    }

    [Fact]
    public void NextQuarterAfterAQuarterEndIsTheQuarterStartingTheNextDay()
    {
        var next = Cycle.NextQuarter(new DateOnly(2027, 6, 30));

        Assert.Equal(("2027 Q3", new DateOnly(2027, 7, 1), new DateOnly(2027, 9, 30)), (next.Name, next.Start, next.End));
    }

    [Fact]
    public void NextYearAfterAYearEndIsTheFollowingCalendarYear()
    {
        Assert.Equal("2027", Cycle.NextYear(new DateOnly(2026, 12, 31)).Name);
        Assert.Equal(new DateOnly(2028, 1, 1), Cycle.NextYear(new DateOnly(2027, 3, 31)).Start);
    }
}
