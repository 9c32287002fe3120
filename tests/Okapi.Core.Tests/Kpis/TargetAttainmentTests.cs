using Okapi.Core.Kpis;

namespace Okapi.Core.Tests.Kpis;

public class TargetAttainmentTests
{
    private static Kpi NewKpi(KpiDirection direction, double? target) =>
        new() { Name = "Revenue", Key = "revenue", Direction = direction, Target = target, OwnerTeamId = Guid.NewGuid() };

    [Theory]
    [InlineData(90, 100, 0.9, true)]
    [InlineData(89, 100, 0.89, false)]
    [InlineData(120, 100, 1.2, true)]
    [InlineData(0, 100, 0, false)]
    public void HigherIsBetterAttainmentIsValueOverTarget(double value, double target, double ratio, bool onTarget)
    {
        var attainment = NewKpi(KpiDirection.HigherIsBetter, target).Attainment(value);

        Assert.NotNull(attainment);
        Assert.Equal(ratio, attainment.Value.Ratio, 12);
        Assert.Equal(onTarget, attainment.Value.IsOnTarget);
    }

    [Theory]
    [InlineData(2, 2, 1.0, true)]
    [InlineData(1, 2, 2.0, true)]
    [InlineData(2.5, 2, 0.8, false)]
    [InlineData(2.2, 2, 0.909090909090909, true)]
    public void LowerIsBetterAttainmentIsTargetOverValue(double value, double target, double ratio, bool onTarget)
    {
        var attainment = NewKpi(KpiDirection.LowerIsBetter, target).Attainment(value);

        Assert.NotNull(attainment);
        Assert.Equal(ratio, attainment.Value.Ratio, 12);
        Assert.Equal(onTarget, attainment.Value.IsOnTarget);
    }

    [Theory]
    [InlineData(21, 21, 1.0, true)]
    [InlineData(23.1, 21, 0.9, true)]
    [InlineData(18.9, 21, 0.9, true)]
    [InlineData(16.8, 21, 0.8, false)]
    [InlineData(63, 21, 0, false)]
    public void WithinBandAttainmentFallsWithTheRelativeDistanceFromTheTarget(double value, double target, double ratio, bool onTarget)
    {
        var attainment = NewKpi(KpiDirection.WithinBand, target).Attainment(value);

        Assert.NotNull(attainment);
        Assert.Equal(ratio, attainment.Value.Ratio, 12);
        Assert.Equal(onTarget, attainment.Value.IsOnTarget);
    }

    [Theory]
    [InlineData(KpiDirection.HigherIsBetter, 5, null)]
    [InlineData(KpiDirection.HigherIsBetter, 5, 0.0)]
    [InlineData(KpiDirection.LowerIsBetter, 0, 3.0)]
    [InlineData(KpiDirection.WithinBand, 5, 0.0)]
    [InlineData(KpiDirection.HigherIsBetter, double.NaN, 3.0)]
    public void AttainmentIsUndefinedWithoutTargetOrWithAZeroDenominator(KpiDirection direction, double value, double? target)
    {
        Assert.Null(NewKpi(direction, target).Attainment(value));
    }
}
