using Okapi.Core.Okrs;
using Okapi.Core.Scoring;
using static Okapi.Core.Tests.Okrs.KeyResults;

namespace Okapi.Core.Tests.Okrs;

public class KeyResultProgressTests
{
    private const int Precision = 12;

    // Google's grading example: "launch six new features", three launched, grades 0.5.
    [Fact]
    public void SixFeaturesAsIncreaseWithThreeLaunchedGradesHalf()
    {
        var keyResult = Increase(0, 6, current: 3);

        Assert.Equal(0.5, keyResult.Progress());
        Assert.Equal(0.5, Grades.Grade(keyResult.Progress()));
    }

    [Fact]
    public void SixFeaturesAsChecklistMilestoneWithThreeDoneGradesHalf()
    {
        var keyResult = Milestone(null, true, true, true, false, false, false);

        Assert.Equal(0.5, keyResult.Progress());
        Assert.Equal(0.5, Grades.Grade(keyResult.Progress()));
    }

    [Theory]
    [InlineData(null, 0.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(0.99, 0.0)]
    [InlineData(1.0, 1.0)]
    public void BinaryLaunchWithoutChecklistGradesZeroOrOne(double? current, double expectedGrade)
    {
        var keyResult = Milestone(current);

        Assert.Equal(expectedGrade, Grades.Grade(keyResult.Progress()));
    }

    [Fact]
    public void MilestoneChecklistIgnoresTheCheckedInValue()
    {
        var keyResult = Milestone(1, true, false, false, false);

        Assert.Equal(0.25, keyResult.Progress());
    }

    [Theory]
    [InlineData(25, 0.25)]
    [InlineData(0, 0.0)]
    [InlineData(-10, 0.0)]
    [InlineData(100, 1.0)]
    [InlineData(150, 1.0)]
    public void IncreaseProgressIsTheClampedShareOfTheWayFromStartToTarget(double current, double expected)
    {
        Assert.Equal(expected, Increase(0, 100, current).Progress(), Precision);
    }

    [Fact]
    public void IncreaseWithoutCheckInCountsTheStartValue()
    {
        Assert.Equal(0.0, Increase(30, 50).Progress());
    }

    [Theory]
    [InlineData(7, 0.5)]
    [InlineData(10, 0.0)]
    [InlineData(12, 0.0)]
    [InlineData(4, 1.0)]
    [InlineData(3, 1.0)]
    public void DecreaseWaitTimeFromTenToFourMinutes(double current, double expected)
    {
        Assert.Equal(expected, Decrease(10, 4, current).Progress(), Precision);
    }

    [Theory]
    [InlineData(99.9, 1.0)]
    [InlineData(99.5, 1.0)]
    [InlineData(99.4, 0.0)]
    public void StayAboveIsOneWhileAtOrAboveTheBound(double current, double expected)
    {
        Assert.Equal(expected, StayAbove(99.5, current).Progress());
    }

    [Theory]
    [InlineData(150, 1.0)]
    [InlineData(200, 1.0)]
    [InlineData(201, 0.0)]
    public void StayBelowIsOneWhileAtOrBelowTheBound(double current, double expected)
    {
        Assert.Equal(expected, StayBelow(200, current).Progress());
    }

    [Theory]
    [InlineData(-5, 0.0)]
    [InlineData(0, 0.0)]
    [InlineData(5, 0.15)]
    [InlineData(10, 0.3)]
    [InlineData(15, 0.5)]
    [InlineData(20, 0.7)]
    [InlineData(25, 0.85)]
    [InlineData(30, 1.0)]
    [InlineData(40, 1.0)]
    public void CommitTargetStretchIsLinearBetweenItsLevels(double current, double expected)
    {
        var keyResult = CommitTargetStretch(start: 0, commit: 10, target: 20, stretch: 30, current);

        Assert.Equal(expected, keyResult.Progress(), Precision);
    }

    [Theory]
    [InlineData(120, 0.0)]
    [InlineData(100, 0.0)]
    [InlineData(90, 0.15)]
    [InlineData(80, 0.3)]
    [InlineData(70, 0.5)]
    [InlineData(60, 0.7)]
    [InlineData(55, 0.85)]
    [InlineData(50, 1.0)]
    [InlineData(10, 1.0)]
    public void DecreasingCommitTargetStretchIsLinearBetweenItsLevels(double current, double expected)
    {
        var keyResult = CommitTargetStretch(start: 100, commit: 80, target: 60, stretch: 50, current);

        Assert.Equal(expected, keyResult.Progress(), Precision);
    }

    [Fact]
    public void AttainmentIsUncappedAbove100Percent()
    {
        var keyResult = Increase(0, 100, current: 120);

        Assert.Equal(1.0, keyResult.Progress());
        Assert.Equal(1.2, keyResult.Attainment(), Precision);
    }

    [Fact]
    public void DecreaseAttainmentIsUncappedBeyondTheTarget()
    {
        Assert.Equal(1.5, Decrease(10, 4, current: 1).Attainment(), Precision);
    }

    [Fact]
    public void AttainmentGoesNegativeWhenTheValueMovedTheWrongWay()
    {
        Assert.Equal(-0.5, Increase(100, 200, current: 50).Attainment(), Precision);
    }

    [Fact]
    public void StayAboveAttainmentIsItsProgress()
    {
        Assert.Equal(1.0, StayAbove(10, current: 30).Attainment());
    }

    [Theory]
    [InlineData(KeyResultType.StayAbove, 10, true)]
    [InlineData(KeyResultType.StayAbove, 9.99, false)]
    [InlineData(KeyResultType.StayBelow, 10, true)]
    [InlineData(KeyResultType.StayBelow, 10.01, false)]
    public void SatisfiesTellsWhichSideOfTheBoundAValueIsOn(KeyResultType type, double value, bool expected)
    {
        var keyResult = type == KeyResultType.StayAbove ? StayAbove(10) : StayBelow(10);

        Assert.Equal(expected, keyResult.Satisfies(value));
    }

    [Fact]
    public void IncreaseAcrossTheWholeDoubleRangeIsRefusedButWhenStoredIsHalfDoneAtZero()
    {
        var keyResult = Increase(-1.5e308, 1.5e308, current: 0);

        Assert.False(keyResult.Validate().IsValid);
        Assert.Equal(0.5, keyResult.Progress());
        Assert.Equal(0.5, keyResult.Attainment());
    }

    [Fact]
    public void IncreaseAcrossTheWholeDoubleRangeIsDoneAtItsTarget()
    {
        Assert.Equal(1.0, Increase(-1e308, 1e308, current: 1e308).Progress());
    }

    [Fact]
    public void CommitTargetStretchWithFarApartLevelsInterpolatesWithoutOverflow()
    {
        // Halfway from commit to target is 0.3 + 0.4 / 2.
        var keyResult = CommitTargetStretch(-1.7e308, -1.5e308, 1.5e308, 1.7e308, current: 0);

        Assert.Equal(0.5, keyResult.Progress(), 12);
    }
}
