using Okapi.Core.Okrs;

namespace Okapi.Core.Lint;

/// <summary>An objective together with its key results, as the linter needs them.</summary>
public sealed record ObjectiveWithKeyResults(Objective Objective, IReadOnlyList<KeyResult> KeyResults);

/// <summary>
/// The little the linter needs to know about a KPI. A record of its own keeps the linter independent of how
/// KPIs, thresholds and alert rules are stored.
/// </summary>
public sealed record KpiLintInfo(Guid Id, string Name, Guid? OwnerTeamId, bool HasThreshold, bool HasAlertRule);

/// <summary>What the KPI linked to a key result says about it, for the stretch check.</summary>
/// <param name="LatestValue">The KPI's latest period value, if it has one.</param>
/// <param name="ProjectedAtCycleEnd">The KPI's value at cycle end projected from its trend, if one could be fitted.</param>
public sealed record KeyResultBaseline(double? LatestValue, double? ProjectedAtCycleEnd);

/// <summary>
/// Everything one lint run looks at: a cycle, a team or one objective, depending on what the caller loads.
/// Rules that count (objectives per owner, KPIs per team) only see what is passed in.
/// </summary>
public sealed record LintInput
{
    public IReadOnlyList<ObjectiveWithKeyResults> Objectives { get; init; } = [];

    /// <summary>Alignment links; an objective that is the child of at least one link is aligned.</summary>
    public IReadOnlyList<ObjectiveLink> Links { get; init; } = [];

    /// <summary>The root team: objectives it owns are top level and need no parent.</summary>
    public Guid? CompanyTeamId { get; init; }

    /// <summary>Further objectives that are top level and need no parent (e.g. an organisation-wide objective owned by a person).</summary>
    public IReadOnlySet<Guid> TopLevelObjectiveIds { get; init; } = new HashSet<Guid>();

    public IReadOnlyList<KpiLintInfo> Kpis { get; init; } = [];

    /// <summary>Baselines from linked KPIs, by key result id; key results without one skip the trend check.</summary>
    public IReadOnlyDictionary<Guid, KeyResultBaseline> Baselines { get; init; } = new Dictionary<Guid, KeyResultBaseline>();

    public bool IsTopLevel(Objective objective) =>
        (CompanyTeamId is { } company && objective.OwnerTeamId == company) || TopLevelObjectiveIds.Contains(objective.Id);
}
