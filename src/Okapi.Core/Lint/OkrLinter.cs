using Okapi.Core.Okrs;
using static System.FormattableString;

namespace Okapi.Core.Lint;

/// <summary>
/// The OKR quality linter: local, explainable rules that find common OKR mistakes and suggest a fix for each.
/// Pure: the caller loads what to lint (a cycle, a team, one objective) and gets findings back.
/// </summary>
public static class OkrLinter
{
    public const int MaxTitleWords = 12;
    public const int MinKeyResults = 2;
    public const int MaxKeyResults = 5;
    public const int MaxObjectivesPerOwner = 5;
    public const int MaxKpisPerTeam = 10;

    /// <summary>The smallest relative change from start to target that does not look like sandbagging.</summary>
    public const double MinImprovement = 0.1;

    private static readonly HashSet<string> StatusQuoVerbs = new(StringComparer.Ordinal)
    {
        "maintain", "continue", "keep", "sustain", "preserve", "remain", "stay",
    };

    // Verbs that name work done rather than a change caused. Words that also lead outcome metrics as nouns
    // ("test coverage", "review score", "call drop rate") or as outcomes ("deliver 95 % on time") are left out.
    private static readonly HashSet<string> ActivityVerbs = new(StringComparer.Ordinal)
    {
        "hold", "run", "write", "launch", "organise", "organize", "attend", "set", "setup", "create", "build",
        "implement", "publish", "send", "conduct", "host", "complete", "finish", "start", "begin", "develop",
        "design", "plan", "prepare", "schedule", "arrange", "draft", "update", "deploy", "release", "ship",
        "introduce", "install", "migrate", "hire", "train", "meet", "visit", "interview", "establish", "define",
        "produce", "post", "present", "participate", "perform", "execute", "roll",
    };

    /// <summary>The rule catalogue, so the API and the UI can list what the linter checks.</summary>
    public static IReadOnlyList<LintRule> Rules => LintRules.All;

    public static IReadOnlyList<LintFinding> Lint(LintInput input)
    {
        var findings = new List<LintFinding>();
        var aligned = input.Links
            .Where(l => l.ParentObjectiveId is not null || l.ParentKeyResultId is not null)
            .Select(l => l.ChildObjectiveId)
            .ToHashSet();
        foreach (var (objective, keyResults) in input.Objectives)
        {
            findings.AddRange(TitleFindings(objective.Title, objective.Id));
            findings.AddRange(KeyResultCountFindings(objective.Id, keyResults.Count));
            if (!input.IsTopLevel(objective) && !aligned.Contains(objective.Id))
            {
                findings.Add(LintRules.ObjectiveUnaligned.Flag(
                    new LintSubject(LintSubjectKind.Objective, objective.Id, "parents"),
                    "The objective is aligned to nothing; only top-level (company) objectives stand alone.",
                    "Link it to the company or parent-team objective or key result it contributes to."));
            }

            foreach (var keyResult in keyResults)
            {
                findings.AddRange(KeyResultFindings(keyResult, input.Baselines.GetValueOrDefault(keyResult.Id)));
            }
        }

        findings.AddRange(OwnerFindings(input.Objectives.Select(o => o.Objective)));
        findings.AddRange(KpiFindings(input.Kpis));
        return findings;
    }

    /// <summary>The title rules for an objective being typed, before it has key results or links.</summary>
    /// <param name="objectiveId">The objective's id, or <see cref="Guid.Empty"/> while it is not saved.</param>
    public static IReadOnlyList<LintFinding> LintObjectiveDraft(string title, Guid objectiveId = default) =>
        [.. TitleFindings(title, objectiveId)];

    /// <summary>The title rule for a key result being typed.</summary>
    /// <param name="keyResultId">The key result's id, or <see cref="Guid.Empty"/> while it is not saved.</param>
    public static IReadOnlyList<LintFinding> LintKeyResultDraft(string title, Guid keyResultId = default) =>
        [.. ActivityFindings(title, keyResultId)];

    /// <summary>The stretch check of a key result being typed, against what the KPI it follows says (null: no KPI).</summary>
    public static IReadOnlyList<LintFinding> LintKeyResultTrend(KeyResult keyResult, KeyResultBaseline? baseline) =>
        [.. TrendFindings(keyResult, baseline)];

