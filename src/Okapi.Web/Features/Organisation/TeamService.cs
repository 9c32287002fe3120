using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

public sealed record TeamFilter(Guid? Parent, Guid? Member);

/// <summary>Teams, their hierarchy and their members, for the API and the pages alike.</summary>
public sealed class TeamService(OkapiDbContext db, Caller caller, CallerCache directory)
{
    // Every member of the organisation sees every team, so a page is the same for all of them; the teams list is read
    // far more often than teams change, and the cache forgets its pages on any change to teams or memberships.
    private sealed record ListKey(Guid OrganisationId, TeamFilter Filter, int Number, int Size);

    public async Task<Page<TeamDto>> ListAsync(TeamFilter filter, PageRequest page, CancellationToken ct) =>
        (await directory.DirectoryAsync(new ListKey(db.OrganisationId, filter, page.Number, page.Size), () => ReadPageAsync(filter, page, ct)))!;

    private async Task<Page<TeamDto>?> ReadPageAsync(TeamFilter filter, PageRequest page, CancellationToken ct)
    {
        var query = db.Teams.AsNoTracking().Include(t => t.Members).AsQueryable();
        if (filter.Parent is { } p) query = query.Where(t => t.ParentTeamId == p);
        if (filter.Member is { } m) query = query.Where(t => t.Members.Any(x => x.PersonId == m));
        var (items, total) = await page.ApplyAsync(query.OrderBy(t => t.Name).ThenBy(t => t.Id), ct);
        return new Page<TeamDto>(items.Select(TeamDto.From).ToList(), page.Number, page.Size, total);
    }

    public async Task<Outcome<TeamDto>> GetAsync(Guid id, CancellationToken ct) =>
        await db.Teams.AsNoTracking().Include(t => t.Members).FirstOrDefaultAsync(t => t.Id == id, ct) is { } team ? TeamDto.From(team) : Failure.NotFound;

    public async Task<Outcome<TeamDto>> CreateAsync(TeamRequest request, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage teams.");
        }

        var team = new Team { Name = request.Name };
        var errors = await ApplyAsync(team, request, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        db.Teams.Add(team);
        await db.SaveChangesAsync(ct);
        return TeamDto.From(team);
    }

    public async Task<Outcome<TeamDto>> UpdateAsync(Guid id, TeamRequest request, IfMatch expectedVersion, CancellationToken ct)
    {
        var team = await db.Teams.Include(t => t.Members).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.IsAdmin, "Only admins manage teams.", db, team, expectedVersion) is { } refused)
        {
            return refused;
        }

        var errors = await ApplyAsync(team, request, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        // Membership rows are their own entities; touching the team records who changed its staff in the audit log.
        db.Entry(team).Property(t => t.UpdatedAt).IsModified = true;
        await db.SaveChangesAsync(ct);
        return TeamDto.From(team);
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid id, IfMatch expectedVersion, CancellationToken ct)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.IsAdmin, "Only admins manage teams.", db, team, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (await db.Teams.AnyAsync(t => t.ParentTeamId == id, ct) || await db.Objectives.AnyAsync(o => o.OwnerTeamId == id, ct))
        {
            return Failure.Conflict("The team still has sub-teams or objectives: move or delete them first.");
        }

        db.Teams.Remove(team);
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    private async Task<ValidationErrors> ApplyAsync(Team team, TeamRequest request, CancellationToken ct)
    {
        team.Name = request.Name?.Trim() ?? "";
        team.Mission = request.Mission;
        var errors = team.Validate();
        if (request.ParentTeamId is { } parent)
        {
            var edges = await db.Teams.Where(t => t.ParentTeamId != null && t.Id != team.Id)
                .Select(t => new AlignmentEdge(t.Id, t.ParentTeamId!.Value, 1, true)).ToListAsync(ct);
            if (!await db.Teams.AnyAsync(t => t.Id == parent, ct))
            {
                errors.Add("parentTeamId", "The parent team does not exist.");
            }
            else if (AlignmentGraph.WouldCreateLoop(edges, team.Id, parent))
            {
                errors.Add("parentTeamId", "A team cannot sit below itself.");
            }
        }

        var members = request.Members ?? [];
        if (members.Any(m => m is null))
        {
            return errors.Add("members", "must not contain empty entries.");
        }

        var ids = members.Select(m => m.PersonId).Distinct().ToList();
        if (ids.Count != members.Count)
        {
            errors.Add("members", "Each person appears once.");
        }
        else if (await db.People.CountAsync(p => ids.Contains(p.Id), ct) != ids.Count)
        {
            errors.Add("members", "Some members do not exist.");
        }

        if (!errors.IsValid)
        {
            return errors;
        }

        team.ParentTeamId = request.ParentTeamId;
        team.Members.RemoveAll(m => !ids.Contains(m.PersonId));
        foreach (var member in members)
        {
            var existing = team.Members.FirstOrDefault(m => m.PersonId == member.PersonId);
            if (existing is null)
            {
                team.Members.Add(new TeamMembership { TeamId = team.Id, PersonId = member.PersonId, IsLead = member.IsLead });
            }
            else
            {
                existing.IsLead = member.IsLead;
            }
        }

        return errors;
    }
}
