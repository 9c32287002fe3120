using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public static class KeyResultsApi
{
    public static RouteGroupBuilder MapKeyResultsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/key-results").WithTags("Key results");
        group.MapGet("/", List).WithSummary("List key results, with computed progress, forecast, status and staleness.");
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create);
        group.MapPut("/{id:guid}", Update);
        group.MapDelete("/{id:guid}", Delete);
        group.MapGet("/{id:guid}/check-ins", ListCheckIns).WithTags("Check-ins");
        group.MapPost("/{id:guid}/check-ins", CheckIn).WithTags("Check-ins").WithSummary("Check in a new value, with confidence and a note.");
        group.MapDelete("/{id:guid}/check-ins/{checkInId:guid}", DeleteCheckIn).WithTags("Check-ins");
        return api;
    }

    public static async Task<Ok<Page<KeyResultDto>>> List(
        OkapiDbContext db, Caller caller, OkrScoring scoring, [AsParameters] KeyResultFilter filter, [AsParameters] PageRequest page, CancellationToken ct)
    {
        var objectives = caller.Visible(db.Objectives);
        if (filter.Cycle is { } cycle) objectives = objectives.Where(o => o.CycleId == cycle);
        if (filter.Team is { } team) objectives = objectives.Where(o => o.OwnerTeamId == team);
        if (filter.State?.Value is { } state) objectives = objectives.Where(o => o.State == state);
        if (!string.IsNullOrWhiteSpace(filter.Tag)) objectives = objectives.Where(o => o.Tags.Contains(filter.Tag));
        var query = db.KeyResults.AsNoTracking().Where(k => objectives.Any(o => o.Id == k.ObjectiveId));
        if (filter.Objective is { } objective) query = query.Where(k => k.ObjectiveId == objective);
        if (filter.Owner is { } owner) query = query.Where(k => k.OwnerPersonId == owner);
        var (items, total) = await page.ApplyAsync(query.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id), ct);
        var scores = await scoring.ScoreKeyResultsAsync(items, ct);
        return TypedResults.Ok(new Page<KeyResultDto>(items.Select(k => KeyResultDto.From(k, scores[k.Id])).ToList(), page.Number, page.Size, total));
    }

    public static async Task<Results<Ok<KeyResultDto>, NotFound>> Get(Guid id, OkapiDbContext db, Caller caller, OkrScoring scoring, HttpContext http, CancellationToken ct)
    {
        var (kr, _) = await FindAsync(db, caller, id, ct);
        if (kr is null)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(http, kr);
        return TypedResults.Ok(await ToDtoAsync(scoring, kr, ct));
    }

    public static async Task<Results<Created<KeyResultDto>, ValidationProblem, ProblemHttpResult>> Create(
        KeyResultRequest request, OkapiDbContext db, Caller caller, OkrScoring scoring, HttpContext http, CancellationToken ct)
    {
        var objective = await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.ObjectiveId, ct);
        if (objective is null || !caller.CanSee(objective))
        {
            return Problems.Invalid("objectiveId", "The objective does not exist.");
        }

        if (!caller.CanEdit(objective))
        {
            return Problems.Forbidden("Only those who may edit the objective add key results to it.");
        }

        var kr = new KeyResult { Title = request.Title };
        Apply(kr, request);
        var errors = await ValidateAsync(db, kr, ct);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        db.KeyResults.Add(kr);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, kr);
        return TypedResults.Created($"/api/v1/key-results/{kr.Id}", await ToDtoAsync(scoring, kr, ct));
    }

    public static async Task<Results<Ok<KeyResultDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, KeyResultRequest request, OkapiDbContext db, Caller caller, OkrScoring scoring, HttpContext http, CancellationToken ct)
    {
        var (kr, objective) = await FindAsync(db, caller, id, ct, track: true);
        if (kr is null || objective is null)
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.CanEdit(objective, kr), "Only the key result's owner, those who may edit its objective and admins edit it.", http, db, kr) is { } refused)
        {
            return refused;
        }

        if (request.ObjectiveId != kr.ObjectiveId)
        {
            return Problems.Invalid("objectiveId", "A key result cannot move to another objective.");
        }

        Apply(kr, request);
        var errors = await ValidateAsync(db, kr, ct);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        await db.SaveChangesAsync(ct);
        ETags.Set(http, kr);
        return TypedResults.Ok(await ToDtoAsync(scoring, kr, ct));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var (kr, objective) = await FindAsync(db, caller, id, ct, track: true);
        if (kr is null || objective is null)
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.CanEdit(objective), "Only those who may edit the objective delete its key results.", http, db, kr) is { } refused)
        {
            return refused;
        }

        db.ObjectiveLinks.RemoveRange(await db.ObjectiveLinks.Where(l => l.ParentKeyResultId == id).ToListAsync(ct));
        db.KeyResults.Remove(kr);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<Page<CheckInDto>>, NotFound>> ListCheckIns(Guid id, OkapiDbContext db, Caller caller, [AsParameters] PageRequest page, CancellationToken ct)
    {
        var (kr, _) = await FindAsync(db, caller, id, ct);
        if (kr is null)
        {
            return TypedResults.NotFound();
        }

        var (items, total) = await page.ApplyAsync(db.CheckIns.AsNoTracking().Where(c => c.KeyResultId == id).OrderByDescending(c => c.At), ct);
        return TypedResults.Ok(new Page<CheckInDto>(items.Select(CheckInDto.From).ToList(), page.Number, page.Size, total));
    }

    public static async Task<Results<Created<KeyResultDto>, NotFound, ValidationProblem, ProblemHttpResult>> CheckIn(
        Guid id, CheckInRequest request, OkapiDbContext db, Caller caller, OkrScoring scoring, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var (kr, objective) = await FindAsync(db, caller, id, ct, track: true);
        if (kr is null || objective is null)
        {
            return TypedResults.NotFound();
        }

        if (!caller.CanEdit(objective, kr))
        {
            return Problems.Forbidden("Only the key result's owner, those who may edit its objective and admins check in on it.");
        }

        var now = clock.GetUtcNow();
        var at = request.At ?? now;
        var errors = new Core.ValidationErrors()
            .Finite(request.Value, "value")
            .Text(request.Note, "note", 10_000, required: false)
            .Require(at <= now.AddMinutes(5), "at", "A check-in cannot be in the future.")
            .Require(at.Year >= 2000, "at", "A check-in must be after the year 2000.");
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var checkIn = new CheckIn
        {
            KeyResultId = kr.Id,
            Value = request.Value,
            Confidence = request.Confidence,
            Note = request.Note,
            AuthorId = caller.PersonId,
            At = at.UtcDateTime,
            Source = caller.Scopes is null ? CheckInSource.Person : CheckInSource.Api,
        };
        db.CheckIns.Add(checkIn);
        var latest = await db.CheckIns.Where(c => c.KeyResultId == kr.Id).MaxAsync(c => (DateTime?)c.At, ct);
        if (latest is null || checkIn.At >= latest)
        {
            kr.Current = request.Value;
        }

        await db.SaveChangesAsync(ct);
        ETags.Set(http, kr);
        return TypedResults.Created($"/api/v1/key-results/{kr.Id}/check-ins/{checkIn.Id}", await ToDtoAsync(scoring, kr, ct));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteCheckIn(Guid id, Guid checkInId, OkapiDbContext db, Caller caller, CancellationToken ct)
    {
        var (kr, objective) = await FindAsync(db, caller, id, ct, track: true);
        var checkIn = await db.CheckIns.FirstOrDefaultAsync(c => c.Id == checkInId && c.KeyResultId == id, ct);
        if (kr is null || objective is null || checkIn is null)
        {
            return TypedResults.NotFound();
        }

        if (!caller.CanEdit(objective, kr))
        {
            return Problems.Forbidden("Only the key result's owner, those who may edit its objective and admins remove its check-ins.");
        }

        db.CheckIns.Remove(checkIn);
        kr.Current = await db.CheckIns.Where(c => c.KeyResultId == id && c.Id != checkInId)
            .OrderByDescending(c => c.At).Select(c => (double?)c.Value).FirstOrDefaultAsync(ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>A key result and its objective, if the caller may see that objective.</summary>
    internal static async Task<(KeyResult? KeyResult, Objective? Objective)> FindAsync(OkapiDbContext db, Caller caller, Guid id, CancellationToken ct, bool track = false)
    {
        var krs = track ? db.KeyResults : db.KeyResults.AsNoTracking();
        var kr = await krs.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (kr is null)
        {
            return (null, null);
        }

        var objective = await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == kr.ObjectiveId, ct);
        return objective is not null && caller.CanSee(objective) ? (kr, objective) : (null, null);
    }

    private static async Task<KeyResultDto> ToDtoAsync(OkrScoring scoring, KeyResult kr, CancellationToken ct) =>
        KeyResultDto.From(kr, (await scoring.ScoreKeyResultsAsync([kr], ct))[kr.Id]);

    private static void Apply(KeyResult k, KeyResultRequest r)
    {
        k.ObjectiveId = r.ObjectiveId;
        k.Title = r.Title?.Trim() ?? "";
        k.OwnerPersonId = r.OwnerPersonId;
        k.Type = r.Type;
        k.Unit = string.IsNullOrWhiteSpace(r.Unit) ? null : r.Unit.Trim();
        k.Start = r.Start;
        k.Target = r.Target;
        k.Commit = r.Commit;
        k.Stretch = r.Stretch;
        k.Weight = r.Weight ?? 1;
        k.UpdateRhythmDays = r.UpdateRhythmDays ?? 7;
        k.Checklist = r.Checklist ?? [];
    }

    private static async Task<Core.ValidationErrors> ValidateAsync(OkapiDbContext db, KeyResult k, CancellationToken ct)
    {
        var errors = k.Validate();
        if (k.OwnerPersonId is { } person && !await db.People.AnyAsync(p => p.Id == person, ct))
        {
            errors.Add("ownerPersonId", "The person does not exist.");
        }

        return errors;
    }
}

public sealed record KeyResultFilter(Guid? Cycle, Guid? Team, Guid? Owner, Guid? Objective, EnumQuery<ObjectiveState>? State, string? Tag);
