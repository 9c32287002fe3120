using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Web.Features.Exchange;

// The document's shape, in the order fields are written. Non-nullable fields are required; lists and nullable
// fields are optional (an omitted field keeps the stored value on update and takes the default on create).
// docs/okrs-as-code.md describes every field.

/// <summary>An organisation's OKRs as one document (OKRs as code): teams, people, cycles, KPIs, objectives, key results and check-ins, matched by key. Every section is optional.</summary>
public sealed record OkrDocument
{
    public const int CurrentVersion = 1;

    /// <summary>Required: the document's format version, 1.</summary>
    public int Okapi { get; init; }
    /// <summary>The organisation's settings; left out: unchanged.</summary>
    public OrganisationDoc? Organisation { get; init; }
    /// <summary>People, matched by email.</summary>
    public List<PersonDoc>? People { get; init; }
    /// <summary>Teams, matched by key.</summary>
    public List<TeamDoc>? Teams { get; init; }
    /// <summary>Cycles, matched by key.</summary>
    public List<CycleDoc>? Cycles { get; init; }
    /// <summary>KPIs, matched by key.</summary>
    public List<KpiDoc>? Kpis { get; init; }
    /// <summary>Objectives with their key results and check-ins, matched by key.</summary>
    public List<ObjectiveDoc>? Objectives { get; init; }
}

/// <summary>The organisation's settings; each field left out keeps its value.</summary>
public sealed record OrganisationDoc
{
    /// <summary>The organisation's name.</summary>
    public string? Name { get; init; }
    /// <summary>The IANA time zone, e.g. `Europe/Berlin`.</summary>
    public string? TimeZone { get; init; }
    /// <summary>The month the fiscal year starts, 1 to 12.</summary>
    public int? FiscalYearStartMonth { get; init; }
    /// <summary>The first day of the week: `monday` … `sunday`.</summary>
    public DayOfWeek? WeekStart { get; init; }
    /// <summary>The weekday check-ins are due: `monday` … `sunday`.</summary>
    public DayOfWeek? CheckInWeekday { get; init; }
    /// <summary>The hour check-ins are due, 0 to 23, in the organisation's time zone.</summary>
    public int? CheckInHour { get; init; }
    /// <summary>The organisation's vision.</summary>
    public string? Vision { get; init; }
}

/// <summary>A person, matched by email; imported people get no password.</summary>
public sealed record PersonDoc
{
    /// <summary>Required: the person's email, which names them in the document.</summary>
    public string Email { get; init; } = "";
    /// <summary>Required: the person's name.</summary>
    public string Name { get; init; } = "";
    /// <summary>`viewer`, `member` or `admin`. Left out: unchanged, or the default for a new row.</summary>
    public Role? Role { get; init; }
}

/// <summary>A team, matched by key.</summary>
public sealed record TeamDoc
{
    /// <summary>Required: the team's key, unique in the organisation; letters, digits, `.`, `_` and `-`, at most 100 characters.</summary>
    public string Key { get; init; } = "";
    /// <summary>Required: the team's name.</summary>
    public string Name { get; init; } = "";
    /// <summary>The key of the team it lies in.</summary>
    public string? Parent { get; init; }
    /// <summary>The team's mission.</summary>
    public string? Mission { get; init; }
    /// <summary>Members to add or update; members the document leaves out are kept.</summary>
    public List<MemberDoc>? Members { get; init; }
}

/// <summary>A team member.</summary>
public sealed record MemberDoc
{
    /// <summary>Required: the member's email.</summary>
    public string Email { get; init; } = "";
    /// <summary>Whether the member leads the team.</summary>
    public bool? Lead { get; init; }
}

