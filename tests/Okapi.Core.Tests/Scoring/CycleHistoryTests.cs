using Okapi.Core.Okrs;
using Okapi.Core.Scoring;
using static Okapi.Core.Tests.Okrs.KeyResults;
using static Okapi.Core.Tests.Scoring.Windows;

namespace Okapi.Core.Tests.Scoring;

public class CycleHistoryTests
{
    private const int Precision = 12;

    [Fact]
    public void WeeksRunSevenDaysFromTheCycleStartUpToTheRunningWeekTakenAsOfNow()
    {
        var weeks = CycleHistory.Weeks(Quarter, Day(15.5));

        Assert.Equal([1, 2, 3], weeks.Select(w => w.Number));
        Assert.Equal((Day(14), Day(21), Day(15.5)), (weeks[2].Start, weeks[2].End, weeks[2].AsOf));
        Assert.Equal((Day(7), Day(14)), (weeks[1].Start, weeks[1].AsOf));
    }

    [Fact]
    public void AClosedCycleHasEveryWeekWithTheLastOneCutAtTheCycleEnd()
    {
        var weeks = CycleHistory.Weeks(Quarter, Day(200));

        Assert.Equal(13, weeks.Count);
        Assert.Equal((Day(84), Quarter.End, Quarter.End), (weeks[^1].Start, weeks[^1].End, weeks[^1].AsOf));
    }

    [Fact]
    public void ProgressAtAWeekEndTakesEachKeyResultsLatestValueThenWeightedAsLiveProgressIs()
    {
        var half = Increase(0, 10);
        var heavy = Increase(0, 100);
        heavy.Weight = 3;
        KeyResultHistory[] objective =
        [
            new(half, [CheckInOn(2, 2), CheckInOn(9, 5), CheckInOn(16, 10)]),
            new(heavy, [CheckInOn(10, 40)]),
        ];

        // Week 1: 0.2 and the start (0); week 2: 0.5 and 0.4.
        Assert.Equal(0.2 / 4, CycleHistory.ProgressAt(objective, Day(7)), Precision);
        Assert.Equal((0.5 + 3 * 0.4) / 4, CycleHistory.ProgressAt(objective, Day(14)), Precision);
    }

    [Fact]
    public void OverallProgressIsTheMeanOfObjectivesWithKeyResults()
    {
        KeyResultHistory[] first = [new(Increase(0, 10), [CheckInOn(1, 10)])];
        KeyResultHistory[] second = [new(Increase(0, 10), [CheckInOn(1, 5)])];

        Assert.Equal(0.75, CycleHistory.OverallAt([first, second, []], Day(7)), Precision);
    }

    [Fact]
    public void ParticipationCountsCheckInsAndTheShareOfKeyResultsAndOwnersPerWeek()
    {
        Guid ana = Guid.NewGuid(), ben = Guid.NewGuid();
        var a1 = Increase(0, 10);
        a1.OwnerPersonId = ana;
        var a2 = Increase(0, 10);
        a2.OwnerPersonId = ana;
        var b1 = Increase(0, 10);
        b1.OwnerPersonId = ben;
        KeyResultHistory[] keyResults =
        [
            new(a1, [CheckInOn(1, 1), CheckInOn(2, 2), CheckInOn(8, 3)]),
            new(a2, []),
            new(b1, [CheckInOn(3, 1)]),
        ];

        var weeks = CycleHistory.Participation(CycleHistory.Weeks(Quarter, Day(10)), keyResults);

        Assert.Equal((3, 2, 3, 2, 2), (weeks[0].CheckIns, weeks[0].KeyResultsCheckedIn, weeks[0].KeyResults, weeks[0].OwnersCheckedIn, weeks[0].Owners));
        Assert.Equal((1, 1, 1), (weeks[1].CheckIns, weeks[1].KeyResultsCheckedIn, weeks[1].OwnersCheckedIn));
        Assert.Equal((1.0 / 3, 0.5), (weeks[1].KeyResultShare, weeks[1].OwnerShare));
    }

    [Fact]
    public void CheckInsAfterTheInstantAWeekIsTakenAtDoNotCount()
    {
        var keyResult = Increase(0, 10);
        KeyResultHistory[] keyResults = [new(keyResult, [CheckInOn(1, 4), CheckInOn(3, 9)])];
        var week = Assert.Single(CycleHistory.Weeks(Quarter, Day(2)));

        Assert.Equal(1, CycleHistory.Participation([week], keyResults)[0].CheckIns);
        Assert.Equal(0.4, CycleHistory.ProgressAt(keyResults, week.AsOf), Precision);
    }
}
