using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Closing;

/// <summary>
/// Closing a cycle for a team or for the company: grades (with overrides and their reasons), retrospectives, the
/// immutable snapshot, and carrying unfinished objectives over to a later cycle. For the API and the pages alike.
/// </summary>
public sealed class ClosingService(OkapiDbContext db, Caller caller, OkrScoring scoring, ObjectiveService objectives, OkrEvents events, TimeProvider clock)
{
    /// <summary>The objectives a close would grade, with their proposed grades; 404 when the cycle or team does not exist.</summary>
    public async Task<Outcome<ClosePreviewDto>> PreviewAsync(Guid cycleId, Guid? teamId, CancellationToken ct)
    {
        var cycle = await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cycleId, ct);
        if (cycle is null || (teamId is { } team && !await db.Teams.AnyAsync(t => t.Id == team, ct)))
        {
            return Failure.NotFound;
        }

        var closingId = await db.CycleClosings.Where(c => c.CycleId == cycleId && c.TeamId == teamId).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        var scope = await ScopeAsync(cycleId, teamId, tracked: false, ct);
        return new ClosePreviewDto(cycleId, teamId, closingId, cycle.State == CycleState.Closed,
            cycle.WhyNotClose(teamId, closedBefore: closingId is not null) is null && caller.Actor.MayCloseCycle(teamId),
            scope.Select(Preview).ToList());
    }

    public async Task<Outcome<ClosingDto>> CloseAsync(Guid cycleId, CloseRequest request, CancellationToken ct)
    {
        var cycle = await db.Cycles.FirstOrDefaultAsync(c => c.Id == cycleId, ct);
        if (cycle is null)
        {
            return Failure.NotFound;
        }

        var teamId = request.TeamId;
        if (teamId is { } team && !await db.Teams.AnyAsync(t => t.Id == team, ct))
        {
            return Failure.Invalid("teamId", "The team does not exist.");
        }

        if (!caller.Actor.MayCloseCycle(teamId))
        {
            return Failure.Forbidden(teamId is null ? "Only admins close a cycle for the company." : "Only the team's leads and admins close a cycle for a team.");
        }

        var closedBefore = await db.CycleClosings.AnyAsync(c => c.CycleId == cycleId && c.TeamId == teamId, ct);
        if (cycle.WhyNotClose(teamId, closedBefore) is { } why)
        {
            return Failure.Conflict(why);
        }

        var scope = await ScopeAsync(cycleId, teamId, tracked: true, ct);
        var errors = new ValidationErrors();
        var given = ValidateGrades(request.Grades, scope, errors);
        var notes = ValidateRetrospectives(request.Retrospectives, scope, errors);
        var carry = await ValidatePlanAsync("carryOver", request.CarryOver?.TargetCycleId, request.CarryOver?.ObjectiveIds, cycleId, scope, errors, ct);
        var carryKeyResults = ValidateCarriedKeyResults(request.CarryOver, carry, scope, errors);
        var clone = await ValidatePlanAsync("clone", request.CloneInto?.TargetCycleId, request.CloneInto?.ObjectiveIds, cycleId, scope, errors, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // One save per override, so that each audit event carries the reason of its own grade.
        foreach (var (keyResult, grade) in scope.SelectMany(o => o.KeyResults).Where(k => given.ContainsKey(k.Entity.Id)).Select(k => (k, given[k.Entity.Id])))
        {
            keyResult.Entity.Grade(grade.Grade, keyResult.ProposedGrade, grade.Reason);
            db.AuditReason = keyResult.Entity.GradeReason;
            await db.SaveChangesAsync(ct);
        }

        var closing = cycle.Close(teamId, closedBefore, clock.GetUtcNow().UtcDateTime, caller.PersonId, caller.Name);
        db.CycleClosings.Add(closing);
        var names = await OwnerNamesAsync(scope, ct);
        var snapshot = new List<ClosedScore>();
        foreach (var objective in scope)
        {
            foreach (var kr in objective.KeyResults.Where(k => !given.ContainsKey(k.Entity.Id)))
            {
                kr.Entity.Grade(kr.ProposedGrade, kr.ProposedGrade);
            }

            var o = objective.Entity;
            o.Close(objective.KeyResults.Select(k => k.Entity).ToList(), objective.Progress, notes.GetValueOrDefault(o.Id, o.Retrospective));
            snapshot.AddRange(closing.Snapshot(o, objective.Progress, objective.KeyResults.Select(k => (k.Entity, k.Progress)), names, snapshot.Count));
        }

        db.ClosedScores.AddRange(snapshot);
        db.AuditReason = $"Closed with {cycle.Name}";
        await events.ClosedAsync(cycle, teamId, scope.Count, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone else closed the same scope a moment ago: the unique index on closings refuses the second.
            return Failure.Conflict("The cycle was closed by someone else at the same time.");
        }

        var carried = carry is { } c ? await CopyAsync(c.Target, c.Objectives, carryKeyResults, link: true, ct) : [];
        var cloned = clone is { } d ? await CopyAsync(d.Target, d.Objectives, null, link: false, ct) : [];
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        events.Wake();

        var scores = await db.ClosedScores.AsNoTracking().Where(s => s.ClosingId == closing.Id).ToListAsync(ct);
        return ClosingDto.From(closing, scores) with { CarriedOver = carried.Select(o => o.Id).ToList(), Cloned = cloned.Select(o => o.Id).ToList() };
    }

    /// <summary>The closes of a cycle (teams' and the company's), oldest first, with the objectives the caller may see.</summary>
    public async Task<Outcome<List<ClosingDto>>> ListAsync(Guid cycleId, CancellationToken ct)
    {
        if (!await db.Cycles.AnyAsync(c => c.Id == cycleId, ct))
        {
            return Failure.NotFound;
        }

        var closings = await db.CycleClosings.AsNoTracking().Where(c => c.CycleId == cycleId).OrderBy(c => c.ClosedAt).ThenBy(c => c.Id).ToListAsync(ct);
        var scores = await VisibleScoresAsync(db.ClosedScores.Where(s => s.CycleId == cycleId), ct);
        var byClosing = scores.ToLookup(s => s.ClosingId);
        return closings.Select(c => ClosingDto.From(c, byClosing[c.Id])).ToList();
    }

    public async Task<Outcome<ClosingDto>> GetAsync(Guid id, CancellationToken ct)
    {
        var closing = await db.CycleClosings.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (closing is null)
        {
            return Failure.NotFound;
        }

        return ClosingDto.From(closing, await VisibleScoresAsync(db.ClosedScores.Where(s => s.ClosingId == id), ct));
    }

    /// <summary>Continues one objective in a later cycle, with the chosen (by default the unfinished) key results, linked to the original.</summary>
    public Task<Outcome<ObjectiveDto>> CarryOverAsync(Guid objectiveId, CarryOverRequest request, CancellationToken ct) =>
        CopyOneAsync(objectiveId, request.CycleId, request.KeyResultIds, link: true, ct);

    /// <summary>A fresh copy of an objective in another cycle: no link, key results from their original start.</summary>
    public Task<Outcome<ObjectiveDto>> CloneAsync(Guid objectiveId, CloneRequest request, CancellationToken ct) =>
        CopyOneAsync(objectiveId, request.CycleId, null, link: false, ct);

    private async Task<Outcome<ObjectiveDto>> CopyOneAsync(Guid objectiveId, Guid cycleId, List<Guid>? keyResultIds, bool link, CancellationToken ct)
    {
        var objective = await db.VisibleObjectiveAsync(caller, objectiveId, ct);
        if (objective is null)
        {
            return Failure.NotFound;
        }

        if (!caller.CanEdit(objective))
        {
            return Failure.Forbidden("Only those who may edit the objective carry it over or clone it.");
        }

        var errors = new ValidationErrors();
        await ValidateTargetAsync("cycleId", cycleId, objective.CycleId, errors, ct);
        var scored = await scoring.ScoreAsync([objective], ct);
        var keyResults = scored.KeyResultsByObjective[objective.Id].ToList();
        HashSet<Guid>? chosen = null;
        if (link)
        {
            chosen = keyResultIds?.ToHashSet() ?? keyResults.Where(k => CarryOver.IsUnfinished(scored.KeyResults[k.Id].Progress)).Select(k => k.Id).ToHashSet();
            errors.Require(chosen.All(id => keyResults.Any(k => k.Id == id)), "keyResultIds", "Every key result must belong to the objective.");
        }

        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        var copies = await CopyAsync(cycleId, [objective], chosen, link, ct);
        await db.SaveChangesAsync(ct);
        return (await objectives.ToDtosAsync(copies, ct))[0];
    }

    /// <summary>
    /// Adds copies of the objectives (and their key results: the chosen ones when carrying over, all when cloning) to
    /// the target cycle. Carried-over objectives keep their alignment where the parent lives on: a parent carried over
    /// in the same batch, or a parent in the target cycle itself (a year cycle that spans both quarters). Caller saves.
    /// </summary>
    private async Task<List<Objective>> CopyAsync(Guid targetCycleId, IReadOnlyList<Objective> originals, IReadOnlySet<Guid>? keyResultIds, bool link, CancellationToken ct)
    {
        var ids = originals.Select(o => o.Id).ToList();
        var keyResults = (await db.KeyResults.AsNoTracking().Where(k => ids.Contains(k.ObjectiveId)).ToListAsync(ct))
            .ToLookup(k => k.ObjectiveId);
        var newObjective = new Dictionary<Guid, Guid>();
        var newKeyResult = new Dictionary<Guid, Guid>();
        var copies = new List<Objective>();
        foreach (var original in originals)
        {
            var copy = link ? CarryOver.Continue(original, targetCycleId) : CarryOver.Clone(original, targetCycleId);
            db.Objectives.Add(copy);
            copies.Add(copy);
            newObjective[original.Id] = copy.Id;
            foreach (var kr in KeyResult.InOrder(keyResults[original.Id]).Where(k => keyResultIds is null || keyResultIds.Contains(k.Id)))
            {
                var krCopy = link ? CarryOver.Continue(kr, copy.Id) : CarryOver.Clone(kr, copy.Id);
                db.KeyResults.Add(krCopy);
                newKeyResult[kr.Id] = krCopy.Id;
            }
        }

        if (link)
        {
            var links = await db.ObjectiveLinks.AsNoTracking().Where(l => ids.Contains(l.ChildObjectiveId)).ToListAsync(ct);
            var parentKrIds = links.Where(l => l.ParentKeyResultId is not null).Select(l => l.ParentKeyResultId!.Value).ToList();
            var parentObjectiveIds = links.Where(l => l.ParentObjectiveId is not null).Select(l => l.ParentObjectiveId!.Value)
                .Concat(await db.KeyResults.Where(k => parentKrIds.Contains(k.Id)).Select(k => k.ObjectiveId).ToListAsync(ct)).ToList();
            var inTarget = (await db.Objectives.Where(o => parentObjectiveIds.Contains(o.Id) && o.CycleId == targetCycleId).Select(o => o.Id).ToListAsync(ct)).ToHashSet();
            var krInTarget = (await db.KeyResults.Where(k => parentKrIds.Contains(k.Id) && inTarget.Contains(k.ObjectiveId)).Select(k => k.Id).ToListAsync(ct)).ToHashSet();
            foreach (var l in links)
            {
                Guid? parentObjective = l.ParentObjectiveId is { } po ? newObjective.TryGetValue(po, out var np) ? np : inTarget.Contains(po) ? po : null : null;
                Guid? parentKeyResult = l.ParentKeyResultId is { } pk ? newKeyResult.TryGetValue(pk, out var nk) ? nk : krInTarget.Contains(pk) ? pk : null : null;
                if (parentObjective is not null || parentKeyResult is not null)
                {
                    db.ObjectiveLinks.Add(new ObjectiveLink
                    {
                        ChildObjectiveId = newObjective[l.ChildObjectiveId],
                        ParentObjectiveId = parentObjective,
                        ParentKeyResultId = parentKeyResult,
                        Weight = l.Weight,
                        RollsUp = l.RollsUp,
                    });
                }
            }
        }

        return copies;
    }

    private sealed record ScopedKeyResult(KeyResult Entity, double Progress, double ProposedGrade);

    private sealed record ScopedObjective(Objective Entity, double Progress, double ProposedGrade, IReadOnlyList<ScopedKeyResult> KeyResults);

    /// <summary>
    /// The objectives a close grades, that the caller may see: a team's own, or for the company every objective of the
    /// cycle that no team close has graded yet.
    /// </summary>
    private async Task<List<ScopedObjective>> ScopeAsync(Guid cycleId, Guid? teamId, bool tracked, CancellationToken ct)
    {
        var graded = db.ClosedScores.Where(s => s.CycleId == cycleId && s.KeyResultId == null).Select(s => s.ObjectiveId);
        var source = tracked ? db.Objectives : db.Objectives.AsNoTracking();
        var query = caller.Visible(source).Where(o => o.CycleId == cycleId && !graded.Contains(o.Id));
        if (teamId is { } team)
        {
            query = query.Where(o => o.OwnerTeamId == team);
        }

        var list = await query.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).ToListAsync(ct);
        var scored = await scoring.ScoreAsync(list, ct);
        var ids = list.Select(o => o.Id).ToList();
        var keyResults = tracked
            ? (await db.KeyResults.Where(k => ids.Contains(k.ObjectiveId)).ToListAsync(ct)).ToLookup(k => k.ObjectiveId)
            : scored.KeyResultsByObjective;
        return list.Select(o =>
        {
            var krs = KeyResult.InOrder(keyResults[o.Id])
                .Select(k => new ScopedKeyResult(k, scored.KeyResults[k.Id].Progress, Grades.Grade(scored.KeyResults[k.Id].Progress))).ToList();
            var progress = scored.Objectives[o.Id].Progress;
            return new ScopedObjective(o, progress, CloseGrades.ObjectiveGrade(krs.Select(k => (k.ProposedGrade, k.Entity.Weight)), progress), krs);
        }).ToList();
    }

    private static ClosePreviewObjectiveDto Preview(ScopedObjective o) => new(
        o.Entity.Id, o.Entity.Title, o.Entity.OwnerTeamId, o.Entity.OwnerPersonId, o.Entity.State, o.Progress, o.ProposedGrade,
        CarryOver.IsUnfinished(o.Progress),
        o.KeyResults.Select(k => new ClosePreviewKeyResultDto(k.Entity.Id, k.Entity.Title, k.Entity.OwnerPersonId, k.Entity.Type, k.Entity.Unit,
            k.Entity.Start, k.Entity.Target, k.Entity.CurrentValue, k.Entity.Weight, k.Progress, k.ProposedGrade, CarryOver.IsUnfinished(k.Progress))).ToList());

    private static Dictionary<Guid, (double Grade, string? Reason)> ValidateGrades(List<GradeRequest>? grades, List<ScopedObjective> scope, ValidationErrors errors)
    {
        var proposed = scope.SelectMany(o => o.KeyResults).ToDictionary(k => k.Entity.Id, k => k.ProposedGrade);
        var given = new Dictionary<Guid, (double, string?)>();
        var seen = new HashSet<Guid>();
        for (var i = 0; i < (grades?.Count ?? 0); i++)
        {
            var field = $"grades[{i}]";
            if (grades![i] is not { } g)
            {
                errors.Add(field, "must not be empty.");
                continue;
            }

            var reason = string.IsNullOrWhiteSpace(g.Reason) ? null : g.Reason.Trim();
            if (!proposed.TryGetValue(g.KeyResultId, out var expected))
            {
                errors.Add($"{field}.keyResultId", "The key result is not one this close grades.");
                continue;
            }

            if (!seen.Add(g.KeyResultId))
            {
                errors.Add($"{field}.keyResultId", "The key result is graded twice.");
                continue;
            }

            if (g.Grade is not { } grade)
            {
                errors.Add($"{field}.grade", "is required.");
                continue;
            }

            if (!CloseGrades.IsValid(grade))
            {
                errors.Add($"{field}.grade", "must be between 0.0 and 1.0 in steps of 0.1.");
                continue;
            }

            errors.Text(reason, $"{field}.reason", KeyResult.MaxGradeReasonLength, required: CloseGrades.IsOverride(expected, grade));
            if (reason is null && CloseGrades.IsOverride(expected, grade))
            {
                continue;
            }

            given[g.KeyResultId] = (grade, reason);
        }

        return given;
    }

    private static Dictionary<Guid, string?> ValidateRetrospectives(List<RetrospectiveRequest>? notes, List<ScopedObjective> scope, ValidationErrors errors)
    {
        var ids = scope.Select(o => o.Entity.Id).ToHashSet();
        var result = new Dictionary<Guid, string?>();
        for (var i = 0; i < (notes?.Count ?? 0); i++)
        {
            var field = $"retrospectives[{i}]";
            if (notes![i] is not { } n)
            {
                errors.Add(field, "must not be empty.");
                continue;
            }

            errors.Require(ids.Contains(n.ObjectiveId), $"{field}.objectiveId", "The objective is not one this close grades.");
            errors.Require(!result.ContainsKey(n.ObjectiveId), $"{field}.objectiveId", "The objective has two retrospectives.");
            errors.Text(n.Note, $"{field}.note", Objective.MaxDescriptionLength, required: false);
            result[n.ObjectiveId] = string.IsNullOrWhiteSpace(n.Note) ? null : n.Note.Trim();
        }

        return result;
    }

    private async Task<(Guid Target, List<Objective> Objectives)?> ValidatePlanAsync(
        string field, Guid? targetCycleId, List<Guid>? objectiveIds, Guid cycleId, List<ScopedObjective> scope, ValidationErrors errors, CancellationToken ct)
    {
        if (targetCycleId is not { } target)
        {
            return null;
        }

        await ValidateTargetAsync($"{field}.targetCycleId", target, cycleId, errors, ct);
        var chosen = new List<Objective>();
        foreach (var id in objectiveIds?.Distinct() ?? [])
        {
            if (scope.FirstOrDefault(o => o.Entity.Id == id) is { } objective)
            {
                chosen.Add(objective.Entity);
            }
            else
            {
                errors.Add($"{field}.objectiveIds", $"The objective {id} is not one this close grades.");
            }
        }

        return (target, chosen);
    }

    private static HashSet<Guid>? ValidateCarriedKeyResults(CarryOverPlan? plan, (Guid Target, List<Objective> Objectives)? carry, List<ScopedObjective> scope, ValidationErrors errors)
    {
        if (carry is not { } c)
        {
            return null;
        }

        var carried = scope.Where(o => c.Objectives.Contains(o.Entity)).SelectMany(o => o.KeyResults).ToList();
        if (plan?.KeyResultIds is not { } ids)
        {
            return carried.Where(k => CarryOver.IsUnfinished(k.Progress)).Select(k => k.Entity.Id).ToHashSet();
        }

        foreach (var id in ids.Where(id => carried.All(k => k.Entity.Id != id)))
        {
            errors.Add("carryOver.keyResultIds", $"The key result {id} does not belong to an objective carried over.");
        }

        return ids.ToHashSet();
    }

    private async Task ValidateTargetAsync(string field, Guid target, Guid from, ValidationErrors errors, CancellationToken ct)
    {
        var cycle = await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == target, ct);
        if (cycle is null)
        {
            errors.Add(field, "The cycle does not exist.");
        }
        else if (cycle.Id == from)
        {
            errors.Add(field, "Objectives are carried over to another cycle, not the one they are in.");
        }
        else if (cycle.State == CycleState.Closed)
        {
            errors.Add(field, "The cycle is closed.");
        }
    }

    private async Task<Dictionary<Guid, string>> OwnerNamesAsync(List<ScopedObjective> scope, CancellationToken ct)
    {
        var teamIds = scope.Select(o => o.Entity.OwnerTeamId).OfType<Guid>().Distinct().ToList();
        var personIds = scope.Select(o => o.Entity.OwnerPersonId).Concat(scope.SelectMany(o => o.KeyResults).Select(k => k.Entity.OwnerPersonId)).OfType<Guid>().Distinct().ToList();
        var teams = await db.Teams.AsNoTracking().Where(t => teamIds.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(ct);
        return teams.Select(t => (t.Id, t.Name)).Concat(people.Select(p => (p.Id, p.Name))).ToDictionary(x => x.Id, x => x.Name);
    }

    /// <summary>
    /// Snapshot rows of the objectives the caller may see now; rows of an objective deleted since the close are shown
    /// to admins only, as its visibility is no longer known.
    /// </summary>
    private async Task<List<ClosedScore>> VisibleScoresAsync(IQueryable<ClosedScore> query, CancellationToken ct)
    {
        var scores = await query.AsNoTracking().ToListAsync(ct);
        if (caller.Actor.SeesEverything)
        {
            return scores;
        }

        var ids = scores.Select(s => s.ObjectiveId).Distinct().ToList();
        var visible = (await caller.Visible(db.Objectives.AsNoTracking()).Where(o => ids.Contains(o.Id)).Select(o => o.Id).ToListAsync(ct)).ToHashSet();
        return scores.Where(s => visible.Contains(s.ObjectiveId)).ToList();
    }
}
