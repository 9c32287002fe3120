using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Core.Lint;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Lint;

/// <param name="Kpi">One KPI: the KPI rules for it and for its owner team's count; the other filters are then ignored.</param>
public sealed record LintFilter(Guid? Cycle, Guid? Team, Guid? Objective, Guid? Kpi = null);

/// <summary>OKR quality findings, for the API and the pages alike.</summary>
public sealed class LintService(OkapiDbContext db, Caller caller)
{
    public async Task<Outcome<List<LintFinding>>> LintAsync(LintFilter filter, CancellationToken ct)
    {
        if (filter.Kpi is { } kpiId)
        {
            return await LintKpiAsync(kpiId, ct);
        }

        var cycleIds = new List<Guid>();
        if (filter.Objective is { } objectiveId)
        {
            var objective = await db.VisibleObjectiveAsync(caller, objectiveId, ct);
            if (objective is null)
            {
                return Failure.NotFound;
            }

            cycleIds.Add(objective.CycleId);
        }
        else if (filter.Cycle is { } cycle)
        {
            cycleIds.Add(cycle);
        }
        else
        {
            cycleIds = await db.Cycles.Where(c => c.State == CycleState.Active).Select(c => c.Id).ToListAsync(ct);
        }

        // Counting rules (objectives per owner) need every objective of an owner in the cycle, so lint the whole cycle and
        // narrow the findings after; a team's findings concern only its own objectives, so a team's lint reads only those.
        var objectives = await caller.Visible(db.Objectives.AsNoTracking()).InUse()
            .Where(o => cycleIds.Contains(o.CycleId) && (filter.Team == null || o.OwnerTeamId == filter.Team))
            .ToListAsync(ct);
        var ids = objectives.Select(o => o.Id).ToList();
        var keyResults = (await db.KeyResults.AsNoTracking().Where(k => ids.Contains(k.ObjectiveId)).ToListAsync(ct)).ToLookup(k => k.ObjectiveId);
        var links = await db.ObjectiveLinks.AsNoTracking().Where(l => ids.Contains(l.ChildObjectiveId)).ToListAsync(ct);
        var companyTeamId = await db.Teams.Where(t => t.ParentTeamId == null).OrderBy(t => t.CreatedAt).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        // KPIs belong to no cycle: a team's lint looks at the team's, a cycle's at all of them, one objective's at none.
        var kpis = filter.Objective is null ? await KpisAsync(filter.Team, ct) : [];
        var findings = OkrLinter.Lint(new LintInput
        {
            Objectives = objectives.Select(o => new ObjectiveWithKeyResults(o, keyResults[o.Id].ToList())).ToList(),
            Links = links,
            CompanyTeamId = companyTeamId,
            Kpis = kpis,
            // Only the key results whose findings are kept need their KPI's trend.
            Baselines = await BaselinesAsync([.. objectives.Where(o => filter.Objective is null || o.Id == filter.Objective)], keyResults, ct),
        });

        var inScope = objectives.Where(o => (filter.Objective is null || o.Id == filter.Objective) && (filter.Team is null || o.OwnerTeamId == filter.Team)).ToList();
        var scopeIds = inScope.Select(o => o.Id).Concat(inScope.SelectMany(o => keyResults[o.Id].Select(k => k.Id))).ToHashSet();
        if (filter.Team is { } team)
        {
            scopeIds.Add(team);
            scopeIds.UnionWith(kpis.Select(k => k.Id));
        }

        return (filter.Objective is null && filter.Team is null ? findings : findings.Where(f => scopeIds.Contains(f.Subject.Id))).ToList();
    }

