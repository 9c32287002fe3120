using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public sealed record InitiativeFilter(Guid? Objective, Guid? KeyResult, Guid? Owner, InitiativeState? State);

/// <summary>Initiatives, the work behind objectives, for the API and the pages alike.</summary>
public sealed class InitiativeService(OkapiDbContext db, Caller caller)
{
    public async Task<Page<InitiativeDto>> ListAsync(InitiativeFilter filter, PageRequest page, CancellationToken ct)
    {
        var visible = caller.Visible(db.Objectives);
        var query = db.Initiatives.AsNoTracking().Where(i => visible.Any(o => o.Id == i.ObjectiveId));
        if (filter.Objective is { } o) query = query.Where(i => i.ObjectiveId == o);
        if (filter.KeyResult is { } k) query = query.Where(i => i.KeyResultId == k);
        if (filter.Owner is { } p) query = query.Where(i => i.OwnerPersonId == p);
        if (filter.State is { } s) query = query.Where(i => i.State == s);
        var (items, total) = await page.ApplyAsync(query.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id), ct);
        return new Page<InitiativeDto>(items.Select(InitiativeDto.From).ToList(), page.Number, page.Size, total);
    }

    /// <summary>
    /// An objective's or a key result's initiatives as the list shows them, for their fetch by id: the first page of
    /// the largest size bounds the read.
    /// </summary>
    public async Task<IReadOnlyList<InitiativeDto>> OfAsync(Guid objectiveId, Guid? keyResultId, CancellationToken ct) =>
        (await ListAsync(new InitiativeFilter(objectiveId, keyResultId, null, null), new PageRequest(1, PageRequest.MaxPageSize), ct)).Items;

    public async Task<Outcome<InitiativeDto>> GetAsync(Guid id, CancellationToken ct)
    {
        var (initiative, _) = await FindAsync(id, ct);
        return initiative is null ? Failure.NotFound : InitiativeDto.From(initiative);
    }

    public async Task<Outcome<InitiativeDto>> CreateAsync(InitiativeRequest request, CancellationToken ct)
    {
        var objective = await db.ObjectiveToAddToAsync(caller, request.ObjectiveId, caller.CanEdit, "Only those who may edit the objective add initiatives to it.", ct);
        if (objective.Failure is { } refused)
        {
            return refused;
        }

        if (await db.RefuseReadOnlyAsync(objective.Value!, ct) is { } closed)
        {
            return closed;
        }

        var initiative = new Initiative { Title = request.Title };
        Apply(initiative, request);
        var errors = await ValidateAsync(initiative, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        db.Initiatives.Add(initiative);
        await db.SaveChangesAsync(ct);
        return InitiativeDto.From(initiative);
    }

    public async Task<Outcome<InitiativeDto>> UpdateAsync(Guid id, InitiativeRequest request, IfMatch expectedVersion, CancellationToken ct)
    {
        var (initiative, objective) = await FindAsync(id, ct, track: true);
        if (initiative is null || objective is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.Actor.MayEdit(objective, initiative), "Only the initiative's owner, those who may edit its objective and admins edit it.", db, initiative, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (await db.RefuseReadOnlyAsync(objective, ct) is { } closed)
        {
            return closed;
        }

        if (request.ObjectiveId != initiative.ObjectiveId)
        {
            return Failure.Invalid("objectiveId", "An initiative cannot move to another objective.");
        }

        Apply(initiative, request);
        var errors = await ValidateAsync(initiative, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        await db.SaveChangesAsync(ct);
        return InitiativeDto.From(initiative);
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid id, IfMatch expectedVersion, CancellationToken ct)
    {
        var (initiative, objective) = await FindAsync(id, ct, track: true);
        if (initiative is null || objective is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanEdit(objective), "Only those who may edit the objective delete its initiatives.", db, initiative, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (await db.RefuseReadOnlyAsync(objective, ct) is { } closed)
        {
            return closed;
        }

        db.Initiatives.Remove(initiative);
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    private async Task<(Initiative?, Objective?)> FindAsync(Guid id, CancellationToken ct, bool track = false)
    {
        var initiative = await (track ? db.Initiatives : db.Initiatives.AsNoTracking()).FirstOrDefaultAsync(i => i.Id == id, ct);
        var objective = initiative is null ? null : await db.VisibleObjectiveAsync(caller, initiative.ObjectiveId, ct);
        return objective is not null ? (initiative, objective) : (null, null);
    }

    private static void Apply(Initiative i, InitiativeRequest r)
    {
        i.ObjectiveId = r.ObjectiveId;
        i.KeyResultId = r.KeyResultId;
        i.Title = r.Title?.Trim() ?? "";
        i.OwnerPersonId = r.OwnerPersonId;
        i.State = r.State ?? i.State;
        i.DueDate = r.DueDate;
    }

    private async Task<ValidationErrors> ValidateAsync(Initiative i, CancellationToken ct)
    {
        var errors = i.Validate();
        if (i.KeyResultId is { } kr && !await db.KeyResults.AnyAsync(k => k.Id == kr && k.ObjectiveId == i.ObjectiveId, ct))
        {
            errors.Add("keyResultId", "The key result does not exist in this objective.");
        }

        if (i.OwnerPersonId is { } person && !await db.People.AnyAsync(p => p.Id == person, ct))
        {
            errors.Add("ownerPersonId", "The person does not exist.");
        }

        return errors;
    }
}
