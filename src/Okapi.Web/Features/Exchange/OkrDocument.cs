using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Web.Features.Exchange;

// The document's shape, in the order fields are written. Non-nullable fields are required; lists and nullable
// fields are optional (an omitted field keeps the stored value on update and takes the default on create).
// docs/okrs-as-code.md describes every field.

public sealed record OkrDocument
{
    public const int CurrentVersion = 1;

    public int Okapi { get; init; }
    public OrganisationDoc? Organisation { get; init; }
    public List<PersonDoc>? People { get; init; }
    public List<TeamDoc>? Teams { get; init; }
    public List<CycleDoc>? Cycles { get; init; }
    public List<KpiDoc>? Kpis { get; init; }
    public List<ObjectiveDoc>? Objectives { get; init; }
}

public sealed record OrganisationDoc
{
    public string? Name { get; init; }
    public string? TimeZone { get; init; }
    public int? FiscalYearStartMonth { get; init; }
    public DayOfWeek? WeekStart { get; init; }
    public DayOfWeek? CheckInWeekday { get; init; }
    public int? CheckInHour { get; init; }
    public string? Vision { get; init; }
}

public sealed record PersonDoc
{
    public string Email { get; init; } = "";
    public string Name { get; init; } = "";
    public Role? Role { get; init; }
}

public sealed record TeamDoc
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Parent { get; init; }
    public string? Mission { get; init; }
    public List<MemberDoc>? Members { get; init; }
}

public sealed record MemberDoc
{
    public string Email { get; init; } = "";
    public bool? Lead { get; init; }
}

public sealed record CycleDoc
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public DateOnly Start { get; init; }
    public DateOnly End { get; init; }
    public CycleKind? Kind { get; init; }
    public CycleState? State { get; init; }
    public string? Parent { get; init; }
}

public sealed record KpiDoc
{
    public string Key { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public string? Unit { get; init; }
    public KpiDirection? Direction { get; init; }
    public Cadence? Cadence { get; init; }
    public PeriodAggregation? Aggregation { get; init; }
    public ThresholdsDoc? Thresholds { get; init; }
    public double? Target { get; init; }
    public List<string>? Tags { get; init; }
    public string? OwnerTeam { get; init; }
    public string? OwnerPerson { get; init; }
    public Visibility? Visibility { get; init; }
}

public sealed record ThresholdsDoc
{
    public double? WarningLower { get; init; }
    public double? WarningUpper { get; init; }
    public double? CriticalLower { get; init; }
    public double? CriticalUpper { get; init; }
}

public sealed record ObjectiveDoc
{
    public string Key { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public string Cycle { get; init; } = "";
    public string? OwnerTeam { get; init; }
    public string? OwnerPerson { get; init; }
    public ObjectiveState? State { get; init; }
    public Visibility? Visibility { get; init; }
    public List<string>? Tags { get; init; }
    public List<ParentDoc>? Parents { get; init; }
    public string? ContinuedFrom { get; init; }
    public double? FinalGrade { get; init; }
    public string? Retrospective { get; init; }
    public List<KeyResultDoc>? KeyResults { get; init; }
}

/// <summary>What an objective contributes to: an objective, or (with <see cref="KeyResult"/>) one of its key results.</summary>
public sealed record ParentDoc
{
    public string Objective { get; init; } = "";
    public string? KeyResult { get; init; }
    public double? Weight { get; init; }
    public bool? RollsUp { get; init; }
}

public sealed record KeyResultDoc
{
    public string Key { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Owner { get; init; }
    public KeyResultType? Type { get; init; }
    public string? Unit { get; init; }
    public double? Start { get; init; }
    public double? Target { get; init; }
    public double? Commit { get; init; }
    public double? Stretch { get; init; }
    public double? Weight { get; init; }
    public int? UpdateRhythmDays { get; init; }
    public List<ChecklistItemDoc>? Checklist { get; init; }
    public string? Kpi { get; init; }
    public double? FinalGrade { get; init; }
    public string? GradeReason { get; init; }
    public List<CheckInDoc>? CheckIns { get; init; }
}

public sealed record ChecklistItemDoc
{
    public string Title { get; init; } = "";
    public bool? Done { get; init; }
}

public sealed record CheckInDoc
{
    public DateTime At { get; init; }
    public double Value { get; init; }
    public Confidence? Confidence { get; init; }
    public string? Note { get; init; }
    public string? Author { get; init; }
    public CheckInSource? Source { get; init; }
}
