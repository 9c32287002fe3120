using System.ComponentModel.DataAnnotations;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Alerts;

/// <summary>
/// An alert rule to create or replace on a KPI. The fields that tune one kind apply only to that kind and are kept but
/// ignored for the others: `thresholdLevel` for `threshold`; `changePercent`, `changeDirection`, `changeBaseline` and
/// `windowPeriods` for `change`; `noDataCadences` for `noData`. A field left out takes its default.
/// </summary>
/// <param name="KpiId">The KPI the rule watches; the caller must be allowed to edit it, and it must not be archived. A replace cannot move the rule to another KPI.</param>
/// <param name="Name">The rule's name, shown in alerts and notifications; required, at most 200 characters.</param>
/// <param name="Kind">Required. `threshold`: the KPI's health reaches a level; `change`: its period value rises or drops by a percentage; `noData`: it gets no value for a number of cadences.</param>
/// <param name="Severity">The severity of the alerts it raises: `info`, `warning` (the default) or `critical`.</param>
/// <param name="ThresholdLevel">Threshold rules only: `warning` fires on warning or critical health, `critical` (the default) on critical only; other health values are refused.</param>
/// <param name="ChangePercent">Change rules only, and required for them: the relative change that fires, in percent (20 means 20 %); a finite number greater than 0.</param>
/// <param name="ChangeDirection">Change rules only: which change fires, `rise`, `drop` (the default) or `either`.</param>
/// <param name="ChangeBaseline">Change rules only: what the latest period is compared with, `previousPeriod` (the default) or `trailingAverage` of the periods before it.</param>
/// <param name="WindowPeriods">Change rules only: how many periods before the latest one the trailing average takes; 1 to 52, 4 by default.</param>
/// <param name="NoDataCadences">No-data rules only: how many lengths of the KPI's cadence without a value fire; 1 to 100, 2 by default.</param>
/// <param name="PendingSeconds">How many seconds the condition must hold before the alert fires (like `for` in Prometheus); 0 to 604800 (7 days), 0 by default, which fires at once.</param>
/// <param name="RepeatMinutes">While the alert fires, notify again this often, in minutes; 1 to 43200 (30 days). Left out, the channels hear once per transition.</param>
/// <param name="Enabled">Whether the rule is evaluated; true by default.</param>
/// <param name="ChannelIds">The notification channels told of the rule's alerts firing and resolving: existing channel ids, at most 20, none twice. Empty by default.</param>
public sealed record AlertRuleRequest(
    Guid KpiId,
    [property: Required, StringLength(AlertRule.MaxNameLength)] string Name,
    [property: Required] AlertRuleKind? Kind,
    AlertSeverity? Severity,
    KpiHealth? ThresholdLevel,
    double? ChangePercent,
    ChangeDirection? ChangeDirection,
    ChangeBaseline? ChangeBaseline,
    int? WindowPeriods,
    int? NoDataCadences,
    int? PendingSeconds,
    int? RepeatMinutes,
    bool? Enabled,
    List<Guid>? ChannelIds);

/// <summary>An alert rule; the fields of other kinds than its own are kept but do not apply.</summary>
/// <param name="Id">The rule's id.</param>
/// <param name="KpiId">The KPI it watches.</param>
/// <param name="Name">Its name.</param>
/// <param name="Kind">`threshold`, `change` or `noData`.</param>
/// <param name="Severity">The severity of its alerts: `info`, `warning` or `critical`.</param>
/// <param name="ThresholdLevel">Threshold rules: `warning` fires on warning or critical health, `critical` on critical only.</param>
/// <param name="ChangePercent">Change rules: the relative change that fires, in percent.</param>
/// <param name="ChangeDirection">Change rules: `rise`, `drop` or `either`.</param>
/// <param name="ChangeBaseline">Change rules: `previousPeriod` or `trailingAverage`.</param>
/// <param name="WindowPeriods">Change rules: how many periods the trailing average takes.</param>
/// <param name="NoDataCadences">No-data rules: how many cadence lengths without a value fire.</param>
/// <param name="PendingSeconds">How long the condition must hold before the alert fires, in seconds.</param>
/// <param name="RepeatMinutes">While firing, notify again this often, in minutes; null notifies once per transition.</param>
/// <param name="Enabled">Whether the rule is evaluated.</param>
/// <param name="ChannelIds">The channels told of its alerts.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="CanEdit">Whether the caller may edit the rule.</param>
public sealed record AlertRuleDto(
    Guid Id, Guid KpiId, string Name, AlertRuleKind Kind, AlertSeverity Severity, KpiHealth ThresholdLevel,
    double? ChangePercent, ChangeDirection ChangeDirection, ChangeBaseline ChangeBaseline, int WindowPeriods,
    int NoDataCadences, int PendingSeconds, int? RepeatMinutes, bool Enabled, IReadOnlyList<Guid> ChannelIds,
    int Version, DateTime CreatedAt, DateTime UpdatedAt, bool CanEdit) : IHasVersion;

