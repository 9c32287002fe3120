using Okapi.Core.Kpis;

namespace Okapi.Core.Tests.Kpis;

public class KpiValidationTests
{
    private static Kpi ValidKpi() => new()
    {
        Name = "Weekly leads",
        Key = "weekly-leads",
        OwnerTeamId = Guid.NewGuid(),
        Direction = KpiDirection.HigherIsBetter,
        WarningLower = 100,
        CriticalLower = 50,
        Target = 150,
        Tags = ["acquisition"],
    };

    private static IDictionary<string, string[]> Errors(Kpi kpi) => kpi.Validate().ToDictionary();

    [Fact]
    public void WellFormedKpiIsValid()
    {
        Assert.True(ValidKpi().Validate().IsValid);
    }

    [Fact]
    public void KpiNeedsANameAKeyAndAnOwner()
    {
        var kpi = ValidKpi();
        kpi.Name = " ";
        kpi.Key = "";
        kpi.OwnerTeamId = null;

        Assert.Equal(["key", "name", "owner"], Errors(kpi).Keys.Order());
    }

    [Theory]
    [InlineData("Weekly-Leads")]
    [InlineData("weekly leads")]
    [InlineData("-leads")]
    [InlineData("leads-")]
    [InlineData("weekly--leads")]
    [InlineData("leads\n")]
    public void KeyMustBeALowercaseSlug(string key)
    {
        var kpi = ValidKpi();
        kpi.Key = key;

        Assert.Contains("key", Errors(kpi).Keys);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ThresholdsAndTargetMustBeFinite(double bad)
    {
        var kpi = ValidKpi();
        kpi.WarningLower = bad;
        kpi.Target = bad;

        Assert.Contains("warningLower", Errors(kpi).Keys);
        Assert.Contains("target", Errors(kpi).Keys);
    }

    [Fact]
    public void HigherIsBetterKpiNeedsItsCriticalBoundBelowItsWarningBound()
    {
        var kpi = ValidKpi();
        kpi.CriticalLower = 120;

        Assert.Equal(["criticalLower"], Errors(kpi).Keys);
    }

    [Fact]
    public void LowerIsBetterKpiNeedsItsCriticalBoundAboveItsWarningBound()
    {
        var kpi = ValidKpi();
        kpi.Direction = KpiDirection.LowerIsBetter;
        (kpi.WarningLower, kpi.CriticalLower) = (null, null);
        (kpi.WarningUpper, kpi.CriticalUpper) = (10, 5);

        Assert.Equal(["criticalUpper"], Errors(kpi).Keys);
    }

    [Fact]
    public void UpperBoundOnAHigherIsBetterKpiIsRefused()
    {
        var kpi = ValidKpi();
        kpi.WarningUpper = 500;

        Assert.Equal(["warningUpper"], Errors(kpi).Keys);
    }

    [Fact]
    public void LowerBoundOnALowerIsBetterKpiIsRefused()
    {
        var kpi = ValidKpi();
        kpi.Direction = KpiDirection.LowerIsBetter;
        kpi.CriticalLower = null;

        Assert.Equal(["warningLower"], Errors(kpi).Keys);
    }

    [Fact]
    public void WithinBandKpiAcceptsNestedBands()
    {
        var kpi = ValidKpi();
        kpi.Direction = KpiDirection.WithinBand;
        (kpi.CriticalLower, kpi.WarningLower, kpi.WarningUpper, kpi.CriticalUpper) = (15, 18, 24, 28);

        Assert.True(kpi.Validate().IsValid);
    }

    [Fact]
    public void WithinBandKpiRefusesALowerBoundAboveAnUpperBound()
    {
        var kpi = ValidKpi();
        kpi.Direction = KpiDirection.WithinBand;
        (kpi.CriticalLower, kpi.WarningLower, kpi.WarningUpper, kpi.CriticalUpper) = (null, 30, null, 28);

        Assert.Equal(["thresholds"], Errors(kpi).Keys);
    }

    [Fact]
    public void UnknownEnumValuesAreRefused()
    {
        var kpi = ValidKpi();
        kpi.Cadence = (Cadence)42;
        kpi.Aggregation = (PeriodAggregation)42;

        Assert.Equal(["aggregation", "cadence"], Errors(kpi).Keys.Order());
    }

    [Fact]
    public void TooManyOrTooLongTagsAreRefused()
    {
        var kpi = ValidKpi();
        kpi.Tags = [.. Enumerable.Range(0, Kpi.MaxTags + 1).Select(i => $"t{i}")];
        Assert.Contains("tags", Errors(kpi).Keys);

        kpi.Tags = [new string('x', Kpi.MaxTagLength + 1)];
        Assert.Contains("tags", Errors(kpi).Keys);
    }
}
