using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using static Okapi.Core.Tests.Okrs.KeyResults;

namespace Okapi.Core.Tests;

public class StorableNumberTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5e-324)]
    [InlineData(-1e15)]
    [InlineData(1e15)]
    [InlineData(123456.789)]
    public void NumbersUpToTheMaximumMagnitudeAreStorable(double value)
    {
        Assert.True(StorableNumber.IsStorable(value));
        Assert.True(new ValidationErrors().Finite(value, "value").IsValid);
    }

    [Theory]
    [InlineData(1.0000001e15)]
    [InlineData(-1e16)]
    [InlineData(1e308)]
    [InlineData(double.MaxValue)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void NumbersBeyondTheMaximumMagnitudeOrNotFiniteAreRefusedUnderTheirField(double value)
    {
        Assert.False(StorableNumber.IsStorable(value));
        Assert.Equal(["value"], new ValidationErrors().Finite(value, "value").ToDictionary().Keys);
    }

    [Theory]
    [InlineData(0, 1e-9, true)]
    [InlineData(0, 5e-324, false)]
    [InlineData(0, 1e-10, false)]
    [InlineData(1e12, 1e12 + 2000, true)]
    [InlineData(1e12, 1e12 + 0.001, false)]
    [InlineData(-1e15, 1e15, true)]
    [InlineData(3, 3, false)]
    public void LevelsAreApartWhenTheirDistanceIsAtLeastTheResolutionOfTheirMagnitude(double from, double to, bool apart)
    {
        Assert.Equal(apart, StorableNumber.AreApart(from, to));
        Assert.Equal(apart, StorableNumber.AreApart(to, from));
    }

    [Theory]
    [InlineData(double.NaN, 0)]
    [InlineData(double.PositiveInfinity, StorableNumber.MaxMagnitude)]
    [InlineData(double.NegativeInfinity, -StorableNumber.MaxMagnitude)]
    [InlineData(0.25, 0.25)]
    public void BoundMakesAnyResultFinite(double value, double bounded)
    {
        Assert.Equal(bounded, StorableNumber.Bound(value));
    }

    [Fact]
    public void KeyResultsWithLevelsTooCloseToDivideByAreRefused()
    {
        Assert.Contains("target", Increase(0, 5e-324).Validate().ToDictionary().Keys);
        Assert.Contains("target", Decrease(1e12, 1e12 - 0.001).Validate().ToDictionary().Keys);
        Assert.Contains("commit", CommitTargetStretch(0, 1e-300, 10, 20).Validate().ToDictionary().Keys);
        Assert.Contains("stretch", CommitTargetStretch(0, 5, 10, 10 + 1e-12).Validate().ToDictionary().Keys);
        Assert.True(Increase(0, 1e-6).Validate().IsValid);
    }

    [Fact]
    public void KeyResultsWithLevelsBeyondTheStorableRangeAreRefused()
    {
        var errors = Increase(-1e308, 1e308).Validate().ToDictionary();

        Assert.Contains("start", errors.Keys);
        Assert.Contains("target", errors.Keys);
        Assert.Contains("current", Increase(0, 10, current: 1.7e308).Validate().ToDictionary().Keys);
    }

    [Fact]
    public void CheckInsAndKpiValuesBeyondTheStorableRangeAreRefused()
    {
        var keyResult = Increase(0, 10);
        var now = new DateTime(2027, 2, 15, 0, 0, 0, DateTimeKind.Utc);

        Assert.Contains("value", keyResult.NewCheckIn(1.7e308, now, CheckInSource.Person).Validate(now).ToDictionary().Keys);
        Assert.Contains("value", KpiValue.Validate(now, -2e15, now).ToDictionary().Keys);
        Assert.Contains("criticalLower", new KpiThresholds(CriticalLower: 1e300).Validate(KpiDirection.HigherIsBetter, new ValidationErrors()).ToDictionary().Keys);
    }

    [Theory]
    [InlineData(0, 5e-324, 1e-300)]
    [InlineData(0, 5e-324, 1e308)]
    [InlineData(-1e308, 1e308, 1.7e308)]
    [InlineData(1, 1.0000000000000002, 1e308)]
    [InlineData(0, 1, double.MaxValue)]
    [InlineData(0, 1, double.NaN)]
    public void ProgressAndAttainmentOfKeyResultsStoredBeforeTheRulesAreFinite(double start, double target, double current)
    {
        foreach (var keyResult in new[] { Increase(start, target, current), Decrease(target, start, current), CommitTargetStretch(start, start, target, target, current) })
        {
            Assert.InRange(keyResult.Progress(), 0, 1);
            Assert.True(double.IsFinite(keyResult.Attainment()));
        }
    }

    [Fact]
    public void ADegenerateRangeMeansNoProgress()
    {
        Assert.Equal(0, Increase(0, 5e-324, current: 1).Progress());
    }

    [Fact]
    public void TargetAttainmentAndChangeThatWouldOverflowAreNone()
    {
        Assert.Null(TargetAttainment.Of(1e300, 1e-300, KpiDirection.HigherIsBetter));
        Assert.Null(KpiPeriod.Change(1e-300, 1e300));
        Assert.Equal(0.5, KpiPeriod.Change(2, 3));
    }
}
