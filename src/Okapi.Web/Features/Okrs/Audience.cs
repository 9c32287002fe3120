using Microsoft.EntityFrameworkCore;
using Okapi.Core.Access;
using Okapi.Core.Okrs;
using Okapi.Data;

namespace Okapi.Web.Features.Okrs;

/// <summary>
/// Who may hear about an objective: the people who may see it (the rule of <see cref="Actor.MaySee(Objective)"/>, applied
/// to people other than the caller), and for a quiet objective (a draft, or one in review) only its owners and its reviewer.
/// </summary>
public sealed class Audience(OkapiDbContext db)
{
    /// <summary>Those of <paramref name="people"/> who may be told about the objective.</summary>
    public async Task<HashSet<Guid>> WhoMayHearAsync(Objective objective, IReadOnlyCollection<Guid> people, CancellationToken ct)
    {
        var ids = people.Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var seeing = await WhoCanSeeAsync(objective, ids, ct);
        if (!ReviewFlow.IsQuiet(objective.State))
        {
            return seeing;
        }

        var owners = await OwnersAsync(objective, ct);
        var reviewers = await db.ObjectiveReviews.AsNoTracking()
            .Where(r => r.ObjectiveId == objective.Id && r.State == ReviewState.Requested).Select(r => r.ReviewerId).ToListAsync(ct);
        return seeing.Where(p => owners.Contains(p) || reviewers.Contains(p)).ToHashSet();
    }

    /// <summary>Those of <paramref name="people"/> who may see the objective (<see cref="Actor.MaySee(Objective)"/>).</summary>
    public async Task<HashSet<Guid>> WhoCanSeeAsync(Objective objective, IReadOnlyCollection<Guid> people, CancellationToken ct)
    {
        var ids = people.Distinct().ToList();
        var existing = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.OrganisationId, p.Role }).ToListAsync(ct);
        if (objective.Visibility == Visibility.Public)
        {
            return existing.Select(p => p.Id).ToHashSet();
        }

        var team = objective.OwnerTeamId;
        var inTeam = team is null ? [] : await db.TeamMemberships.AsNoTracking()
            .Where(m => m.TeamId == team && ids.Contains(m.PersonId)).Select(m => m.PersonId).ToListAsync(ct);
        // Only the owner team's membership matters to this objective's rule, so each person is an actor with at most that team.
        return existing.Where(p => new Actor(p.Id, p.OrganisationId, p.Role, inTeam.Contains(p.Id) ? [team!.Value] : []).MaySee(objective))
            .Select(p => p.Id).ToHashSet();
    }

    /// <summary>The objective's owners: its owner person and the members of its owner team.</summary>
    public async Task<HashSet<Guid>> OwnersAsync(Objective objective, CancellationToken ct)
    {
        var team = objective.OwnerTeamId;
        var owners = team is null ? [] : await db.TeamMemberships.AsNoTracking().Where(m => m.TeamId == team).Select(m => m.PersonId).ToListAsync(ct);
        if (objective.OwnerPersonId is { } person)
        {
            owners.Add(person);
        }

        return owners.ToHashSet();
    }
}
