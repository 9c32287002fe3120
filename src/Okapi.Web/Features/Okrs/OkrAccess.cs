using Microsoft.EntityFrameworkCore;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

/// <summary>Objectives the caller may see; key results, initiatives and comments are seen by whoever sees their objective.</summary>
internal static class OkrAccess
{
    /// <summary>The objective, if the caller may see it.</summary>
    public static async Task<Objective?> VisibleObjectiveAsync(this OkapiDbContext db, Caller caller, Guid id, CancellationToken ct) =>
        await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct) is { } objective && caller.CanSee(objective) ? objective : null;

    /// <summary>The objective something new goes into: one the caller sees (else objectiveId is invalid) and may add to.</summary>
    public static async Task<Outcome<Objective>> ObjectiveToAddToAsync(this OkapiDbContext db, Caller caller, Guid id, Func<Objective, bool> mayAdd, string whyNot, CancellationToken ct)
    {
        var objective = await db.VisibleObjectiveAsync(caller, id, ct);
        if (objective is null)
        {
            return Failure.Invalid("objectiveId", "The objective does not exist.");
        }

        return mayAdd(objective) ? objective : Failure.Forbidden(whyNot);
    }

    /// <summary>
    /// A conflict when the objective may no longer change (<see cref="Objective.WhyReadOnly"/>), for every write to it or
    /// to what hangs from it: its key results, check-ins, initiatives and alignment. Null when it may change.
    /// </summary>
    public static async Task<Failure?> RefuseReadOnlyAsync(this OkapiDbContext db, Objective objective, CancellationToken ct)
    {
        var cycle = await db.Cycles.AsNoTracking().FirstAsync(c => c.Id == objective.CycleId, ct);
        return objective.WhyReadOnly(cycle) is { } why ? Failure.Conflict(why) : null;
    }

    /// <summary>
    /// A conflict when no objective may be added to the cycle for <paramref name="ownerTeamId"/> (<see cref="Cycle.WhyClosedForObjectives"/>):
    /// for objectives created in a cycle or moved into it. Null when one may, or when the cycle does not exist (validation says so).
    /// </summary>
    public static async Task<Failure?> RefuseClosedCycleAsync(this OkapiDbContext db, Guid cycleId, Guid? ownerTeamId, CancellationToken ct)
    {
        var cycle = await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cycleId, ct);
        if (cycle is null)
        {
            return null;
        }

        var closedForTeam = ownerTeamId is { } team && await db.CycleClosings.AnyAsync(c => c.CycleId == cycleId && c.TeamId == team, ct);
        return cycle.WhyClosedForObjectives(closedForTeam) is { } why ? Failure.Conflict(why) : null;
    }

    /// <summary>Whether the caller may edit the objective now: allowed to, and the objective not closed. For the DTOs' flags.</summary>
    public static bool MayChange(this Caller caller, Objective objective, Cycle cycle) =>
        caller.CanEdit(objective) && objective.WhyReadOnly(cycle) is null;

    /// <summary>Whether the caller may check in on and edit the key result now: allowed to, and its objective not closed.</summary>
    public static bool MayChange(this Caller caller, Objective objective, KeyResult keyResult, Cycle cycle) =>
        caller.CanEdit(objective, keyResult) && objective.WhyReadOnly(cycle) is null;
}
