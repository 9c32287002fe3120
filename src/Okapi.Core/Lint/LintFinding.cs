namespace Okapi.Core.Lint;

/// <summary>How serious a lint finding is: `info`, `warning` or `error`.</summary>
public enum LintSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>What kind of entity a lint finding is about: `objective`, `keyResult`, `kpi`, `team` or `person`.</summary>
public enum LintSubjectKind
{
    Objective,
    KeyResult,
    Kpi,
    Team,
    Person,
}

/// <summary>What a finding is about: an entity and, where it helps the UI point at it, one of its fields.</summary>
/// <param name="Kind">What kind of entity: `objective`, `keyResult`, `kpi`, `team` or `person`.</param>
/// <param name="Id">The entity's id.</param>
/// <param name="Field">The field as the API spells it (camelCase), e.g. "title" or "unit"; null for the whole entity.</param>
public sealed record LintSubject(LintSubjectKind Kind, Guid Id, string? Field = null);

/// <summary>One problem the linter found, with a one-line suggested fix.</summary>
/// <param name="RuleId">The id of the rule that flagged it, e.g. `objective-title-too-long`.</param>
/// <param name="Severity">The rule's severity: `info`, `warning` or `error`.</param>
/// <param name="Message">What is wrong, in one sentence.</param>
/// <param name="Fix">A one-line suggestion to fix it.</param>
/// <param name="Subject">What it is about.</param>
public sealed record LintFinding(string RuleId, LintSeverity Severity, string Message, string Fix, LintSubject Subject);
