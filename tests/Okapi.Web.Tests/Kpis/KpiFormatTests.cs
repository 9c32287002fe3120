using Okapi.Core.Kpis;
using Okapi.Web.Features.Kpis;

namespace Okapi.Web.Tests.Kpis;

/// <summary>How KPI numbers and changes read: no negative zero, changes in percent with the difference beside them.</summary>
public sealed class KpiFormatTests
{
    [Theory]
    [InlineData(-0.001, "0")]
    [InlineData(-0.004, "0")]
    [InlineData(-0.006, "-0.01")]
    [InlineData(2.745, "2.75")]
    [InlineData(-12_345.4, "-12,345")]
    [InlineData(-0.4e6, "-400,000")]
    [InlineData(1_250_000, "1.25 M")]
    public void ANumberThatRoundsToZeroHasNoSign(double value, string shown) => Assert.Equal(shown, KpiFormat.Number(value));

    [Fact]
    public void APercentageThatRoundsToZeroHasNoSign()
    {
        Assert.Equal("0 %", KpiFormat.WithUnit(-0.001, "%"));
        Assert.Equal("0 %", KpiFormat.Percent(-0.004));
        Assert.Equal("-1 %", KpiFormat.Percent(-0.006));
    }

    [Fact]
    public void AChangeOfAPercentageKpiReadsInPercentAndPercentagePoints()
    {
        // 2.71 % to 2.74 %: the relative change is 0.0111, which used to read "+0.01" beside a KPI in %.
        var change = KpiPeriod.Change(2.71, 2.74);
        Assert.Equal("+1.1 % (+0.03 pp)", KpiFormat.Change(change, 2.74, 2.71, "%"));
        Assert.Equal("▲", KpiFormat.Arrow(change));
    }

    [Fact]
    public void AChangeReadsInPercentWithTheDifferenceInTheKpisUnit()
    {
        Assert.Equal("+25 % (+30 signups)", KpiFormat.Change(KpiPeriod.Change(120, 150), 150, 120, "signups"));
        Assert.Equal("-4.2 % (-5 min)", KpiFormat.Change(KpiPeriod.Change(120, 115), 115, 120, "min"));
        Assert.Equal("-50 % (-1.5)", KpiFormat.Change(KpiPeriod.Change(3, 1.5), 1.5, 3, null));
        Assert.Equal("+3 %", KpiFormat.Change(0.03, 103, null, "€"));
    }

    [Fact]
    public void ATinyChangeIsNoChangeInItsTextArrowAndColour()
    {
        var change = KpiPeriod.Change(99.95, 99.94);
        Assert.Equal("no change", KpiFormat.Change(change, 99.94, 99.95, "%"));
        Assert.Equal("▬", KpiFormat.Arrow(change));
        Assert.Equal("okapi-change", KpiFormat.ChangeClass(change, KpiDirection.HigherIsBetter));
        Assert.Null(KpiFormat.IsGood(change!.Value, KpiDirection.HigherIsBetter));
    }

    [Fact]
    public void AChangeWhoseDifferenceRoundsAwayKeepsOnlyThePercent()
    {
        // 0.001 to 0.0012 is a fifth more, but both read as 0 at two decimals.
        Assert.Equal("+20 %", KpiFormat.Change(KpiPeriod.Change(0.001, 0.0012), 0.0012, 0.001, "%"));
    }

    [Fact]
    public void ADropIsBadNewsOnlyWhenHigherIsBetter()
    {
        Assert.Equal("okapi-change okapi-change--bad", KpiFormat.ChangeClass(-0.2, KpiDirection.HigherIsBetter));
        Assert.Equal("okapi-change okapi-change--good", KpiFormat.ChangeClass(-0.2, KpiDirection.LowerIsBetter));
        Assert.Equal("▼", KpiFormat.Arrow(-0.2));
        Assert.Equal("no previous period", KpiFormat.Change(null, 3, null, "%"));
    }
}
