using System.Globalization;
using Okapi.Core.Kpis;

namespace Okapi.Core.Alerts;

/// <summary>What an evaluation does with a rule's open alert.</summary>
public enum AlertTransition
{
    /// <summary>The condition does not hold and nothing is open.</summary>
    None,

    /// <summary>The condition started to hold: a new alert waits out the pending period.</summary>
    OpenPending,

    /// <summary>The condition started to hold and the rule has no pending period: a new alert fires at once.</summary>
    OpenFiring,

    /// <summary>The pending alert's condition held for the whole pending period.</summary>
    Fire,

    /// <summary>The open alert stays as it is (its last value may move).</summary>
    Stay,

    /// <summary>A firing alert whose repeat interval elapsed since the last notification.</summary>
    Repeat,

    /// <summary>The condition cleared: the open alert (pending or firing) is resolved.</summary>
    Resolve,
}

/// <summary>Whether a rule's condition holds now, in words, and the value it looked at (null for no data).</summary>
public sealed record AlertCondition(bool Holds, string Summary, double? Value);

/// <summary>
/// The outcome of evaluating a rule: the transition, the notification it sends (one per transition) and the
/// condition that led to it. <see cref="ApplyTo"/> carries it out on the alert.
/// </summary>
public sealed record AlertDecision(AlertTransition Transition, AlertCondition Condition)
{
    /// <summary>
    /// The notification this decision sends for the rule's open alert <paramref name="open"/> (before the decision is
    /// applied). As in Prometheus and Grafana, the pending period is quiet: people hear when an alert fires, again on
    /// repeat, and when a fired alert resolves; a pending alert that clears before firing was never news.
    /// </summary>
    public NotificationEvent? NotificationFor(Alert? open) => Transition switch
    {
        AlertTransition.OpenFiring or AlertTransition.Fire => NotificationEvent.AlertFiring,
        AlertTransition.Repeat => NotificationEvent.AlertRepeat,
        AlertTransition.Resolve when open?.FiredAt is not null => NotificationEvent.AlertResolved,
        _ => null,
    };

    public bool OpensAlert => Transition is AlertTransition.OpenPending or AlertTransition.OpenFiring;

    /// <summary>
    /// The alert after this decision: a new one for the opening transitions, else <paramref name="open"/> changed in
    /// place; null when there is nothing to change.
    /// </summary>
    public Alert? ApplyTo(AlertRule rule, Alert? open, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var at = now.UtcDateTime;
        switch (Transition)
        {
            case AlertTransition.OpenPending or AlertTransition.OpenFiring:
                var firing = Transition == AlertTransition.OpenFiring;
                return new Alert
                {
                    OrganisationId = rule.OrganisationId,
                    RuleId = rule.Id,
                    KpiId = rule.KpiId,
                    Severity = rule.Severity,
                    State = firing ? AlertState.Firing : AlertState.Pending,
                    StartedAt = at,
                    FiredAt = firing ? at : null,
                    ValueAtStart = Condition.Value,
                    LastValue = Condition.Value,
                    Summary = Condition.Summary,
                    LastNotifiedAt = at,
                };
            case AlertTransition.None:
                return null;
        }

        if (open is null)
        {
            throw new InvalidOperationException($"{Transition} needs an open alert.");
        }

        open.LastValue = Condition.Value ?? open.LastValue;
        switch (Transition)
        {
            case AlertTransition.Fire:
                open.State = AlertState.Firing;
                open.FiredAt = at;
                open.Summary = Condition.Summary;
                open.LastNotifiedAt = at;
                break;
            case AlertTransition.Repeat:
                open.Summary = Condition.Summary;
                open.LastNotifiedAt = at;
                break;
            case AlertTransition.Resolve:
                open.State = AlertState.Resolved;
                open.ResolvedAt = at;
                open.LastNotifiedAt = at;
                break;
        }

        return open;
    }
}

/// <summary>An alert rule's condition and lifecycle, pure: the evaluator loads, calls <see cref="Evaluate"/>, saves.</summary>
public static class AlertRuleEvaluation
{
    public const int MaxWindowPeriods = 52;
    public const int MaxNoDataCadences = 100;
    public const int MaxPendingSeconds = 7 * 24 * 60 * 60;

    /// <summary>Longest repeat interval: 30 days; longer would be a forgotten alert, not a reminder.</summary>
    public const int MaxRepeatMinutes = 30 * 24 * 60;

