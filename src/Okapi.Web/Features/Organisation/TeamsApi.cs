using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

public static class TeamsApi
{
    public static RouteGroupBuilder MapTeamsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/teams").WithTags("Teams");
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create).WithSummary("Create a team (admins).");
        group.MapPut("/{id:guid}", Update).WithSummary("Rename, move or re-staff a team (admins).");
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete a team without sub-teams or objectives (admins).");
        return api;
    }

    public static async Task<Ok<Page<TeamDto>>> List(OkapiDbContext db, Guid? parent, Guid? member, [AsParameters] PageRequest page, CancellationToken ct)
    {
        var query = db.Teams.AsNoTracking().Include(t => t.Members).AsQueryable();
        if (parent is { } p) query = query.Where(t => t.ParentTeamId == p);
        if (member is { } m) query = query.Where(t => t.Members.Any(x => x.PersonId == m));
        var (items, total) = await page.ApplyAsync(query.OrderBy(t => t.Name).ThenBy(t => t.Id), ct);
        return TypedResults.Ok(new Page<TeamDto>(items.Select(TeamDto.From).ToList(), page.Number, page.Size, total));
    }

    public static async Task<Results<Ok<TeamDto>, NotFound>> Get(Guid id, OkapiDbContext db, HttpContext http, CancellationToken ct)
    {
        var team = await db.Teams.AsNoTracking().Include(t => t.Members).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(http, team);
        return TypedResults.Ok(TeamDto.From(team));
    }

    public static async Task<Results<Created<TeamDto>, ValidationProblem, ProblemHttpResult>> Create(TeamRequest request, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Problems.Forbidden("Only admins manage teams.");
        }

        var team = new Team { Name = request.Name };
        var errors = await ApplyAsync(db, team, request, ct);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        db.Teams.Add(team);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, team);
        return TypedResults.Created($"/api/v1/teams/{team.Id}", TeamDto.From(team));
    }

    public static async Task<Results<Ok<TeamDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(Guid id, TeamRequest request, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var team = await db.Teams.Include(t => t.Members).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.IsAdmin, "Only admins manage teams.", http, db, team) is { } refused)
        {
            return refused;
        }

        var errors = await ApplyAsync(db, team, request, ct);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        // Membership rows are their own entities; touching the team records who changed its staff in the audit log.
        db.Entry(team).Property(t => t.UpdatedAt).IsModified = true;
        await db.SaveChangesAsync(ct);
        ETags.Set(http, team);
        return TypedResults.Ok(TeamDto.From(team));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.IsAdmin, "Only admins manage teams.", http, db, team) is { } refused)
        {
            return refused;
        }

        if (await db.Teams.AnyAsync(t => t.ParentTeamId == id, ct) || await db.Objectives.AnyAsync(o => o.OwnerTeamId == id, ct))
        {
            return Problems.Conflict("The team still has sub-teams or objectives: move or delete them first.");
        }

        db.Teams.Remove(team);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<ValidationErrors> ApplyAsync(OkapiDbContext db, Team team, TeamRequest request, CancellationToken ct)
    {
        var errors = new ValidationErrors().Text(request.Name, "name", 200).Text(request.Mission, "mission", 4000, required: false);
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

        team.Name = request.Name.Trim();
        team.ParentTeamId = request.ParentTeamId;
        team.Mission = request.Mission;
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