/// <summary>One incident of a rule: pending while its condition holds for less than the rule's pending time, firing after, resolved once it clears.</summary>
/// <param name="Id">The alert's id.</param>
/// <param name="RuleId">The rule that raised it.</param>
/// <param name="RuleName">That rule's name.</param>
/// <param name="KpiId">The KPI it is about.</param>
/// <param name="KpiName">That KPI's name.</param>
/// <param name="State">`pending`, `firing` or `resolved`.</param>
/// <param name="Severity">`info`, `warning` or `critical`, from the rule.</param>
/// <param name="StartedAt">When the condition was first seen (UTC).</param>
/// <param name="FiredAt">When it started firing (UTC); null while pending, or if it resolved before firing.</param>
/// <param name="ResolvedAt">When the condition cleared (UTC); null while open.</param>
/// <param name="ValueAtStart">The value that started it; null for a no-data alert.</param>
/// <param name="LastValue">The latest value seen while it was open.</param>
/// <param name="Summary">What the condition is, in words, e.g. "Conversion rate 1.2 % is below the critical threshold 1.5 %".</param>
/// <param name="AcknowledgedById">The person who acknowledged it, if anyone did.</param>
/// <param name="AcknowledgedAt">When it was acknowledged (UTC).</param>
/// <param name="AcknowledgementNote">The note given with the acknowledgement.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="CanAcknowledge">Whether the caller may acknowledge it now: it is open and the caller may write.</param>
public sealed record AlertDto(
    Guid Id, Guid RuleId, string RuleName, Guid KpiId, string KpiName, AlertState State, AlertSeverity Severity,
    DateTime StartedAt, DateTime? FiredAt, DateTime? ResolvedAt, double? ValueAtStart, double? LastValue, string Summary,
    Guid? AcknowledgedById, DateTime? AcknowledgedAt, string? AcknowledgementNote, int Version, bool CanAcknowledge) : IHasVersion;

/// <summary>Acknowledges a pending or firing alert (someone is on it) and tells its channels; a resolved alert is refused.</summary>
/// <param name="Note">What is being done about it, shown with the alert; optional, at most 2,000 characters.</param>
public sealed record AcknowledgeRequest([property: StringLength(2000)] string? Note);

/// <summary>
/// <c>open=true</c>: pending and firing alerts only; <c>rule=</c>: one rule's; <c>since=</c>: those still open or
/// resolved since that instant.
/// </summary>
public sealed record AlertFilter(Guid? Kpi, EnumQuery<AlertState>? State, bool? Open, Guid? Rule = null, DateTimeOffset? Since = null);

/// <summary>
/// One rule's alerts in a period, so that a flapping rule reads as one row: its state now (that of its open alert, or
/// resolved), how many of its alerts fired since the period's start, when it last changed, and its open alert if any.
/// </summary>
/// <param name="RuleId">The alert rule.</param>
/// <param name="RuleName">The rule's name.</param>
/// <param name="KpiId">The KPI the rule watches.</param>
/// <param name="KpiName">The KPI's name.</param>
/// <param name="Severity">The rule's severity: `info`, `warning` or `critical`.</param>
/// <param name="State">The state of its open alert (`pending` or `firing`), or `resolved` when none is open.</param>
/// <param name="FiredCount">How many of its alerts fired since the period's start.</param>
/// <param name="AlertCount">How many of its alerts the period holds.</param>
/// <param name="LastChangeAt">When one of its alerts last started, fired or resolved (UTC).</param>
/// <param name="Open">Its open alert, if any.</param>
public sealed record AlertGroupDto(
    Guid RuleId, string RuleName, Guid KpiId, string KpiName, AlertSeverity Severity, AlertState State, int FiredCount, int AlertCount,
    DateTime LastChangeAt, AlertDto? Open);

/// <summary><c>since=</c>: the period's start, a week ago by default.</summary>
public sealed record AlertGroupFilter(Guid? Kpi, DateTimeOffset? Since);
