namespace Okapi.Core.Lint;

public enum LintSeverity
{
    Info,
    Warning,
    Error,
}

public enum LintSubjectKind
{
    Objective,
    KeyResult,
    Kpi,
    Team,
    Person,
}

/// <summary>What a finding is about: an entity and, where it helps the UI point at it, one of its fields.</summary>
/// <param name="Field">The field as the API spells it (camelCase), e.g. "title" or "unit"; null for the whole entity.</param>
public sealed record LintSubject(LintSubjectKind Kind, Guid Id, string? Field = null);

/// <summary>One problem the linter found, with a one-line suggested fix.</summary>
public sealed record LintFinding(string RuleId, LintSeverity Severity, string Message, string Fix, LintSubject Subject);
