using System.ComponentModel.DataAnnotations;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Alerts;

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

public sealed record AlertRuleDto(
    Guid Id, Guid KpiId, string Name, AlertRuleKind Kind, AlertSeverity Severity, KpiHealth ThresholdLevel,
    double? ChangePercent, ChangeDirection ChangeDirection, ChangeBaseline ChangeBaseline, int WindowPeriods,
    int NoDataCadences, int PendingSeconds, int? RepeatMinutes, bool Enabled, IReadOnlyList<Guid> ChannelIds,
    int Version, DateTime CreatedAt, DateTime UpdatedAt, bool CanEdit) : IHasVersion;

public sealed record AlertDto(
    Guid Id, Guid RuleId, string RuleName, Guid KpiId, string KpiName, AlertState State, AlertSeverity Severity,
    DateTime StartedAt, DateTime? FiredAt, DateTime? ResolvedAt, double? ValueAtStart, double? LastValue, string Summary,
    Guid? AcknowledgedById, DateTime? AcknowledgedAt, string? AcknowledgementNote, int Version, bool CanAcknowledge) : IHasVersion;

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
public sealed record AlertGroupDto(
    Guid RuleId, string RuleName, Guid KpiId, string KpiName, AlertSeverity Severity, AlertState State, int FiredCount, int AlertCount,
    DateTime LastChangeAt, AlertDto? Open);

/// <summary><c>since=</c>: the period's start, a week ago by default.</summary>
public sealed record AlertGroupFilter(Guid? Kpi, DateTimeOffset? Since);