    /// <summary>
    /// The stretch check of a key result being typed in an objective, against the KPI it would follow; nothing when it
    /// follows none, or one the caller may not see. A start left to the KPI is its value at the cycle's start.
    /// </summary>
    public async Task<IReadOnlyList<LintFinding>> LintKeyResultDraftAsync(Guid objectiveId, KeyResult draft, bool startFromKpi, CancellationToken ct)
    {
        var objective = draft.KpiId is null ? null : await db.VisibleObjectiveAsync(caller, objectiveId, ct);
        if (objective is null)
        {
            return [];
        }

        if (startFromKpi)
        {
            var kpi = await caller.Visible(db.Kpis.AsNoTracking()).FirstOrDefaultAsync(k => k.Id == draft.KpiId, ct);
            var cycle = await db.Cycles.AsNoTracking().FirstAsync(c => c.Id == objective.CycleId, ct);
            var cycleStart = (await db.CalendarAsync(ct)).StartOf(cycle.Start).UtcDateTime;
            if (kpi is null || await LinkedKpi.ValueAtAsync(db, kpi, cycleStart, ct) is not { } start)
            {
                return [];
            }

            draft.Start = start;
        }

        var baselines = await BaselinesAsync([objective], new[] { draft }.ToLookup(_ => objective.Id), ct);
        return OkrLinter.LintKeyResultTrend(draft, baselines.GetValueOrDefault(draft.Id));
    }

    private async Task<Outcome<List<LintFinding>>> LintKpiAsync(Guid kpiId, CancellationToken ct)
    {
        var kpi = await caller.Visible(db.Kpis.AsNoTracking()).Where(k => k.Id == kpiId).Select(k => new { k.OwnerTeamId }).FirstOrDefaultAsync(ct);
        if (kpi is null)
        {
            return Failure.NotFound;
        }

        // The KPI's owner team's other KPIs are read only to be counted.
        var team = kpi.OwnerTeamId;
        var kpis = await KpisAsync(caller.Visible(db.Kpis.AsNoTracking()).Where(k => k.Id == kpiId || (team != null && k.OwnerTeamId == team)), ct);
        return OkrLinter.Lint(new LintInput { Kpis = kpis }).Where(f => f.Subject.Id == kpiId || f.Subject.Id == team).ToList();
    }

    /// <summary>What the KPI rules need of each KPI the caller sees, the team's only when one is given: one slim row each.</summary>
    private Task<List<KpiLintInfo>> KpisAsync(Guid? team, CancellationToken ct) =>
        KpisAsync(caller.Visible(db.Kpis.AsNoTracking()).Where(k => team == null || k.OwnerTeamId == team), ct);

    private async Task<List<KpiLintInfo>> KpisAsync(IQueryable<Kpi> query, CancellationToken ct) =>
        await query
            .Select(k => new KpiLintInfo(k.Id, k.Name, k.OwnerTeamId,
                k.WarningLower != null || k.WarningUpper != null || k.CriticalLower != null || k.CriticalUpper != null,
                db.AlertRules.Any(r => r.KpiId == k.Id)))
            .ToListAsync(ct);

    /// <summary>
    /// For each key result that follows a KPI the caller sees, the KPI's current period value and where the trend of
    /// its latest periods puts it in the period that holds the cycle's last day. All the KPIs' periods are read at once.
    /// </summary>
    private async Task<Dictionary<Guid, KeyResultBaseline>> BaselinesAsync(List<Objective> objectives, ILookup<Guid, KeyResult> keyResults, CancellationToken ct)
    {
        var following = objectives.SelectMany(o => keyResults[o.Id].Where(k => k.KpiId is not null).Select(k => (KeyResult: k, o.CycleId))).ToList();
        if (following.Count == 0)
        {
            return [];
        }

        var kpiIds = following.Select(f => f.KeyResult.KpiId!.Value).Distinct().ToList();
        var kpis = await caller.Visible(db.Kpis.AsNoTracking()).Where(k => kpiIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, ct);
        var cycleIds = following.Select(f => f.CycleId).Distinct().ToList();
        var cycleEnds = await db.Cycles.AsNoTracking().Where(c => cycleIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.End, ct);
        var calendar = await db.CalendarAsync(ct);
        var recent = await db.RecentPeriodsAsync(kpis.Values.Select(k => (k, KpiTrend.Periods)).ToList(), calendar, ct);
        return following.Where(f => kpis.ContainsKey(f.KeyResult.KpiId!.Value) && cycleEnds.ContainsKey(f.CycleId)).ToDictionary(f => f.KeyResult.Id, f =>
        {
            var kpi = kpis[f.KeyResult.KpiId!.Value];
            var lastPeriod = calendar.StartOf(calendar.PeriodStart(cycleEnds[f.CycleId], kpi.Cadence));
            return new KeyResultBaseline(kpi.CurrentPeriodValue, KpiTrend.ProjectAt(recent[(kpi.Id, KpiTrend.Periods)].Periods, lastPeriod));
        });
    }
}
