using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Okrs;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public static class ObjectivesApi
{
    public static RouteGroupBuilder MapObjectivesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/objectives").WithTags("Objectives");
        group.MapGet("/", List).WithSummary("List objectives, with computed progress, forecast, status and grade.");
        group.MapGet("/{id:guid}", Get).WithName("GetObjective");
        group.MapPost("/", Create);
        group.MapPut("/{id:guid}", Update);
        group.MapDelete("/{id:guid}", Delete);
        group.MapPost("/{id:guid}/parents", AddParent).WithSummary("Align the objective to a parent objective or key result.");
        group.MapDelete("/{id:guid}/parents/{linkId:guid}", RemoveParent);
        return api;
    }

    public static async Task<Ok<Page<ObjectiveDto>>> List(
        OkapiDbContext db, Caller caller, OkrScoring scoring, [AsParameters] ObjectiveFilter filter, [AsParameters] PageRequest page, CancellationToken ct)
    {
        var query = caller.Visible(db.Objectives.AsNoTracking());
        if (filter.Cycle is { } cycle) query = query.Where(o => o.CycleId == cycle);
        if (filter.Team is { } team) query = query.Where(o => o.OwnerTeamId == team);
        if (filter.Owner is { } owner) query = query.Where(o => o.OwnerPersonId == owner);
        if (filter.State?.Value is { } state) query = query.Where(o => o.State == state);
        if (!string.IsNullOrWhiteSpace(filter.Tag)) query = query.Where(o => o.Tags.Contains(filter.Tag));
        var (items, total) = await page.ApplyAsync(query.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id), ct);
        var dtos = await ToDtosAsync(db, scoring, items, ct);
        return TypedResults.Ok(new Page<ObjectiveDto>(dtos, page.Number, page.Size, total));
    }

    public static async Task<Results<Ok<ObjectiveDto>, NotFound>> Get(Guid id, OkapiDbContext db, Caller caller, OkrScoring scoring, HttpContext http, CancellationToken ct)
    {
        var objective = await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (objective is null || !caller.CanSee(objective))
        {
            return TypedResults.NotFound();
        }

        ETags.Set(http, objective);
        return TypedResults.Ok((await ToDtosAsync(db, scoring, [objective], ct))[0]);
    }

    public static async Task<Results<Created<ObjectiveDto>, ValidationProblem, ProblemHttpResult>> Create(
        ObjectiveRequest request, OkapiDbContext db, Caller caller, OkrScoring scoring, HttpContext http, CancellationToken ct)
    {
        var objective = new Objective { Title = request.Title };
        Apply(objective, request);
        var errors = await ValidateAsync(db, objective, ct);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!caller.CanEdit(objective))
        {
            return Problems.Forbidden("Members create objectives for themselves or for their own teams.");
        }

        db.Objectives.Add(objective);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, objective);
        return TypedResults.Created($"/api/v1/objectives/{objective.Id}", (await ToDtosAsync(db, scoring, [objective], ct))[0]);
    }

    public static async Task<Results<Ok<ObjectiveDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, ObjectiveRequest request, OkapiDbContext db, Caller caller, OkrScoring scoring, HttpContext http, CancellationToken ct)
    {
        var objective = await db.Objectives.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (objective is null || !caller.CanSee(objective))
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.CanEdit(objective), "Only the owner, the owner team's members and admins edit this objective.", http, db, objective) is { } refused)
        {
            return refused;
        }

        Apply(objective, request);
        var errors = await ValidateAsync(db, objective, ct);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        if (!caller.CanEdit(objective))
        {
            return Problems.Forbidden("Members may not hand an objective to a team they are not in.");
        }

        await db.SaveChangesAsync(ct);
        ETags.Set(http, objective);
        return TypedResults.Ok((await ToDtosAsync(db, scoring, [objective], ct))[0]);
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var objective = await db.Objectives.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (objective is null || !caller.CanSee(objective))
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.CanEdit(objective), "Only the owner, the owner team's members and admins delete this objective.", http, db, objective) is { } refused)
        {
            return refused;
        }

        // Links that point at this objective's key results would otherwise block the cascade on some providers.
        var krIds = await db.KeyResults.Where(k => k.ObjectiveId == id).Select(k => k.Id).ToListAsync(ct);
        db.ObjectiveLinks.RemoveRange(await db.ObjectiveLinks
            .Where(l => l.ChildObjectiveId == id || l.ParentObjectiveId == id || (l.ParentKeyResultId != null && krIds.Contains(l.ParentKeyResultId.Value)))
            .ToListAsync(ct));
        db.Objectives.Remove(objective);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<AlignmentLinkDto>, NotFound, ValidationProblem, ProblemHttpResult>> AddParent(
        Guid id, AlignmentLinkRequest request, OkapiDbContext db, Caller caller, CancellationToken ct)
    {
        var child = await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (child is null || !caller.CanSee(child))
        {
            return TypedResults.NotFound();
        }

        if (!caller.CanEdit(child))
        {
            return Problems.Forbidden("Only those who may edit the objective align it.");
        }

        if ((request.ParentObjectiveId is null) == (request.ParentKeyResultId is null))
        {
            return Problems.Invalid("parent", "Give exactly one of parentObjectiveId and parentKeyResultId.");
        }

        var parentId = request.ParentObjectiveId;
        if (request.ParentKeyResultId is { } krId)
        {
            parentId = await db.KeyResults.Where(k => k.Id == krId).Select(k => (Guid?)k.ObjectiveId).FirstOrDefaultAsync(ct);
        }

        var parent = parentId is null ? null : await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == parentId, ct);
        if (parent is null || !caller.CanSee(parent))
        {
            return Problems.Invalid("parent", "The parent objective or key result does not exist.");
        }

        var existing = await db.ObjectiveLinks.AsNoTracking().ToListAsync(ct);
        var parentOfKr = await ParentObjectivesOfKeyResultsAsync(db, existing, ct);
        var edges = existing.Select(l => new AlignmentEdge(l.ChildObjectiveId, l.ParentObjectiveId ?? parentOfKr[l.ParentKeyResultId!.Value]));
        if (AlignmentGraph.WouldCreateLoop(edges, child.Id, parent.Id))
        {
            return Problems.Invalid("parent", "This link would close a loop: the parent already contributes to this objective.");
        }

        if (existing.Any(l => l.ChildObjectiveId == id && l.ParentObjectiveId == request.ParentObjectiveId && l.ParentKeyResultId == request.ParentKeyResultId))
        {
            return Problems.Conflict("The objective is already aligned to this parent.");
        }

        var link = new ObjectiveLink
        {
            ChildObjectiveId = id,
            ParentObjectiveId = request.ParentObjectiveId,
            ParentKeyResultId = request.ParentKeyResultId,
            Weight = request.Weight ?? 1,
            RollsUp = request.RollsUp ?? true,
        };
        db.ObjectiveLinks.Add(link);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/objectives/{id}", AlignmentLinkDto.From(link));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RemoveParent(Guid id, Guid linkId, OkapiDbContext db, Caller caller, CancellationToken ct)
    {
        var child = await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        var link = await db.ObjectiveLinks.FirstOrDefaultAsync(l => l.Id == linkId && l.ChildObjectiveId == id, ct);
        if (child is null || link is null || !caller.CanSee(child))
        {
            return TypedResults.NotFound();
        }

        if (!caller.CanEdit(child))
        {
            return Problems.Forbidden("Only those who may edit the objective change its alignment.");
        }

        db.ObjectiveLinks.Remove(link);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    internal static async Task<IReadOnlyList<ObjectiveDto>> ToDtosAsync(OkapiDbContext db, OkrScoring scoring, IReadOnlyList<Objective> objectives, CancellationToken ct)
    {
        var scored = await scoring.ScoreAsync(objectives, ct);
        var ids = objectives.Select(o => o.Id).ToList();
        var parents = (await db.ObjectiveLinks.AsNoTracking().Where(l => ids.Contains(l.ChildObjectiveId)).ToListAsync(ct))
            .ToLookup(l => l.ChildObjectiveId);
        return objectives.Select(o =>
        {
            var score = scored.Objectives[o.Id];
            var window = scored.Windows[o.CycleId];
            OkrStatus? status = scored.Now < window.Start ? null : Grades.Status(score.Forecast);
            var grade = o.FinalGrade ?? Grades.Grade(score.Progress);
            var krs = scored.KeyResultsByObjective[o.Id].OrderBy(k => k.CreatedAt).ThenBy(k => k.Id)
                .Select(k => KeyResultDto.From(k, scored.KeyResults[k.Id])).ToList();
            return new ObjectiveDto(o.Id, o.CycleId, o.Title, o.Description, o.OwnerTeamId, o.OwnerPersonId, o.State,
                o.Visibility, o.Tags, o.ContinuedFromId, o.Version, score.Progress, score.Forecast, status, grade,
                Grades.Colour(grade), parents[o.Id].Select(AlignmentLinkDto.From).ToList(), krs, o.CreatedAt, o.UpdatedAt);
        }).ToList();
    }

    private static async Task<Dictionary<Guid, Guid>> ParentObjectivesOfKeyResultsAsync(OkapiDbContext db, List<ObjectiveLink> links, CancellationToken ct)
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
        o.Tags = r.Tags?.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().ToList() ?? [];
    }

    private static async Task<Core.ValidationErrors> ValidateAsync(OkapiDbContext db, Objective o, CancellationToken ct)
    {
        var errors = o.Validate();
        if (!await db.Cycles.AnyAsync(c => c.Id == o.CycleId, ct)) errors.Add("cycleId", "The cycle does not exist.");
        if (o.OwnerTeamId is { } team && !await db.Teams.AnyAsync(t => t.Id == team, ct)) errors.Add("ownerTeamId", "The team does not exist.");
        if (o.OwnerPersonId is { } person && !await db.People.AnyAsync(p => p.Id == person, ct)) errors.Add("ownerPersonId", "The person does not exist.");
        return errors;
    }
}

public sealed record ObjectiveFilter(Guid? Cycle, Guid? Team, Guid? Owner, EnumQuery<ObjectiveState>? State, string? Tag);