    /// <summary>How many of the latest periods the rule looks at (the evaluator loads at least these).</summary>
    public static int PeriodsNeeded(this AlertRule rule) => rule.Kind switch
    {
        AlertRuleKind.Threshold => 1,
        AlertRuleKind.Change => rule.ChangeBaseline == ChangeBaseline.TrailingAverage ? rule.WindowPeriods + 1 : 2,
        _ => 0,
    };

    /// <summary>The length of one cadence, as <see cref="Kpi.StaleAfter"/> counts it (a month is 31 days).</summary>
    public static TimeSpan CadenceLength(this Kpi kpi) => kpi.StaleAfter / Kpi.StaleAfterCadences;

    /// <summary>
    /// Decides what happens to the rule's open alert at <paramref name="now"/>, given the KPI's periods (oldest
    /// first) and the instant of its newest value. The condition of a disabled rule, or of a rule of an archived KPI,
    /// never holds: such a rule fires nothing and its open alert resolves.
    /// </summary>
    public static AlertDecision Evaluate(this AlertRule rule, Kpi kpi, IReadOnlyList<KpiPeriod> periods, DateTimeOffset? latestAt, Alert? open, DateTimeOffset now)
    {
        var condition = !rule.Enabled ? new AlertCondition(false, "The rule is disabled.", null)
            : kpi.IsArchived ? new AlertCondition(false, "The KPI is archived.", null)
            : rule.Check(kpi, periods, latestAt, now);
        if (open is not { IsOpen: true })
        {
            return new AlertDecision(!condition.Holds ? AlertTransition.None : rule.PendingSeconds <= 0 ? AlertTransition.OpenFiring : AlertTransition.OpenPending, condition);
        }

        if (!condition.Holds)
        {
            return new AlertDecision(AlertTransition.Resolve, condition);
        }

        if (open.State == AlertState.Pending)
        {
            var pendingFor = now - new DateTimeOffset(open.StartedAt);
            return new AlertDecision(pendingFor >= TimeSpan.FromSeconds(rule.PendingSeconds) ? AlertTransition.Fire : AlertTransition.Stay, condition);
        }

        var lastNotified = new DateTimeOffset(open.LastNotifiedAt ?? open.FiredAt ?? open.StartedAt);
        var repeat = rule.RepeatMinutes is { } minutes && now - lastNotified >= TimeSpan.FromMinutes(minutes);
        return new AlertDecision(repeat ? AlertTransition.Repeat : AlertTransition.Stay, condition);
    }

    /// <summary>Whether the rule's condition holds now, whatever alert is open.</summary>
    public static AlertCondition Check(this AlertRule rule, Kpi kpi, IReadOnlyList<KpiPeriod> periods, DateTimeOffset? latestAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(kpi);
        ArgumentNullException.ThrowIfNull(periods);
        return rule.Kind switch
        {
            AlertRuleKind.Threshold => Threshold(rule, kpi, periods),
            AlertRuleKind.Change => Change(rule, kpi, periods),
            AlertRuleKind.NoData => NoData(rule, kpi, latestAt, now),
            _ => throw new InvalidOperationException($"Unknown rule kind {rule.Kind}."),
        };
    }

    private static AlertCondition Threshold(AlertRule rule, Kpi kpi, IReadOnlyList<KpiPeriod> periods)
    {
        if (periods.Count == 0)
        {
            return new AlertCondition(false, $"{kpi.Name} has no value yet.", null);
        }

        // The thresholds alone, not Kpi.Health: a stale value has not recovered, so it keeps a threshold alert open
        // (going quiet is what no-data rules are for).
        var value = periods[^1].Value;
        var health = kpi.Thresholds.Classify(value, kpi.Direction);
        var holds = rule.ThresholdLevel == KpiHealth.Warning
            ? health is KpiHealth.Warning or KpiHealth.Critical
            : health == KpiHealth.Critical;
        var level = health switch
        {
            KpiHealth.Critical => "critical",
            KpiHealth.Warning => "warning",
            _ => "ok",
        };
        return new AlertCondition(holds, $"{kpi.Name} is {level} at {Format(value, kpi)}.", value);
    }

