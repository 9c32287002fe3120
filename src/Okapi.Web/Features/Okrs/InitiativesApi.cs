using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public static class InitiativesApi
{
    public static RouteGroupBuilder MapInitiativesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/initiatives").WithTags("Initiatives");
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create);
        group.MapPut("/{id:guid}", Update);
        group.MapDelete("/{id:guid}", Delete);
        return api;
    }

    public static async Task<Ok<Page<InitiativeDto>>> List(
        OkapiDbContext db, Caller caller, Guid? objective, Guid? keyResult, Guid? owner, EnumQuery<InitiativeState>? state, [AsParameters] PageRequest page, CancellationToken ct)
    {
        var visible = caller.Visible(db.Objectives);
        var query = db.Initiatives.AsNoTracking().Where(i => visible.Any(o => o.Id == i.ObjectiveId));
        if (objective is { } o) query = query.Where(i => i.ObjectiveId == o);
        if (keyResult is { } k) query = query.Where(i => i.KeyResultId == k);
        if (owner is { } p) query = query.Where(i => i.OwnerPersonId == p);
        if (state?.Value is { } s) query = query.Where(i => i.State == s);
        var (items, total) = await page.ApplyAsync(query.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id), ct);
        return TypedResults.Ok(new Page<InitiativeDto>(items.Select(InitiativeDto.From).ToList(), page.Number, page.Size, total));
    }

    public static async Task<Results<Ok<InitiativeDto>, NotFound>> Get(Guid id, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var (initiative, _) = await FindAsync(db, caller, id, ct);
        if (initiative is null)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(http, initiative);
        return TypedResults.Ok(InitiativeDto.From(initiative));
    }

    public static async Task<Results<Created<InitiativeDto>, ValidationProblem, ProblemHttpResult>> Create(
        InitiativeRequest request, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var objective = await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.ObjectiveId, ct);
        if (objective is null || !caller.CanSee(objective))
        {
            return Problems.Invalid("objectiveId", "The objective does not exist.");
        }

        if (!caller.CanEdit(objective))
        {
            return Problems.Forbidden("Only those who may edit the objective add initiatives to it.");
        }

        var initiative = new Initiative { Title = request.Title };
        Apply(initiative, request);
        var errors = await ValidateAsync(db, initiative, ct);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        db.Initiatives.Add(initiative);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, initiative);
        return TypedResults.Created($"/api/v1/initiatives/{initiative.Id}", InitiativeDto.From(initiative));
    }

    public static async Task<Results<Ok<InitiativeDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, InitiativeRequest request, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var (initiative, objective) = await FindAsync(db, caller, id, ct, track: true);
        if (initiative is null || objective is null)
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.CanEdit(objective) || (caller.CanWrite && initiative.OwnerPersonId == caller.PersonId), "Only the initiative's owner, those who may edit its objective and admins edit it.", http, db, initiative) is { } refused)
        {
            return refused;
        }

        if (request.ObjectiveId != initiative.ObjectiveId)
        {
            return Problems.Invalid("objectiveId", "An initiative cannot move to another objective.");
        }

        Apply(initiative, request);
        var errors = await ValidateAsync(db, initiative, ct);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        await db.SaveChangesAsync(ct);
        ETags.Set(http, initiative);
        return TypedResults.Ok(InitiativeDto.From(initiative));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var (initiative, objective) = await FindAsync(db, caller, id, ct, track: true);
        if (initiative is null || objective is null)
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.CanEdit(objective), "Only those who may edit the objective delete its initiatives.", http, db, initiative) is { } refused)
        {
            return refused;
        }

        db.Initiatives.Remove(initiative);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<(Initiative?, Objective?)> FindAsync(OkapiDbContext db, Caller caller, Guid id, CancellationToken ct, bool track = false)
    {
        var initiative = await (track ? db.Initiatives : db.Initiatives.AsNoTracking()).FirstOrDefaultAsync(i => i.Id == id, ct);
        var objective = initiative is null ? null : await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == initiative.ObjectiveId, ct);
        return objective is not null && caller.CanSee(objective) ? (initiative, objective) : (null, null);
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

    private static async Task<ValidationErrors> ValidateAsync(OkapiDbContext db, Initiative i, CancellationToken ct)
    {
        var errors = new ValidationErrors().Text(i.Title, "title", 200);
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
