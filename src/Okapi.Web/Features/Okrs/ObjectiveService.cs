using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Okrs;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

/// <param name="Archived">True lists only archived objectives; otherwise they are left out.</param>
public sealed record ObjectiveFilter(Guid? Cycle, Guid? Team, Guid? Owner, EnumQuery<ObjectiveState>? State, string? Tag, bool? Archived = null);

/// <summary>Objectives and their alignment, for the API and the pages alike.</summary>
public sealed class ObjectiveService(OkapiDbContext db, Caller caller, OkrScoring scoring, InitiativeService initiatives, TimeProvider clock)
{
    public async Task<Page<ObjectiveDto>> ListAsync(ObjectiveFilter filter, PageRequest page, CancellationToken ct)
    {
        var query = caller.Visible(db.Objectives.AsNoTracking()).Archived(filter.Archived == true);
        if (filter.Cycle is { } cycle) query = query.Where(o => o.CycleId == cycle);
        if (filter.Team is { } team) query = query.Where(o => o.OwnerTeamId == team);
        if (filter.Owner is { } owner) query = query.Where(o => o.OwnerPersonId == owner);
        if (filter.State?.Value is { } state) query = query.Where(o => o.State == state);
        if (!string.IsNullOrWhiteSpace(filter.Tag)) query = query.Where(o => o.Tags.Contains(filter.Tag));
        var (items, total) = await page.ApplyAsync(query.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id), ct);
        return new Page<ObjectiveDto>(await ToDtosAsync(items, ct), page.Number, page.Size, total);
    }

    public async Task<Outcome<ObjectiveDto>> GetAsync(Guid id, CancellationToken ct)
    {
        var objective = await db.VisibleObjectiveAsync(caller, id, ct);
        if (objective is null)
        {
            return Failure.NotFound;
        }

        return (await ToDtosAsync([objective], ct))[0] with { Initiatives = await initiatives.OfAsync(objective.Id, null, ct) };
    }

    public async Task<Outcome<ObjectiveDto>> CreateAsync(ObjectiveRequest request, CancellationToken ct)
    {
        var objective = new Objective { Title = request.Title };
        Apply(objective, request);
        // A request that names no owner makes its creator the owner. One that names a team gets no owner person: as
        // its owner, a member could create and edit objectives of teams they are not in.
        if (objective.OwnerTeamId is null)
        {
            objective.OwnerPersonId ??= caller.PersonId;
        }

        var errors = await ValidateAsync(objective, ct);
        errors.Require(objective.State != ObjectiveState.InReview, "state", "create a draft and send it for review (POST /api/v1/objectives/{id}/review).");
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        if (!caller.CanEdit(objective))
        {
            return Failure.Forbidden("Members create objectives for themselves or for their own teams.");
        }

        if (await db.RefuseClosedCycleAsync(objective.CycleId, objective.OwnerTeamId, ct) is { } closed)
        {
            return closed;
        }

        db.Objectives.Add(objective);
        await db.SaveChangesAsync(ct);
        return (await ToDtosAsync([objective], ct))[0];
    }

    public async Task<Outcome<ObjectiveDto>> UpdateAsync(Guid id, ObjectiveRequest request, IfMatch expectedVersion, CancellationToken ct)
    {
        var objective = await db.Objectives.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (objective is null || !caller.CanSee(objective))
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanEdit(objective), "Only the owner, the owner team's members and admins edit this objective.", db, objective, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (await db.RefuseReadOnlyAsync(objective, ct) is { } closed)
        {
            return closed;
        }

        var (stateBefore, cycleBefore, teamBefore) = (objective.State, objective.CycleId, objective.OwnerTeamId);
        Apply(objective, request);
        var errors = await ValidateAsync(objective, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        if (!caller.CanEdit(objective))
        {
            return Failure.Forbidden("Members may not hand an objective to a team they are not in.");
        }

        if (ReviewFlow.WhyNotEdit(stateBefore, objective.State) is { } reviewPending)
        {
            return Failure.Conflict(reviewPending);
        }

        if ((objective.CycleId, objective.OwnerTeamId) != (cycleBefore, teamBefore) &&
            await db.RefuseClosedCycleAsync(objective.CycleId, objective.OwnerTeamId, ct) is { } movedIntoClosed)
        {
            return movedIntoClosed;
        }

        await db.SaveChangesAsync(ct);
        return (await ToDtosAsync([objective], ct))[0];
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid id, IfMatch expectedVersion, CancellationToken ct)
    {
        var objective = await db.Objectives.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (objective is null || !caller.CanSee(objective))
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanEdit(objective), "Only the owner, the owner team's members and admins delete this objective.", db, objective, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (await db.RefuseReadOnlyAsync(objective, ct) is { } closed)
        {
            return closed;
        }

        // Links that point at this objective's key results would otherwise block the cascade on some providers.
        var krIds = await db.KeyResults.Where(k => k.ObjectiveId == id).Select(k => k.Id).ToListAsync(ct);
        db.ObjectiveLinks.RemoveRange(await db.ObjectiveLinks
            .Where(l => l.ChildObjectiveId == id || l.ParentObjectiveId == id || (l.ParentKeyResultId != null && krIds.Contains(l.ParentKeyResultId.Value)))
            .ToListAsync(ct));
        db.Objectives.Remove(objective);
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    /// <summary>Archives the objective: hidden from lists and rollups, read-only, kept whole for a restore.</summary>
    public Task<Outcome<ObjectiveDto>> ArchiveAsync(Guid id, IfMatch expectedVersion, CancellationToken ct) =>
        ArchiveOrRestoreAsync(id, archive: true, expectedVersion, ct);

    /// <summary>Restores an archived objective as it was.</summary>
    public Task<Outcome<ObjectiveDto>> RestoreAsync(Guid id, IfMatch expectedVersion, CancellationToken ct) =>
        ArchiveOrRestoreAsync(id, archive: false, expectedVersion, ct);

    private async Task<Outcome<ObjectiveDto>> ArchiveOrRestoreAsync(Guid id, bool archive, IfMatch expectedVersion, CancellationToken ct)
    {
        var objective = await db.Objectives.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (objective is null || !caller.CanSee(objective))
        {
            return Failure.NotFound;
        }

        var action = archive ? "archive" : "restore";
        if (Failure.Refuse(caller.CanEdit(objective), $"Only the owner, the owner team's members and admins {action} this objective.", db, objective, expectedVersion) is { } refused)
        {
            return refused;
        }

        var cycle = await db.Cycles.AsNoTracking().FirstAsync(c => c.Id == objective.CycleId, ct);
        if ((archive ? objective.WhyNotArchive(cycle) : objective.WhyNotRestore(cycle)) is { } why)
        {
            return Failure.Conflict(why);
        }

        if (archive)
        {
            objective.Archive(cycle, clock.GetUtcNow().UtcDateTime);
        }
        else
        {
            objective.Restore(cycle);
        }

        await db.SaveChangesAsync(ct);
        return (await ToDtosAsync([objective], ct))[0];
    }

    /// <summary>What deleting the objective takes with it, for the confirmation that asks first.</summary>
    public async Task<Outcome<WhatGoesWith>> WhatGoesWithAsync(Guid id, CancellationToken ct)
    {
        if (await db.VisibleObjectiveAsync(caller, id, ct) is null)
        {
            return Failure.NotFound;
        }

        var keyResults = db.KeyResults.Where(k => k.ObjectiveId == id);
        return WhatGoesWith.Of(
            (await keyResults.CountAsync(ct), "key result", "key results"),
            (await db.CheckIns.CountAsync(c => keyResults.Any(k => k.Id == c.KeyResultId), ct), "check-in", "check-ins"),
            (await db.Initiatives.CountAsync(i => i.ObjectiveId == id, ct), "initiative", "initiatives"),
            (await db.Comments.CountAsync(c => c.ObjectiveId == id, ct), "comment", "comments"),
            (await db.ObjectiveLinks.CountAsync(l => l.ParentObjectiveId == id || keyResults.Any(k => k.Id == l.ParentKeyResultId), ct), "alignment of an objective to it", "alignments of objectives to it"));
    }

    public async Task<Outcome<AlignmentLinkDto>> AddParentAsync(Guid id, AlignmentLinkRequest request, CancellationToken ct)
    {
        var child = await db.VisibleObjectiveAsync(caller, id, ct);
        if (child is null)
        {
            return Failure.NotFound;
        }

        if (!caller.CanEdit(child))
        {
            return Failure.Forbidden("Only those who may edit the objective align it.");
        }

        if ((request.ParentObjectiveId is null) == (request.ParentKeyResultId is null))
        {
            return Failure.Invalid("parent", "Give exactly one of parentObjectiveId and parentKeyResultId.");
        }

        var parentId = request.ParentObjectiveId;
        if (request.ParentKeyResultId is { } krId)
        {
            parentId = await db.KeyResults.Where(k => k.Id == krId).Select(k => (Guid?)k.ObjectiveId).FirstOrDefaultAsync(ct);
        }

        var parent = parentId is { } parentObjectiveId ? await db.VisibleObjectiveAsync(caller, parentObjectiveId, ct) : null;
        if (parent is null)
        {
            return Failure.Invalid("parent", "The parent objective or key result does not exist.");
        }

        // A link moves the parent's rollup as much as the child's alignment: neither may be closed.
        if ((await db.RefuseReadOnlyAsync(child, ct) ?? await db.RefuseReadOnlyAsync(parent, ct)) is { } closed)
        {
            return closed;
        }

        var existing = await db.ObjectiveLinks.AsNoTracking().ToListAsync(ct);
        var parentOfKr = await ParentObjectivesOfKeyResultsAsync(existing, ct);
        var edges = existing.Select(l => new AlignmentEdge(l.ChildObjectiveId, l.ParentObjectiveId ?? parentOfKr[l.ParentKeyResultId!.Value]));
        if (AlignmentGraph.WouldCreateLoop(edges, child.Id, parent.Id))
        {
            return Failure.Invalid("parent", "This link would close a loop: the parent already contributes to this objective.");
        }

        if (existing.Any(l => l.ChildObjectiveId == id && l.ParentObjectiveId == request.ParentObjectiveId && l.ParentKeyResultId == request.ParentKeyResultId))
        {
            return Failure.Conflict("The objective is already aligned to this parent.");
        }

        var link = new ObjectiveLink
        {
            ChildObjectiveId = id,
            ParentObjectiveId = request.ParentObjectiveId,
            ParentKeyResultId = request.ParentKeyResultId,
            Weight = request.Weight ?? 1,
            RollsUp = request.RollsUp ?? true,
        };
        if (link.Validate() is { IsValid: false } errors)
        {
            return Failure.Invalid(errors);
        }

        db.ObjectiveLinks.Add(link);
        await db.SaveChangesAsync(ct);
        return AlignmentLinkDto.From(link);
    }

    public async Task<Outcome<Done>> RemoveParentAsync(Guid id, Guid linkId, CancellationToken ct)
    {
        var child = await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        var link = await db.ObjectiveLinks.FirstOrDefaultAsync(l => l.Id == linkId && l.ChildObjectiveId == id, ct);
        if (child is null || link is null || !caller.CanSee(child))
        {
            return Failure.NotFound;
        }

        if (!caller.CanEdit(child))
        {
            return Failure.Forbidden("Only those who may edit the objective change its alignment.");
        }

        // Unlinking moves the parent's rollup as much as the child's alignment: neither may be closed.
        var parentId = link.ParentObjectiveId ?? await db.KeyResults.Where(k => k.Id == link.ParentKeyResultId).Select(k => (Guid?)k.ObjectiveId).FirstOrDefaultAsync(ct);
        var parent = await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == parentId, ct);
        if ((await db.RefuseReadOnlyAsync(child, ct) ?? (parent is null ? null : await db.RefuseReadOnlyAsync(parent, ct))) is { } closed)
        {
            return closed;
        }

        db.ObjectiveLinks.Remove(link);
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    /// <summary>
    /// The objective's alignment links with what each points at: the parent objective's title, and a parent key result's
    /// title beside its objective's. Parents the caller may not see are left out.
    /// </summary>
    public async Task<IReadOnlyList<AlignedParent>> AlignedParentsAsync(ObjectiveDto objective, CancellationToken ct)
    {
        var krIds = objective.Parents.Where(p => p.ParentKeyResultId is not null).Select(p => p.ParentKeyResultId!.Value).ToList();
        var keyResults = await db.KeyResults.AsNoTracking().Where(k => krIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => new { k.Title, k.ObjectiveId }, ct);
        var ids = objective.Parents.Select(p => p.ParentObjectiveId ?? keyResults.GetValueOrDefault(p.ParentKeyResultId!.Value)?.ObjectiveId).OfType<Guid>().Distinct().ToList();
        var titles = await caller.Visible(db.Objectives.AsNoTracking()).Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Title, ct);
        return objective.Parents.Select(link =>
        {
            var kr = link.ParentKeyResultId is { } krId ? keyResults.GetValueOrDefault(krId) : null;
            var parentId = link.ParentObjectiveId ?? kr?.ObjectiveId;
            return parentId is { } id && titles.TryGetValue(id, out var title) ? new AlignedParent(link, id, title, kr?.Title) : null;
        }).OfType<AlignedParent>().ToList();
    }

    /// <summary>The objectives this one contributes to (directly or through one of their key results) that the caller may see.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Title)>> ParentTitlesAsync(ObjectiveDto objective, CancellationToken ct)
    {
        var krIds = objective.Parents.Where(p => p.ParentKeyResultId is not null).Select(p => p.ParentKeyResultId!.Value).ToList();
        var ids = objective.Parents.Where(p => p.ParentObjectiveId is not null).Select(p => p.ParentObjectiveId!.Value)
            .Concat(await db.KeyResults.Where(k => krIds.Contains(k.Id)).Select(k => k.ObjectiveId).ToListAsync(ct))
            .Distinct().ToList();
        var parents = await caller.Visible(db.Objectives.AsNoTracking()).Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Title }).ToListAsync(ct);
        return parents.Select(p => (p.Id, p.Title)).ToList();
    }

    /// <summary>Objectives with their key results and every computed field.</summary>
    public async Task<IReadOnlyList<ObjectiveDto>> ToDtosAsync(IReadOnlyList<Objective> objectives, CancellationToken ct)
    {
        var scored = await scoring.ScoreAsync(objectives, ct);
        var ids = objectives.Select(o => o.Id).ToList();
        var parents = (await db.ObjectiveLinks.AsNoTracking().Where(l => ids.Contains(l.ChildObjectiveId)).ToListAsync(ct))
            .ToLookup(l => l.ChildObjectiveId);
        var reviews = (await db.ObjectiveReviews.AsNoTracking().Where(r => ids.Contains(r.ObjectiveId)).ToListAsync(ct))
            .GroupBy(r => r.ObjectiveId).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id).First());
        // A closed objective shows its cycle close's snapshot, whatever happened since (a late check-in, an edited key result).
        var closedIds = objectives.Where(o => o.State == ObjectiveState.Closed).Select(o => o.Id).ToList();
        var snapshot = closedIds.Count == 0 ? [] : (await db.ClosedScores.AsNoTracking().Where(s => closedIds.Contains(s.ObjectiveId)).ToListAsync(ct))
            .ToDictionary(s => (s.ObjectiveId, s.KeyResultId));
        return objectives.Select(o =>
        {
            var score = scored.Objectives[o.Id];
            var window = scored.Windows[o.CycleId];
            var status = Grades.StatusAt(window, scored.Now, score.Forecast);
            var closed = snapshot.GetValueOrDefault((o.Id, null));
            var progress = closed?.Progress ?? score.Progress;
            var grade = closed?.Grade ?? o.FinalGrade ?? Grades.Grade(score.Progress);
            var krs = KeyResult.InOrder(scored.KeyResultsByObjective[o.Id])
                .Select(k => KeyResultDto.From(k, scored.KeyResults[k.Id], caller.MayChange(o, k, scored.Cycles[o.CycleId])))
                .Select(k => snapshot.GetValueOrDefault((o.Id, k.Id)) is { } s
                    ? k with { Progress = s.Progress, Grade = s.Grade, GradeColour = Grades.Colour(s.Grade), Current = s.Current ?? k.Current }
                    : k)
                .ToList();
            return new ObjectiveDto(o.Id, o.CycleId, o.Title, o.Description, o.OwnerTeamId, o.OwnerPersonId, o.State,
                o.Visibility, o.Tags, o.ContinuedFromId, o.Version, progress, score.Forecast, status, grade,
                Grades.Colour(grade), parents[o.Id].Select(AlignmentLinkDto.From).ToList(), krs, o.CreatedAt, o.UpdatedAt, caller.MayChange(o, scored.Cycles[o.CycleId]),
                reviews.TryGetValue(o.Id, out var review) ? ReviewDto.From(review, o.Title, caller) : null, o.Retrospective)
            { ArchivedAt = o.ArchivedAt, CanRestore = caller.CanEdit(o) && o.WhyNotRestore(scored.Cycles[o.CycleId]) is null };
        }).ToList();
    }

    private async Task<Dictionary<Guid, Guid>> ParentObjectivesOfKeyResultsAsync(List<ObjectiveLink> links, CancellationToken ct)
    {
        var krIds = links.Where(l => l.ParentKeyResultId is not null).Select(l => l.ParentKeyResultId!.Value).Distinct().ToList();
        return await db.KeyResults.AsNoTracking().Where(k => krIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.ObjectiveId, ct);
    }

    private static void Apply(Objective o, ObjectiveRequest r)
    {
        o.Title = r.Title?.Trim() ?? "";
        o.Description = string.IsNullOrWhiteSpace(r.Description) ? null : r.Description;
        o.CycleId = r.CycleId;
        o.OwnerTeamId = r.OwnerTeamId;
        o.OwnerPersonId = r.OwnerPersonId;
        o.State = r.State ?? o.State;
        o.Visibility = r.Visibility ?? o.Visibility;
        o.Tags = r.Tags?.Select(t => t?.Trim() ?? "").Where(t => t.Length > 0).Distinct().ToList() ?? [];
    }

    private async Task<ValidationErrors> ValidateAsync(Objective o, CancellationToken ct)
    {
        var errors = o.Validate();
        if (!await db.Cycles.AnyAsync(c => c.Id == o.CycleId, ct)) errors.Add("cycleId", "The cycle does not exist.");
        if (o.OwnerTeamId is { } team && !await db.Teams.AnyAsync(t => t.Id == team, ct)) errors.Add("ownerTeamId", "The team does not exist.");
        if (o.OwnerPersonId is { } person && !await db.People.AnyAsync(p => p.Id == person, ct)) errors.Add("ownerPersonId", "The person does not exist.");
        return errors;
    }
}