/// <summary>A cycle, matched by key.</summary>
public sealed record CycleDoc
{
    /// <summary>Required: the cycle's key, unique in the organisation; letters, digits, `.`, `_` and `-`, at most 100 characters.</summary>
    public string Key { get; init; } = "";
    /// <summary>Required: the cycle's name.</summary>
    public string Name { get; init; } = "";
    /// <summary>Required: the first day (inclusive).</summary>
    public DateOnly Start { get; init; }
    /// <summary>Required: the last day (inclusive).</summary>
    public DateOnly End { get; init; }
    /// <summary>`quarter`, `year` or `custom`. Left out: unchanged, or the default for a new row.</summary>
    public CycleKind? Kind { get; init; }
    /// <summary>`planning`, `active` or `closed`. Left out: unchanged, or the default for a new row.</summary>
    public CycleState? State { get; init; }
    /// <summary>The key of the cycle it lies in.</summary>
    public string? Parent { get; init; }
}

/// <summary>A KPI, matched by key; its values are not part of the document.</summary>
public sealed record KpiDoc
{
    /// <summary>Required: the KPI's key, lowercase words joined by `-`, at most 100 characters.</summary>
    public string Key { get; init; } = "";
    /// <summary>Required: the KPI's name.</summary>
    public string Name { get; init; } = "";
    /// <summary>What the KPI measures.</summary>
    public string? Description { get; init; }
    /// <summary>The unit of its values.</summary>
    public string? Unit { get; init; }
    /// <summary>`higherIsBetter`, `lowerIsBetter` or `withinBand`. Left out: unchanged, or the default for a new row.</summary>
    public KpiDirection? Direction { get; init; }
    /// <summary>`daily`, `weekly` or `monthly`. Left out: unchanged, or the default for a new row.</summary>
    public Cadence? Cadence { get; init; }
    /// <summary>How a period's values combine: `last`, `sum`, `average`, `min`, `max` or `count`. Left out: unchanged, or the default for a new row.</summary>
    public PeriodAggregation? Aggregation { get; init; }
    /// <summary>The warning and critical thresholds, under the same rules as the API's.</summary>
    public ThresholdsDoc? Thresholds { get; init; }
    /// <summary>The value aimed for.</summary>
    public double? Target { get; init; }
    /// <summary>Free labels.</summary>
    public List<string>? Tags { get; init; }
    /// <summary>The key of the owning team.</summary>
    public string? OwnerTeam { get; init; }
    /// <summary>The email of the owning person.</summary>
    public string? OwnerPerson { get; init; }
    /// <summary>`public` or `private`. Left out: unchanged, or the default for a new row.</summary>
    public Visibility? Visibility { get; init; }
}

/// <summary>A KPI's thresholds; which apply depends on its direction, as in the API.</summary>
public sealed record ThresholdsDoc
{
    /// <summary>Warning below this value.</summary>
    public double? WarningLower { get; init; }
    /// <summary>Warning above this value.</summary>
    public double? WarningUpper { get; init; }
    /// <summary>Critical below this value.</summary>
    public double? CriticalLower { get; init; }
    /// <summary>Critical above this value.</summary>
    public double? CriticalUpper { get; init; }
}

/// <summary>An objective, matched by key, with its key results.</summary>
public sealed record ObjectiveDoc
{
    /// <summary>Required: the objective's key, unique in the organisation; letters, digits, `.`, `_` and `-`, at most 100 characters.</summary>
    public string Key { get; init; } = "";
    /// <summary>Required: the objective's title.</summary>
    public string Title { get; init; } = "";
    /// <summary>The objective's description, in Markdown.</summary>
    public string? Description { get; init; }
    /// <summary>Required: the key of its cycle.</summary>
    public string Cycle { get; init; } = "";
    /// <summary>The key of the owning team; the objective needs this or `ownerPerson`.</summary>
    public string? OwnerTeam { get; init; }
    /// <summary>The email of the owning person; the objective needs this or `ownerTeam`.</summary>
    public string? OwnerPerson { get; init; }
    /// <summary>`draft`, `active`, `closed` or `inReview`. Left out: unchanged, or the default for a new row.</summary>
    public ObjectiveState? State { get; init; }
    /// <summary>`public` or `private`. Left out: unchanged, or the default for a new row.</summary>
    public Visibility? Visibility { get; init; }
    /// <summary>Free labels.</summary>
    public List<string>? Tags { get; init; }
    /// <summary>What it contributes to: objectives, or key results of theirs; links the document leaves out are kept.</summary>
    public List<ParentDoc>? Parents { get; init; }
    /// <summary>The key of the objective it continues (carried over from).</summary>
    public string? ContinuedFrom { get; init; }
    /// <summary>The grade given at the close, 0 to 1.</summary>
    public double? FinalGrade { get; init; }
    /// <summary>The retrospective note kept at the close.</summary>
    public string? Retrospective { get; init; }
    /// <summary>Its key results, matched by key within the objective.</summary>
    public List<KeyResultDoc>? KeyResults { get; init; }
}

