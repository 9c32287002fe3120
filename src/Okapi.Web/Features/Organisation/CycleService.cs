using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

/// <summary>Cycles, the time boxes objectives live in, for the API and the pages alike.</summary>
public sealed class CycleService(OkapiDbContext db, Caller caller)
{
    public async Task<Page<CycleDto>> ListAsync(CycleState? state, PageRequest page, CancellationToken ct)
    {
        var query = db.Cycles.AsNoTracking();
        if (state is { } s) query = query.Where(c => c.State == s);
        var (items, total) = await page.ApplyAsync(query.OrderByDescending(c => c.Start).ThenBy(c => c.Id), ct);
        return new Page<CycleDto>(items.Select(CycleDto.From).ToList(), page.Number, page.Size, total);
    }

    public async Task<Outcome<CycleDto>> GetAsync(Guid id, CancellationToken ct) =>
        await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } cycle ? CycleDto.From(cycle) : Failure.NotFound;

    public async Task<Outcome<CycleDto>> CreateAsync(CycleRequest request, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage cycles.");
        }

        var cycle = new Cycle { Name = request.Name };
        var errors = await ApplyAsync(cycle, request, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        db.Cycles.Add(cycle);
        await db.SaveChangesAsync(ct);
        return CycleDto.From(cycle);
    }

    public async Task<Outcome<CycleDto>> UpdateAsync(Guid id, CycleRequest request, IfMatch expectedVersion, CancellationToken ct)
    {
        var cycle = await db.Cycles.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (cycle is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.IsAdmin, "Only admins manage cycles.", db, cycle, expectedVersion) is { } refused)
        {
            return refused;
        }

        var errors = await ApplyAsync(cycle, request, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        await db.SaveChangesAsync(ct);
        return CycleDto.From(cycle);
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid id, IfMatch expectedVersion, CancellationToken ct)
    {
        var cycle = await db.Cycles.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (cycle is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.IsAdmin, "Only admins manage cycles.", db, cycle, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (await db.Objectives.AnyAsync(o => o.CycleId == id, ct) || await db.Cycles.AnyAsync(c => c.ParentCycleId == id, ct))
        {
            return Failure.Conflict("The cycle still holds objectives or nested cycles.");
        }

        db.Cycles.Remove(cycle);
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    private async Task<ValidationErrors> ApplyAsync(Cycle cycle, CycleRequest request, CancellationToken ct)
    {
        // A cycle closes through its company close, which grades its objectives and keeps the snapshot.
        var closesByHand = request.State == CycleState.Closed && cycle.State != CycleState.Closed;
        cycle.Name = request.Name?.Trim() ?? "";
        var missing = new ValidationErrors();
        cycle.Start = missing.Required(request.Start, "start");
        cycle.End = missing.Required(request.End, "end");
        cycle.Kind = missing.Required(request.Kind, "kind");
        cycle.State = request.State ?? cycle.State;
        cycle.ParentCycleId = request.ParentCycleId;
        var parent = request.ParentCycleId is { } parentId ? await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == parentId, ct) : null;
        var errors = cycle.Validate(parent).Include(missing)
            .Require(!closesByHand, "state", "A cycle is closed by closing it (POST /api/v1/cycles/{id}/closings), which records its grades.")
            .Require(request.ParentCycleId is null || (parent is not null && parent.Id != cycle.Id), "parentCycleId", "The parent cycle does not exist.");
        return errors;
    }
}
