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

/// <summary><c>open=true</c>: pending and firing alerts only.</summary>
public sealed record AlertFilter(Guid? Kpi, EnumQuery<AlertState>? State, bool? Open);