    private static AlertCondition Change(AlertRule rule, Kpi kpi, IReadOnlyList<KpiPeriod> periods)
    {
        if (periods.Count == 0)
        {
            return new AlertCondition(false, $"{kpi.Name} has no value yet.", null);
        }

        var last = periods[^1].Value;
        double? change;
        string against;
        if (rule.ChangeBaseline == ChangeBaseline.TrailingAverage)
        {
            var window = periods.Take(periods.Count - 1).TakeLast(rule.WindowPeriods).ToList();
            var average = window.Count == 0 ? 0 : window.Average(p => p.Value);
            change = window.Count == 0 || average == 0 ? null : (last - average) / Math.Abs(average);
            against = $"the average {Format(average, kpi)} of the {window.Count} periods before";
        }
        else
        {
            change = KpiPeriod.Change(periods);
            against = periods.Count >= 2 ? $"the previous period's {Format(periods[^2].Value, kpi)}" : "the previous period";
        }

        if (change is not { } relative)
        {
            return new AlertCondition(false, $"{kpi.Name} has nothing to compare {Format(last, kpi)} with.", last);
        }

        var limit = (rule.ChangePercent ?? double.PositiveInfinity) / 100;
        var holds = rule.ChangeDirection switch
        {
            ChangeDirection.Rise => relative >= limit,
            ChangeDirection.Drop => -relative >= limit,
            _ => Math.Abs(relative) >= limit,
        };
        var verb = relative >= 0 ? "rose" : "dropped";
        var percent = Math.Abs(relative * 100).ToString("0.#", CultureInfo.InvariantCulture);
        return new AlertCondition(holds, $"{kpi.Name} {verb} {percent} % to {Format(last, kpi)} against {against}.", last);
    }

    private static AlertCondition NoData(AlertRule rule, Kpi kpi, DateTimeOffset? latestAt, DateTimeOffset now)
    {
        var silence = rule.NoDataCadences * kpi.CadenceLength();

        // A KPI that never had a value is silent since the rule began watching it.
        var since = latestAt ?? new DateTimeOffset(rule.CreatedAt);
        var holds = now - since >= silence;
        var what = latestAt is null ? "no value yet" : $"had no value since {latestAt.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
        return new AlertCondition(holds, $"{kpi.Name} has {what} (expected at least one every {Describe(kpi.CadenceLength())}).", null);
    }

    /// <summary>The rules an alert rule must satisfy, shared by the API and the UI; channels are checked against the database by the caller.</summary>
    public static ValidationErrors Validate(this AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var errors = new ValidationErrors()
            .Text(rule.Name, "name", AlertRule.MaxNameLength)
            .Require(Enum.IsDefined(rule.Kind), "kind", "is not a known rule kind.")
            .Require(Enum.IsDefined(rule.Severity), "severity", "is not a known severity.")
            .Require(rule.PendingSeconds is >= 0 and <= MaxPendingSeconds, "pendingSeconds", $"must be between 0 and {MaxPendingSeconds} (7 days).")
            .Require(rule.RepeatMinutes is null or (>= 1 and <= MaxRepeatMinutes), "repeatMinutes", $"must be between 1 and {MaxRepeatMinutes} (30 days), or left out to notify once per transition.")
            .Require(rule.ChannelIds.Count <= 20, "channelIds", "at most 20 channels.")
            .Require(rule.ChannelIds.Distinct().Count() == rule.ChannelIds.Count, "channelIds", "names a channel twice.");
        switch (rule.Kind)
        {
            case AlertRuleKind.Threshold:
                errors.Require(rule.ThresholdLevel is KpiHealth.Warning or KpiHealth.Critical, "thresholdLevel", "must be warning (warning or critical) or critical.");
                break;
            case AlertRuleKind.Change:
                errors.Finite(rule.ChangePercent, "changePercent")
                    .Require(rule.ChangePercent is > 0, "changePercent", "a change rule needs a percentage greater than 0.")
                    .Require(Enum.IsDefined(rule.ChangeDirection), "changeDirection", "is not a known direction.")
                    .Require(Enum.IsDefined(rule.ChangeBaseline), "changeBaseline", "is not a known baseline.")
                    .Require(rule.WindowPeriods is >= 1 and <= MaxWindowPeriods, "windowPeriods", $"must be between 1 and {MaxWindowPeriods}.");
                break;
            case AlertRuleKind.NoData:
                errors.Require(rule.NoDataCadences is >= 1 and <= MaxNoDataCadences, "noDataCadences", $"must be between 1 and {MaxNoDataCadences}.");
                break;
        }

        return errors;
    }

    private static string Format(double value, Kpi kpi)
    {
        var number = value.ToString("0.###", CultureInfo.InvariantCulture);
        return string.IsNullOrWhiteSpace(kpi.Unit) ? number : $"{number} {kpi.Unit}";
    }

    private static string Describe(TimeSpan span) => span.TotalDays == 1 ? "day" : $"{span.TotalDays:0} days";
}