/// <summary>What an objective contributes to: an objective, or (with <see cref="KeyResult"/>) one of its key results.</summary>
public sealed record ParentDoc
{
    /// <summary>Required: the key of the parent objective.</summary>
    public string Objective { get; init; } = "";
    /// <summary>The key of a key result of that objective, to align to it instead.</summary>
    public string? KeyResult { get; init; }
    /// <summary>How much the child counts in the parent's rollup.</summary>
    public double? Weight { get; init; }
    /// <summary>Whether the child's progress rolls up into the parent.</summary>
    public bool? RollsUp { get; init; }
}

/// <summary>A key result, matched by key within its objective.</summary>
public sealed record KeyResultDoc
{
    /// <summary>Required: the key result's key, unique within its objective; letters, digits, `.`, `_` and `-`, at most 100 characters.</summary>
    public string Key { get; init; } = "";
    /// <summary>Required: the key result's title.</summary>
    public string Title { get; init; } = "";
    /// <summary>The owner's email.</summary>
    public string? Owner { get; init; }
    /// <summary>`increaseTo`, `decreaseTo`, `stayAbove`, `stayBelow`, `milestone` or `commitTargetStretch`. Left out: unchanged, or the default for a new row.</summary>
    public KeyResultType? Type { get; init; }
    /// <summary>The unit of its values.</summary>
    public string? Unit { get; init; }
    /// <summary>The value progress is measured from.</summary>
    public double? Start { get; init; }
    /// <summary>The value that means full progress, under the same rules as the API's.</summary>
    public double? Target { get; init; }
    /// <summary>For `commitTargetStretch`: the committed value.</summary>
    public double? Commit { get; init; }
    /// <summary>For `commitTargetStretch`: the stretch value.</summary>
    public double? Stretch { get; init; }
    /// <summary>How much it counts in its objective's progress.</summary>
    public double? Weight { get; init; }
    /// <summary>How often, in days, a check-in is expected.</summary>
    public int? UpdateRhythmDays { get; init; }
    /// <summary>For `milestone`: its checklist.</summary>
    public List<ChecklistItemDoc>? Checklist { get; init; }
    /// <summary>The key of the KPI it follows.</summary>
    public string? Kpi { get; init; }
    /// <summary>The grade given at the close, 0 to 1.</summary>
    public double? FinalGrade { get; init; }
    /// <summary>Why the grade differs from the grade of the progress.</summary>
    public string? GradeReason { get; init; }
    /// <summary>Check-ins, matched by instant; the latest becomes the current value.</summary>
    public List<CheckInDoc>? CheckIns { get; init; }
}

/// <summary>An item of a milestone key result's checklist.</summary>
public sealed record ChecklistItemDoc
{
    /// <summary>Required: the item's title.</summary>
    public string Title { get; init; } = "";
    /// <summary>Whether it is done.</summary>
    public bool? Done { get; init; }
}

/// <summary>A check-in, matched by its key result and instant.</summary>
public sealed record CheckInDoc
{
    /// <summary>Required: the instant, UTC.</summary>
    public DateTime At { get; init; }
    /// <summary>Required: the value checked in.</summary>
    public double Value { get; init; }
    /// <summary>`onTrack`, `atRisk` or `offTrack`.</summary>
    public Confidence? Confidence { get; init; }
    /// <summary>The check-in's note.</summary>
    public string? Note { get; init; }
    /// <summary>The author's email.</summary>
    public string? Author { get; init; }
    /// <summary>`person`, `kpi`, `api` or `import`; a new check-in defaults to `import`.</summary>
    public CheckInSource? Source { get; init; }
}