    private static IEnumerable<LintFinding> TitleFindings(string title, Guid objectiveId)
    {
        var subject = new LintSubject(LintSubjectKind.Objective, objectiveId, "title");
        var wordCount = TitleText.Words(title).Count;
        if (wordCount > MaxTitleWords)
        {
            yield return LintRules.ObjectiveTitleTooLong.Flag(subject,
                $"The objective title has {wordCount} words; more than {MaxTitleWords} is hard to remember.",
                $"Shorten it to one inspiring sentence of at most {MaxTitleWords} words and put the detail in the description.");
        }

        if (TitleText.FindQuantity(title) is { } quantity)
        {
            yield return LintRules.ObjectiveTitleNumber.Flag(subject,
                $"The objective title holds a number (\"{quantity}\"); an objective should be qualitative.",
                $"Move \"{quantity}\" into a key result (from a start to a target value) and keep the objective qualitative.");
        }

        if (TitleText.LeadingWord(title) is { } verb && TitleText.IsVerbForm(verb, StatusQuoVerbs))
        {
            yield return LintRules.ObjectiveNotAmbitious.Flag(subject,
                $"\"{verb}\" keeps things as they are; an objective should aim higher.",
                "Say what should become better, or track the current level as a KPI with a threshold instead.");
        }
    }

    private static IEnumerable<LintFinding> KeyResultCountFindings(Guid objectiveId, int count)
    {
        var subject = new LintSubject(LintSubjectKind.Objective, objectiveId, "keyResults");
        if (count < MinKeyResults)
        {
            yield return LintRules.ObjectiveTooFewKeyResults.Flag(subject,
                $"The objective has {count} key result{(count == 1 ? "" : "s")}; fewer than {MinKeyResults} cannot show that it is met.",
                $"Add key results until {MinKeyResults} to {MaxKeyResults} measurable outcomes together prove the objective.");
        }
        else if (count > MaxKeyResults)
        {
            yield return LintRules.ObjectiveTooManyKeyResults.Flag(subject,
                $"The objective has {count} key results; more than {MaxKeyResults} dilutes focus.",
                $"Keep the {MaxKeyResults} or fewer that matter most; track the rest as KPIs or move them to another objective.");
        }
    }

    private static IEnumerable<LintFinding> KeyResultFindings(KeyResult keyResult, KeyResultBaseline? baseline)
    {
        foreach (var finding in ActivityFindings(keyResult.Title, keyResult.Id))
        {
            yield return finding;
        }

        var id = keyResult.Id;
        var numeric = keyResult.Type is not KeyResultType.Milestone;
        var movesFromStart = keyResult.Type is KeyResultType.IncreaseTo or KeyResultType.DecreaseTo or KeyResultType.CommitTargetStretch;
        var hasUnit = !string.IsNullOrWhiteSpace(keyResult.Unit);
        var unnamed = numeric && !hasUnit && TitleText.FindQuantity(keyResult.Title) is null;
        if (movesFromStart && keyResult.Start == keyResult.Target)
        {
            yield return LintRules.KeyResultNoNumber.Flag(new LintSubject(LintSubjectKind.KeyResult, id, "target"),
                Invariant($"The key result's start equals its target ({keyResult.Target}), so there is nothing to measure."),
                "Set the value it starts from and a different target it should reach, e.g. \"from 800 to 960\".");
        }
        else if (unnamed)
        {
            yield return LintRules.KeyResultNoNumber.Flag(new LintSubject(LintSubjectKind.KeyResult, id, "title"),
                "Neither the key result's title nor a unit says what quantity is measured.",
                "Name the measure with a number and a unit, e.g. \"Grow the number of sales from 800 to 960\".");
        }

        // "No number" above already says the unit is missing; saying it twice is noise.
        if (numeric && !hasUnit && !unnamed)
        {
            yield return LintRules.KeyResultNoUnit.Flag(new LintSubject(LintSubjectKind.KeyResult, id, "unit"),
                Invariant($"The key result has no unit, so its target {keyResult.Target} could mean anything."),
                "Set a unit such as %, €, customers or days.");
        }

        if (keyResult.OwnerPersonId is null)
        {
            yield return LintRules.KeyResultNoOwner.Flag(new LintSubject(LintSubjectKind.KeyResult, id, "ownerPersonId"),
                "The key result has no owner, so nobody answers for it.",
                "Assign one person who answers for it and checks it in.");
        }

        if (!movesFromStart || keyResult.Start == keyResult.Target)
        {
            yield break;
        }

        var targetSubject = new LintSubject(LintSubjectKind.KeyResult, id, "target");
        if (keyResult.Start != 0)
        {
            var improvement = Math.Abs(keyResult.Target - keyResult.Start) / Math.Abs(keyResult.Start);
            if (improvement < MinImprovement)
            {
                yield return LintRules.KeyResultSmallImprovement.Flag(targetSubject,
                    Invariant($"The target {keyResult.Target} is only {improvement * 100:0.#} % away from the start {keyResult.Start}; an improvement under {MinImprovement * 100:0} % is likely sandbagging."),
                    "Raise the target to a stretch you are only 60–70 % confident of, or track the level as a KPI target.");
            }
        }

        foreach (var finding in TrendFindings(keyResult, baseline))
        {
            yield return finding;
        }
    }

