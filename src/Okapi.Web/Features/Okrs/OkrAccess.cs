using Microsoft.EntityFrameworkCore;
using Okapi.Core.Okrs;
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
}
