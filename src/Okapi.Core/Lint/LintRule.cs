namespace Okapi.Core.Lint;

/// <summary>A rule of the OKR quality linter, as the API lists it.</summary>
/// <param name="Id">The rule's stable id, e.g. `objective-title-too-long`.</param>
/// <param name="Severity">`info`, `warning` or `error`.</param>
/// <param name="Description">What the rule flags.</param>
public sealed record LintRule(string Id, LintSeverity Severity, string Description)
{
    internal LintFinding Flag(LintSubject subject, string message, string fix) => new(Id, Severity, message, fix, subject);
}

/// <summary>The catalogue of lint rules; each finding carries the id and severity of one of these.</summary>
public static class LintRules
{
    public static readonly LintRule ObjectiveTitleTooLong = new(
        "objective-title-too-long", LintSeverity.Info,
        $"An objective title has more than {OkrLinter.MaxTitleWords} words; a good objective is short and memorable.");

    public static readonly LintRule ObjectiveTitleNumber = new(
        "objective-title-number", LintSeverity.Warning,
        "An objective title holds a number or percentage; objectives are qualitative and numbers belong in key results.");

    public static readonly LintRule ObjectiveNotAmbitious = new(
        "objective-not-ambitious", LintSeverity.Warning,
        "An objective starts with \"maintain\", \"continue\", \"keep\" or the like: it keeps things as they are instead of aiming higher.");

    public static readonly LintRule ObjectiveTooFewKeyResults = new(
        "objective-too-few-key-results", LintSeverity.Warning,
        $"An objective has fewer than {OkrLinter.MinKeyResults} key results.");

    public static readonly LintRule ObjectiveTooManyKeyResults = new(
        "objective-too-many-key-results", LintSeverity.Warning,
        $"An objective has more than {OkrLinter.MaxKeyResults} key results.");

    public static readonly LintRule ObjectiveUnaligned = new(
        "objective-unaligned", LintSeverity.Warning,
        "An objective that is not top level is aligned to no parent objective or key result.");

    public static readonly LintRule OwnerTooManyObjectives = new(
        "owner-too-many-objectives", LintSeverity.Warning,
        $"A team or person owns more than {OkrLinter.MaxObjectivesPerOwner} objectives in one cycle.");

    public static readonly LintRule KeyResultActivity = new(
        "key-result-activity", LintSeverity.Warning,
        "A key result is led by an activity verb (hold, run, write, launch, organise, attend, set, …): it describes a task or an output, not an outcome.");

    public static readonly LintRule KeyResultNoNumber = new(
        "key-result-no-number", LintSeverity.Error,
        "A key result cannot be measured: its start equals its target, or neither its title nor a unit names a quantity.");

    public static readonly LintRule KeyResultNoUnit = new(
        "key-result-no-unit", LintSeverity.Warning,
        "A numeric key result has no unit.");

    public static readonly LintRule KeyResultNoOwner = new(
        "key-result-no-owner", LintSeverity.Warning,
        "A key result has no owner.");

    public static readonly LintRule KeyResultSmallImprovement = new(
        "key-result-small-improvement", LintSeverity.Info,
        $"A key result improves less than {OkrLinter.MinImprovement * 100:0} % on its start value: likely sandbagging.");

    public static readonly LintRule KeyResultReachedByTrend = new(
        "key-result-reached-by-trend", LintSeverity.Warning,
        "The linked KPI has already reached the key result's target, or its trend reaches it by cycle end: likely sandbagging.");

    public static readonly LintRule KpiNoThresholdOrAlert = new(
        "kpi-no-threshold-or-alert", LintSeverity.Warning,
        "A KPI has neither a threshold nor an alert rule: if nobody would act when it drops, it is not a KPI.");

    public static readonly LintRule TeamTooManyKpis = new(
        "team-too-many-kpis", LintSeverity.Warning,
        $"A team has more than {OkrLinter.MaxKpisPerTeam} KPIs.");

    public static IReadOnlyList<LintRule> All { get; } =
    [
        ObjectiveTitleTooLong, ObjectiveTitleNumber, ObjectiveNotAmbitious, ObjectiveTooFewKeyResults,
        ObjectiveTooManyKeyResults, ObjectiveUnaligned, OwnerTooManyObjectives, KeyResultActivity,
        KeyResultNoNumber, KeyResultNoUnit, KeyResultNoOwner, KeyResultSmallImprovement, KeyResultReachedByTrend,
        KpiNoThresholdOrAlert, TeamTooManyKpis,
    ];
}
