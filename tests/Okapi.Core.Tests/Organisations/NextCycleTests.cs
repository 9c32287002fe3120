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

    [Fact]
    public void NextYearAfterAYearEndIsTheFollowingCalendarYear()
    {
        Assert.Equal("2027", Cycle.NextYear(new DateOnly(2026, 12, 31)).Name);
        Assert.Equal(new DateOnly(2028, 1, 1), Cycle.NextYear(new DateOnly(2027, 3, 31)).Start);
    }
}