    private static IEnumerable<LintFinding> TrendFindings(KeyResult keyResult, KeyResultBaseline? baseline)
    {
        var movesFromStart = keyResult.Type is KeyResultType.IncreaseTo or KeyResultType.DecreaseTo or KeyResultType.CommitTargetStretch;
        if (baseline is null || !movesFromStart || keyResult.Start == keyResult.Target)
        {
            yield break;
        }

        var targetSubject = new LintSubject(LintSubjectKind.KeyResult, keyResult.Id, "target");
        var increasing = keyResult.Target > keyResult.Start;
        bool Reaches(double value) => increasing ? value >= keyResult.Target : value <= keyResult.Target;
        const string fix = "Set a target beyond what the KPI's trend reaches anyway, one that needs new work.";
        if (baseline.LatestValue is { } latest && Reaches(latest))
        {
            yield return LintRules.KeyResultReachedByTrend.Flag(targetSubject,
                Invariant($"The linked KPI is already at {latest:0.##}, past the target {keyResult.Target}: likely sandbagging."),
                fix);
        }
        else if (baseline.ProjectedAtCycleEnd is { } projected && Reaches(projected))
        {
            yield return LintRules.KeyResultReachedByTrend.Flag(targetSubject,
                Invariant($"The linked KPI's trend reaches {projected:0.##} by cycle end, past the target {keyResult.Target}: likely sandbagging."),
                fix);
        }
    }

    private static IEnumerable<LintFinding> ActivityFindings(string title, Guid keyResultId)
    {
        if (TitleText.LeadingWord(title) is { } verb && TitleText.IsVerbForm(verb, ActivityVerbs))
        {
            yield return LintRules.KeyResultActivity.Flag(new LintSubject(LintSubjectKind.KeyResult, keyResultId, "title"),
                $"\"{verb}\" describes an activity or output, not an outcome: doing it does not show that anything changed.",
                "State the result this work should cause (a measure moving from a start to a target) and track the work as an initiative.");
        }
    }

    private static IEnumerable<LintFinding> OwnerFindings(IEnumerable<Objective> objectives)
    {
        var byOwner = objectives
            .Select(o => (o.CycleId, Owner: o.OwnerTeamId is { } team
                ? new LintSubject(LintSubjectKind.Team, team, "objectives")
                : o.OwnerPersonId is { } person ? new LintSubject(LintSubjectKind.Person, person, "objectives") : null))
            .Where(o => o.Owner is not null)
            .CountBy(o => o);
        foreach (var ((_, owner), count) in byOwner)
        {
            if (count > MaxObjectivesPerOwner)
            {
                var who = owner!.Kind == LintSubjectKind.Team ? "team" : "person";
                yield return LintRules.OwnerTooManyObjectives.Flag(owner,
                    $"This {who} owns {count} objectives in one cycle; more than {MaxObjectivesPerOwner} dilutes focus.",
                    "Focus on 3–5 objectives: merge related ones and defer the rest to a later cycle.");
            }
        }
    }

    private static IEnumerable<LintFinding> KpiFindings(IReadOnlyList<KpiLintInfo> kpis)
    {
        foreach (var kpi in kpis.Where(k => !k.HasThreshold && !k.HasAlertRule))
        {
            yield return LintRules.KpiNoThresholdOrAlert.Flag(new LintSubject(LintSubjectKind.Kpi, kpi.Id),
                $"The KPI \"{kpi.Name}\" has neither a threshold nor an alert rule. Would we change what we do if it goes down? If not, it is not a KPI.",
                "Add a warning or critical threshold or an alert rule, or stop tracking it as a KPI.");
        }

        foreach (var (team, count) in kpis.Where(k => k.OwnerTeamId is not null).CountBy(k => k.OwnerTeamId!.Value))
        {
            if (count > MaxKpisPerTeam)
            {
                yield return LintRules.TeamTooManyKpis.Flag(new LintSubject(LintSubjectKind.Team, team, "kpis"),
                    $"The team tracks {count} KPIs; more than {MaxKpisPerTeam} is a dashboard nobody reads.",
                    "Keep the 5–10 KPIs that drive decisions and retire the rest.");
            }
        }
    }
}
