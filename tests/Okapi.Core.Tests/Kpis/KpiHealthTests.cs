using Okapi.Core.Kpis;

namespace Okapi.Core.Tests.Kpis;

public class KpiHealthTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private static Kpi NewKpi(KpiDirection direction, Cadence cadence = Cadence.Daily) =>
        new() { Name = "Leads", Key = "leads", Direction = direction, Cadence = cadence, OwnerTeamId = Guid.NewGuid() };

    private static KpiReading Fresh(double value) => new(Now.AddHours(-1), value);

    [Fact]
    public void KpiWithoutAnyValueIsUnknown()
    {
        var kpi = NewKpi(KpiDirection.HigherIsBetter);
        kpi.WarningLower = 10;

        Assert.Equal(KpiHealth.Unknown, kpi.Health(null, Now));
    }

    [Theory]
    [InlineData(Cadence.Daily, 2 * 24 * 60, KpiHealth.Ok)]
    [InlineData(Cadence.Daily, 2 * 24 * 60 + 1, KpiHealth.Stale)]
    [InlineData(Cadence.Weekly, 14 * 24 * 60, KpiHealth.Ok)]
    [InlineData(Cadence.Weekly, 14 * 24 * 60 + 1, KpiHealth.Stale)]
    [InlineData(Cadence.Monthly, 62 * 24 * 60, KpiHealth.Ok)]
    [InlineData(Cadence.Monthly, 62 * 24 * 60 + 1, KpiHealth.Stale)]
    public void ValueOlderThanTwiceTheCadenceIsStale(Cadence cadence, int ageMinutes, KpiHealth expected)
    {
        var kpi = NewKpi(KpiDirection.HigherIsBetter, cadence);

        Assert.Equal(expected, kpi.Health(new KpiReading(Now.AddMinutes(-ageMinutes), 5), Now));
    }

    [Fact]
    public void MonthlyKpiIsNotStaleAfterTwoShortCalendarMonths()
    {
        var kpi = NewKpi(KpiDirection.HigherIsBetter, Cadence.Monthly);
        var lastOfDecember = new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero);
        var endOfFebruary = new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(KpiHealth.Ok, kpi.Health(new KpiReading(lastOfDecember, 5), endOfFebruary));
    }

    [Fact]
    public void StaleWinsOverACriticalValue()
    {
        var kpi = NewKpi(KpiDirection.HigherIsBetter);
        kpi.CriticalLower = 10;

        Assert.Equal(KpiHealth.Stale, kpi.Health(new KpiReading(Now.AddDays(-3), 1), Now));
    }

    [Fact]
    public void ValueStampedAfterNowIsJudgedByItsValue()
    {
        var kpi = NewKpi(KpiDirection.HigherIsBetter);
        kpi.CriticalLower = 10;

        Assert.Equal(KpiHealth.Critical, kpi.Health(new KpiReading(Now.AddHours(2), 1), Now));
    }

    [Theory]
    [InlineData(120, KpiHealth.Ok)]
    [InlineData(100, KpiHealth.Ok)]
    [InlineData(99.9, KpiHealth.Warning)]
    [InlineData(50, KpiHealth.Warning)]
    [InlineData(49.9, KpiHealth.Critical)]
    [InlineData(-5, KpiHealth.Critical)]
    public void HigherIsBetterKpiTurnsBadBelowItsLowerThresholds(double value, KpiHealth expected)
    {
        var kpi = NewKpi(KpiDirection.HigherIsBetter);
        kpi.WarningLower = 100;
        kpi.CriticalLower = 50;

        Assert.Equal(expected, kpi.Health(Fresh(value), Now));
    }

    [Theory]
    [InlineData(0, KpiHealth.Ok)]
    [InlineData(5, KpiHealth.Ok)]
    [InlineData(5.1, KpiHealth.Warning)]
    [InlineData(10, KpiHealth.Warning)]
    [InlineData(10.1, KpiHealth.Critical)]
    public void LowerIsBetterKpiTurnsBadAboveItsUpperThresholds(double value, KpiHealth expected)
    {
        var kpi = NewKpi(KpiDirection.LowerIsBetter);
        kpi.WarningUpper = 5;
        kpi.CriticalUpper = 10;

        Assert.Equal(expected, kpi.Health(Fresh(value), Now));
    }

    [Theory]
    [InlineData(21, KpiHealth.Ok)]
    [InlineData(18, KpiHealth.Ok)]
    [InlineData(24, KpiHealth.Ok)]
    [InlineData(17, KpiHealth.Warning)]
    [InlineData(14, KpiHealth.Critical)]
    [InlineData(25, KpiHealth.Warning)]
    [InlineData(29, KpiHealth.Critical)]
    public void WithinBandKpiTurnsBadOnEitherSide(double value, KpiHealth expected)
    {
        var kpi = NewKpi(KpiDirection.WithinBand);
        kpi.CriticalLower = 15;
        kpi.WarningLower = 18;
        kpi.WarningUpper = 24;
        kpi.CriticalUpper = 28;

        Assert.Equal(expected, kpi.Health(Fresh(value), Now));
    }

    [Fact]
    public void HigherIsBetterKpiIgnoresBoundsOnItsGoodSide()
    {
        var kpi = NewKpi(KpiDirection.HigherIsBetter);
        kpi.WarningUpper = 100;
        kpi.CriticalUpper = 200;

        Assert.Equal(KpiHealth.Ok, kpi.Health(Fresh(1_000), Now));
    }

    [Fact]
    public void LowerIsBetterKpiIgnoresBoundsOnItsGoodSide()
    {
        var kpi = NewKpi(KpiDirection.LowerIsBetter);
        kpi.WarningLower = 10;
        kpi.CriticalLower = 5;

        Assert.Equal(KpiHealth.Ok, kpi.Health(Fresh(0), Now));
    }

    [Fact]
    public void WarningOnlyKpiNeverTurnsCritical()
    {
        var kpi = NewKpi(KpiDirection.LowerIsBetter);
        kpi.WarningUpper = 5;

        Assert.Equal(KpiHealth.Warning, kpi.Health(Fresh(1e12), Now));
    }

    [Fact]
    public void FreshKpiWithoutThresholdsIsOk()
    {
        var kpi = NewKpi(KpiDirection.WithinBand);

        Assert.Equal(KpiHealth.Ok, kpi.Health(Fresh(-1e9), Now));
    }
}
