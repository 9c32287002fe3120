using Okapi.Core.Alerts;
using Okapi.Core.Kpis;

namespace Okapi.Core.Tests.Alerts;

public class AlertRuleEvaluationTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly PeriodCalendar Calendar = new(TimeZoneInfo.Utc, DayOfWeek.Monday);

    private static Kpi NewKpi(Cadence cadence = Cadence.Daily) => new()
    {
        Name = "Conversion",
        Key = "conversion",
        Unit = "%",
        Cadence = cadence,
        OwnerTeamId = Guid.NewGuid(),
        WarningLower = 2,
        CriticalLower = 1,
    };

    private static AlertRule Threshold(KpiHealth level = KpiHealth.Critical, int pendingSeconds = 0) =>
        new() { Name = "Conversion low", Kind = AlertRuleKind.Threshold, ThresholdLevel = level, PendingSeconds = pendingSeconds, CreatedAt = Now.UtcDateTime.AddDays(-30) };

    /// <summary>Daily values ending yesterday, oldest first.</summary>
    private static IReadOnlyList<KpiPeriod> Days(Kpi kpi, params double[] values) =>
        kpi.Periods(values.Select((v, i) => new KpiReading(Now.AddDays(i - values.Length), v)), Calendar);

    private static AlertDecision Evaluate(AlertRule rule, Kpi kpi, IReadOnlyList<KpiPeriod> periods, Alert? open = null, DateTimeOffset? now = null) =>
        rule.Evaluate(kpi, periods, periods.Count == 0 ? null : periods[^1].StartUtc, open, now ?? Now);

    [Theory]
    [InlineData(KpiHealth.Critical, 0.5, true)]
    [InlineData(KpiHealth.Critical, 1.5, false)]
    [InlineData(KpiHealth.Warning, 1.5, true)]
    [InlineData(KpiHealth.Warning, 0.5, true)]
    [InlineData(KpiHealth.Warning, 2.5, false)]
    public void ThresholdRuleHoldsWhenTheLatestPeriodReachesItsLevel(KpiHealth level, double value, bool holds)
    {
        var kpi = NewKpi();

        var condition = Threshold(level).Check(kpi, Days(kpi, 5, value), Now, Now);

        Assert.Equal(holds, condition.Holds);
        Assert.Equal(value, condition.Value);
    }

    [Fact]
    public void ThresholdRuleOnACriticalValueFiresAtOnceWithoutAPendingPeriod()
    {
        var kpi = NewKpi();

        var decision = Evaluate(Threshold(), kpi, Days(kpi, 5, 0.5));
        var alert = decision.ApplyTo(Threshold(), null, Now)!;

        Assert.Equal(AlertTransition.OpenFiring, decision.Transition);
        Assert.Equal(NotificationEvent.AlertFiring, decision.NotificationFor(null));
        Assert.Equal(AlertState.Firing, alert.State);
        Assert.Equal(0.5, alert.ValueAtStart);
        Assert.Equal(Now.UtcDateTime, alert.FiredAt);
        Assert.Equal("Conversion is critical at 0.5 %.", alert.Summary);
    }

    [Fact]
    public void PendingAlertFiresOnlyOnceThePendingPeriodHasPassed()
    {
        var kpi = NewKpi();
        var rule = Threshold(pendingSeconds: 300);
        var periods = Days(kpi, 0.5);

        var opened = Evaluate(rule, kpi, periods);
        Assert.Equal(AlertTransition.OpenPending, opened.Transition);
        Assert.Null(opened.NotificationFor(null));
        var alert = opened.ApplyTo(rule, null, Now)!;
        Assert.Equal(AlertState.Pending, alert.State);

        Assert.Equal(AlertTransition.Stay, Evaluate(rule, kpi, periods, alert, Now.AddSeconds(299)).Transition);
        var fire = Evaluate(rule, kpi, periods, alert, Now.AddSeconds(300));
        Assert.Equal(AlertTransition.Fire, fire.Transition);
        fire.ApplyTo(rule, alert, Now.AddSeconds(300));
        Assert.Equal((AlertState.Firing, Now.AddSeconds(300).UtcDateTime), (alert.State, alert.FiredAt));
    }

    [Fact]
    public void PendingAlertWhoseConditionClearsIsResolvedWithoutFiring()
    {
        var kpi = NewKpi();
        var rule = Threshold(pendingSeconds: 300);
        var alert = Evaluate(rule, kpi, Days(kpi, 0.5)).ApplyTo(rule, null, Now)!;

        var decision = Evaluate(rule, kpi, Days(kpi, 0.5, 3), alert, Now.AddSeconds(60));
        decision.ApplyTo(rule, alert, Now.AddSeconds(60));

        Assert.Equal(AlertTransition.Resolve, decision.Transition);
        Assert.Null(decision.NotificationFor(alert));
        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.Null(alert.FiredAt);
        Assert.Equal(3, alert.LastValue);
    }

    [Fact]
    public void FiringAlertResolvesWhenTheValueRecovers()
    {
        var kpi = NewKpi();
        var rule = Threshold();
        var alert = Evaluate(rule, kpi, Days(kpi, 0.5)).ApplyTo(rule, null, Now)!;

        var decision = Evaluate(rule, kpi, Days(kpi, 0.5, 1.5), alert, Now.AddHours(1));
        decision.ApplyTo(rule, alert, Now.AddHours(1));

        Assert.Equal(NotificationEvent.AlertResolved, decision.NotificationFor(alert));
        Assert.Equal((AlertState.Resolved, Now.AddHours(1).UtcDateTime), (alert.State, alert.ResolvedAt));
    }

    [Fact]
    public void FiringAlertRepeatsItsNotificationAfterTheRepeatInterval()
    {
        var kpi = NewKpi();
        var rule = Threshold();
        rule.RepeatMinutes = 60;
        var periods = Days(kpi, 0.5);
        var alert = Evaluate(rule, kpi, periods).ApplyTo(rule, null, Now)!;

        Assert.Equal(AlertTransition.Stay, Evaluate(rule, kpi, periods, alert, Now.AddMinutes(59)).Transition);
        var repeat = Evaluate(rule, kpi, periods, alert, Now.AddMinutes(60));
        Assert.Equal(NotificationEvent.AlertRepeat, repeat.NotificationFor(alert));
        repeat.ApplyTo(rule, alert, Now.AddMinutes(60));
        Assert.Equal(AlertTransition.Stay, Evaluate(rule, kpi, periods, alert, Now.AddMinutes(119)).Transition);
        Assert.Equal(AlertTransition.Repeat, Evaluate(rule, kpi, periods, alert, Now.AddMinutes(120)).Transition);
    }

    [Fact]
    public void FiringAlertWithoutARepeatIntervalStaysQuiet()
    {
        var kpi = NewKpi();
        var rule = Threshold();
        var periods = Days(kpi, 0.5);
        var alert = Evaluate(rule, kpi, periods).ApplyTo(rule, null, Now)!;

        var decision = Evaluate(rule, kpi, periods, alert, Now.AddDays(3));

        Assert.Equal(AlertTransition.Stay, decision.Transition);
        Assert.Null(decision.NotificationFor(alert));
    }

    [Fact]
    public void NothingHappensWhileTheConditionDoesNotHold()
    {
        var kpi = NewKpi();

        Assert.Equal(AlertTransition.None, Evaluate(Threshold(), kpi, Days(kpi, 5)).Transition);
        Assert.Equal(AlertTransition.None, Evaluate(Threshold(), kpi, []).Transition);
    }

    [Fact]
    public void DisabledRuleResolvesItsOpenAlert()
    {
        var kpi = NewKpi();
        var rule = Threshold();
        var alert = Evaluate(rule, kpi, Days(kpi, 0.5)).ApplyTo(rule, null, Now)!;
        rule.Enabled = false;

        Assert.Equal(AlertTransition.Resolve, Evaluate(rule, kpi, Days(kpi, 0.5), alert).Transition);
    }

    private static AlertRule Change(ChangeDirection direction, double percent, ChangeBaseline baseline = ChangeBaseline.PreviousPeriod, int window = 4) => new()
    {
        Name = "Conversion moved",
        Kind = AlertRuleKind.Change,
        ChangeDirection = direction,
        ChangePercent = percent,
        ChangeBaseline = baseline,
        WindowPeriods = window,
    };

    [Theory]
    [InlineData(ChangeDirection.Drop, 10, 100, 80, true)]
    [InlineData(ChangeDirection.Drop, 20, 100, 80, true)]
    [InlineData(ChangeDirection.Drop, 21, 100, 80, false)]
    [InlineData(ChangeDirection.Drop, 10, 100, 120, false)]
    [InlineData(ChangeDirection.Rise, 10, 100, 120, true)]
    [InlineData(ChangeDirection.Rise, 10, 100, 80, false)]
    [InlineData(ChangeDirection.Either, 10, 100, 80, true)]
    [InlineData(ChangeDirection.Either, 10, 100, 120, true)]
    [InlineData(ChangeDirection.Either, 30, 100, 120, false)]
    [InlineData(ChangeDirection.Rise, 50, -100, -40, true)]
    public void ChangeRuleComparesTheLastPeriodWithThePreviousOne(ChangeDirection direction, double percent, double previous, double last, bool holds)
    {
        var kpi = NewKpi();

        var condition = Change(direction, percent).Check(kpi, Days(kpi, previous, last), Now, Now);

        Assert.Equal(holds, condition.Holds);
    }

    [Fact]
    public void ChangeRuleSaysHowMuchTheValueMoved()
    {
        var kpi = NewKpi();

        var condition = Change(ChangeDirection.Drop, 10).Check(kpi, Days(kpi, 4, 3), Now, Now);

        Assert.Equal("Conversion dropped 25 % to 3 % against the previous period's 4 %.", condition.Summary);
    }

    [Fact]
    public void ChangeRuleAgainstTheTrailingAverageAveragesTheWindowBeforeTheLastPeriod()
    {
        var kpi = NewKpi();
        // The window of 3 before the last is 90, 100, 110 (average 100); 50 further back is outside it.
        var periods = Days(kpi, 50, 90, 100, 110, 75);

        Assert.True(Change(ChangeDirection.Drop, 25, ChangeBaseline.TrailingAverage, 3).Check(kpi, periods, Now, Now).Holds);
        Assert.False(Change(ChangeDirection.Drop, 26, ChangeBaseline.TrailingAverage, 3).Check(kpi, periods, Now, Now).Holds);

        // Against the previous period alone the drop is 110 → 75, about 32 %.
        Assert.True(Change(ChangeDirection.Drop, 30).Check(kpi, periods, Now, Now).Holds);
    }

    [Fact]
    public void ChangeRuleWithNothingToCompareDoesNotHold()
    {
        var kpi = NewKpi();

        Assert.False(Change(ChangeDirection.Either, 1).Check(kpi, Days(kpi, 5), Now, Now).Holds);
        Assert.False(Change(ChangeDirection.Either, 1).Check(kpi, Days(kpi, 0, 5), Now, Now).Holds);
        Assert.False(Change(ChangeDirection.Either, 1, ChangeBaseline.TrailingAverage).Check(kpi, Days(kpi, 5), Now, Now).Holds);
    }

    private static AlertRule NoData(int cadences) => new() { Name = "Conversion silent", Kind = AlertRuleKind.NoData, NoDataCadences = cadences, CreatedAt = Now.UtcDateTime.AddDays(-1) };

    [Theory]
    [InlineData(Cadence.Daily, 3, 3 * 24 - 1, false)]
    [InlineData(Cadence.Daily, 3, 3 * 24, true)]
    [InlineData(Cadence.Weekly, 1, 7 * 24, true)]
    [InlineData(Cadence.Weekly, 2, 7 * 24, false)]
    [InlineData(Cadence.Monthly, 1, 31 * 24, true)]
    [InlineData(Cadence.Monthly, 1, 30 * 24, false)]
    public void NoDataRuleHoldsAfterItsNumberOfCadencesWithoutAValue(Cadence cadence, int cadences, int hoursSilent, bool holds)
    {
        var kpi = NewKpi(cadence);

        var condition = NoData(cadences).Check(kpi, [], Now.AddHours(-hoursSilent), Now);

        Assert.Equal(holds, condition.Holds);
        Assert.Null(condition.Value);
    }

    [Fact]
    public void NoDataRuleOnAKpiThatNeverHadAValueCountsFromTheRulesCreation()
    {
        var kpi = NewKpi();
        var rule = NoData(2);

        Assert.False(rule.Check(kpi, [], null, Now).Holds);
        Assert.True(rule.Check(kpi, [], null, Now.AddDays(1)).Holds);
    }

    [Fact]
    public void NoDataAlertResolvesWhenAValueArrives()
    {
        var kpi = NewKpi();
        var rule = NoData(1);
        var alert = rule.Evaluate(kpi, [], Now.AddDays(-2), null, Now).ApplyTo(rule, null, Now)!;
        Assert.Equal((AlertState.Firing, null), (alert.State, alert.ValueAtStart));

        Assert.Equal(AlertTransition.Resolve, rule.Evaluate(kpi, [], Now.AddMinutes(5), alert, Now.AddMinutes(10)).Transition);
    }

    [Fact]
    public void ValidRulesOfEachKindPass()
    {
        Assert.True(Threshold().Validate().IsValid);
        Assert.True(Change(ChangeDirection.Drop, 10, ChangeBaseline.TrailingAverage, 52).Validate().IsValid);
        Assert.True(NoData(100).Validate().IsValid);
    }

    [Fact]
    public void InvalidRulesNameTheirFields()
    {
        var rule = Change(ChangeDirection.Drop, 0, ChangeBaseline.TrailingAverage, 53);
        rule.Name = " ";
        rule.PendingSeconds = 7 * 24 * 3600 + 1;
        rule.RepeatMinutes = 0;

        var errors = rule.Validate().ToDictionary();

        Assert.Equal(["changePercent", "name", "pendingSeconds", "repeatMinutes", "windowPeriods"], errors.Keys.Order());
        Assert.Contains("noDataCadences", NoData(0).Validate().ToDictionary().Keys);
        Assert.Contains("noDataCadences", NoData(101).Validate().ToDictionary().Keys);
        Assert.Contains("thresholdLevel", Threshold(KpiHealth.Ok).Validate().ToDictionary().Keys);
        Assert.Contains("changePercent", Change(ChangeDirection.Drop, double.NaN).Validate().ToDictionary().Keys);
        Assert.Contains("pendingSeconds", Threshold(pendingSeconds: -1).Validate().ToDictionary().Keys);
    }
}
