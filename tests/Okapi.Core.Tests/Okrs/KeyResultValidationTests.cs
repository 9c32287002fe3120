using Okapi.Core.Okrs;
using static Okapi.Core.Tests.Okrs.KeyResults;

namespace Okapi.Core.Tests.Okrs;

public class KeyResultValidationTests
{
    [Fact]
    public void WellFormedKeyResultsOfEveryTypeAreValid()
    {
        KeyResult[] keyResults =
        [
            Increase(0, 6, 3), Decrease(10, 4, 7), StayAbove(99.5, 99.9), StayBelow(200),
            Milestone(null, true, false), CommitTargetStretch(0, 10, 20, 30, 15), CommitTargetStretch(100, 80, 60, 50),
        ];

        Assert.All(keyResults, k => Assert.True(k.Validate().IsValid));
    }

    [Theory]
    [InlineData(KeyResultType.IncreaseTo)]
    [InlineData(KeyResultType.DecreaseTo)]
    public void StartEqualToTargetIsInvalid(KeyResultType type)
    {
        var keyResult = type == KeyResultType.IncreaseTo ? Increase(5, 5) : Decrease(5, 5);

        Assert.Contains("target", keyResult.Validate().ToDictionary().Keys);
    }

    [Fact]
    public void IncreaseWhoseTargetIsBelowStartIsInvalid()
    {
        Assert.Contains("target", Increase(10, 4).Validate().ToDictionary().Keys);
    }

    [Fact]
    public void DecreaseWhoseTargetIsAboveStartIsInvalid()
    {
        Assert.Contains("target", Decrease(4, 10).Validate().ToDictionary().Keys);
    }

    [Fact]
    public void CommitTargetStretchOutOfOrderIsInvalid()
    {
        Assert.Contains("target", CommitTargetStretch(0, 20, 10, 30).Validate().ToDictionary().Keys);
    }

    [Fact]
    public void CommitTargetStretchWithoutCommitIsInvalid()
    {
        var keyResult = CommitTargetStretch(0, 10, 20, 30);
        keyResult.Commit = null;

        Assert.Contains("commit", keyResult.Validate().ToDictionary().Keys);
    }

    [Theory]
    [InlineData("current", double.NaN)]
    [InlineData("current", double.PositiveInfinity)]
    [InlineData("start", double.NaN)]
    [InlineData("target", double.NegativeInfinity)]
    [InlineData("weight", double.NaN)]
    public void NonFiniteNumbersAreInvalid(string field, double value)
    {
        var keyResult = Increase(0, 10, 5);
        switch (field)
        {
            case "current": keyResult.Current = value; break;
            case "start": keyResult.Start = value; break;
            case "target": keyResult.Target = value; break;
            case "weight": keyResult.Weight = value; break;
        }

        Assert.Contains(field, keyResult.Validate().ToDictionary().Keys);
    }

    [Fact]
    public void TenThousandCharacterTitleIsInvalid()
    {
        var keyResult = Increase(0, 10);
        keyResult.Title = new string('x', 10_000);

        Assert.Contains("title", keyResult.Validate().ToDictionary().Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void BlankTitleIsInvalid(string title)
    {
        var keyResult = Increase(0, 10);
        keyResult.Title = title;

        Assert.Contains("title", keyResult.Validate().ToDictionary().Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void WeightOutsideZeroExclusiveToThousandIsInvalid(double weight)
    {
        var keyResult = Increase(0, 10);
        keyResult.Weight = weight;

        Assert.Contains("weight", keyResult.Validate().ToDictionary().Keys);
    }
}
