using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

public static class CyclesApi
{
    public static RouteGroupBuilder MapCyclesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cycles").WithTags("Cycles");
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create).WithSummary("Create a cycle (admins).");
        group.MapPut("/{id:guid}", Update).WithSummary("Change or activate a cycle (admins).");
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete a cycle without objectives (admins).");
        return api;
    }

    public static async Task<Ok<Page<CycleDto>>> List(OkapiDbContext db, EnumQuery<CycleState>? state, [AsParameters] PageRequest page, CancellationToken ct)
    {
        var query = db.Cycles.AsNoTracking();
        if (state?.Value is { } s) query = query.Where(c => c.State == s);
        var (items, total) = await page.ApplyAsync(query.OrderByDescending(c => c.Start).ThenBy(c => c.Id), ct);
        return TypedResults.Ok(new Page<CycleDto>(items.Select(CycleDto.From).ToList(), page.Number, page.Size, total));
    }

    public static async Task<Results<Ok<CycleDto>, NotFound>> Get(Guid id, OkapiDbContext db, HttpContext http, CancellationToken ct)
    {
        var cycle = await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (cycle is null)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(http, cycle);
        return TypedResults.Ok(CycleDto.From(cycle));
    }

    public static async Task<Results<Created<CycleDto>, ValidationProblem, ProblemHttpResult>> Create(CycleRequest request, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Problems.Forbidden("Only admins manage cycles.");
        }

        var cycle = new Cycle { Name = request.Name };
        var errors = await ApplyAsync(db, cycle, request, ct);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        db.Cycles.Add(cycle);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, cycle);
        return TypedResults.Created($"/api/v1/cycles/{cycle.Id}", CycleDto.From(cycle));
    }

    public static async Task<Results<Ok<CycleDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(Guid id, CycleRequest request, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var cycle = await db.Cycles.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (cycle is null)
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.IsAdmin, "Only admins manage cycles.", http, db, cycle) is { } refused)
        {
            return refused;
        }

        var errors = await ApplyAsync(db, cycle, request, ct);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        await db.SaveChangesAsync(ct);
        ETags.Set(http, cycle);
        return TypedResults.Ok(CycleDto.From(cycle));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var cycle = await db.Cycles.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (cycle is null)
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.IsAdmin, "Only admins manage cycles.", http, db, cycle) is { } refused)
        {
            return refused;
        }

        if (await db.Objectives.AnyAsync(o => o.CycleId == id, ct) || await db.Cycles.AnyAsync(c => c.ParentCycleId == id, ct))
        {
            return Problems.Conflict("The cycle still holds objectives or nested cycles.");
        }

        db.Cycles.Remove(cycle);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<ValidationErrors> ApplyAsync(OkapiDbContext db, Cycle cycle, CycleRequest request, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Text(request.Name, "name", 100)
            .Require(request.End >= request.Start, "end", "must not be before start.")
            .Require(request.Start.Year is >= 2000 and <= 2200, "start", "must be between the years 2000 and 2200.")
            .Require(request.End.DayNumber - request.Start.DayNumber <= 3 * 366, "end", "a cycle spans at most three years.")
            .Require(Enum.IsDefined(request.Kind), "kind", "must be quarter, year or custom.");
        if (request.ParentCycleId is { } parentId)
        {
            var parent = await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == parentId, ct);
            errors.Require(parent is not null && parentId != cycle.Id, "parentCycleId", "The parent cycle does not exist.");
            errors.Require(parent is null || (parent.Start <= request.Start && parent.End >= request.End), "parentCycleId", "A nested cycle lies within its parent.");
        }

        if (errors.IsValid)
        {
            cycle.Name = request.Name.Trim();
            cycle.Start = request.Start;
            cycle.End = request.End;
            cycle.Kind = request.Kind;
            cycle.State = request.State ?? cycle.State;
            cycle.ParentCycleId = request.ParentCycleId;
        }

        return errors;
    }
}
