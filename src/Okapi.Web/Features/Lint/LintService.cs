using Microsoft.EntityFrameworkCore;
using Okapi.Core.Lint;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Lint;

public sealed record LintFilter(Guid? Cycle, Guid? Team, Guid? Objective);

/// <summary>OKR quality findings, for the API and the pages alike.</summary>
public sealed class LintService(OkapiDbContext db, Caller caller)
{
    public async Task<Outcome<List<LintFinding>>> LintAsync(LintFilter filter, CancellationToken ct)
    {
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
        var objectives = await caller.Visible(db.Objectives.AsNoTracking())
            .Where(o => cycleIds.Contains(o.CycleId) && (filter.Team == null || o.OwnerTeamId == filter.Team))
            .ToListAsync(ct);
        var ids = objectives.Select(o => o.Id).ToList();
        var keyResults = (await db.KeyResults.AsNoTracking().Where(k => ids.Contains(k.ObjectiveId)).ToListAsync(ct)).ToLookup(k => k.ObjectiveId);
        var links = await db.ObjectiveLinks.AsNoTracking().Where(l => ids.Contains(l.ChildObjectiveId)).ToListAsync(ct);
        var companyTeamId = await db.Teams.Where(t => t.ParentTeamId == null).OrderBy(t => t.CreatedAt).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        var findings = OkrLinter.Lint(new LintInput
        {
            Objectives = objectives.Select(o => new ObjectiveWithKeyResults(o, keyResults[o.Id].ToList())).ToList(),
            Links = links,
            CompanyTeamId = companyTeamId,
        });

        var inScope = objectives.Where(o => (filter.Objective is null || o.Id == filter.Objective) && (filter.Team is null || o.OwnerTeamId == filter.Team)).ToList();
        var scopeIds = inScope.Select(o => o.Id).Concat(inScope.SelectMany(o => keyResults[o.Id].Select(k => k.Id))).ToHashSet();
        if (filter.Team is { } team)
        {
            scopeIds.Add(team);
        }

        return (filter.Objective is null && filter.Team is null ? findings : findings.Where(f => scopeIds.Contains(f.Subject.Id))).ToList();
    }
}
