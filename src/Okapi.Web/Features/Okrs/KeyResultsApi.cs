using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public static class KeyResultsApi
{
    public static RouteGroupBuilder MapKeyResultsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/key-results").WithTags("Key results");
        group.MapGet("/", List).WithSummary("List key results, with computed progress, forecast, status and staleness.").WithDescription("Filter by cycle, team, owner, objective, state and tag; only key results of objectives the caller may see. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapGet("/{id:guid}", Get).WithSummary("Get a key result by id, with its ETag.").WithDescription("404 when its objective is not visible to the caller.");
        group.MapPost("/", Create).WithSummary("Create a key result under an objective.").WithDescription("Only those who may edit the objective (403); 409 when the objective is closed or archived.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{id:guid}", Update).WithSummary("Replace a key result; send its ETag in If-Match.").WithDescription("The key result's owner and those who may edit its objective (403 otherwise); 409 when the objective is closed or archived; it cannot move to another objective. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete a key result; send its ETag in If-Match.").WithDescription("Only those who may edit the objective (403); 409 when the objective is closed or archived. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/move", Move).WithSummary("Move a key result to a position (0 first) among its objective's key results.").WithDescription("Only those who may edit the objective (403); 409 when the objective is closed or archived. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}/check-ins", ListCheckIns).WithSummary("List the key result's check-ins.").WithDescription("Newest first; 404 when the objective is not visible to the caller. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.").WithTags("Check-ins");
        group.MapPost("/{id:guid}/check-ins", CheckIn).WithTags("Check-ins").WithSummary("Check in a new value, with confidence and a note.").WithDescription("The key result's owner, those who may edit its objective and admins (403 otherwise); 409 when the objective is closed or archived.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}/check-ins/{checkInId:guid}", DeleteCheckIn).WithSummary("Delete a check-in of the key result.").WithDescription("The key result's owner, those who may edit its objective and admins (403 otherwise); 409 when the objective is closed or archived.").WithTags("Check-ins").ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Ok<Page<KeyResultDto>>> List(KeyResultService keyResults, [AsParameters] KeyResultFilter filter, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await keyResults.ListAsync(filter, page, ct));

    public static async Task<Results<Ok<KeyResultDto>, NotFound>> Get(Guid id, KeyResultService keyResults, HttpContext http, CancellationToken ct) =>
        (await keyResults.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<KeyResultDto>, ValidationProblem, ProblemHttpResult>> Create(KeyResultRequest request, KeyResultService keyResults, HttpContext http, CancellationToken ct) =>
        (await keyResults.CreateAsync(request, ct)).ToCreated(http, k => $"/api/v1/key-results/{k.Id}");

    public static async Task<Results<Ok<KeyResultDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(Guid id, KeyResultRequest request, KeyResultService keyResults, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await keyResults.UpdateAsync(id, request, ifMatch, ct)).ToOk(http);

    public static async Task<Results<Ok<KeyResultDto>, NotFound, ValidationProblem, ProblemHttpResult>> Move(Guid id, KeyResultMove request, KeyResultService keyResults, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await keyResults.MoveAsync(id, request, ifMatch, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, KeyResultService keyResults, IfMatch ifMatch, CancellationToken ct) =>
        (await keyResults.DeleteAsync(id, ifMatch, ct)).ToNoContent();

    public static async Task<Results<Ok<Page<CheckInDto>>, NotFound>> ListCheckIns(Guid id, KeyResultService keyResults, [AsParameters] PageRequest page, HttpContext http, CancellationToken ct) =>
        (await keyResults.ListCheckInsAsync(id, page, ct)).ToOk(http);

    public static async Task<Results<Created<KeyResultDto>, NotFound, ValidationProblem, ProblemHttpResult>> CheckIn(Guid id, CheckInRequest request, KeyResultService keyResults, HttpContext http, CancellationToken ct) =>
        (await keyResults.CheckInAsync(id, request, ct)).ToCreated(http, c => $"/api/v1/key-results/{id}/check-ins/{c.CheckIn.Id}", c => c.KeyResult);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteCheckIn(Guid id, Guid checkInId, KeyResultService keyResults, CancellationToken ct) =>
        (await keyResults.DeleteCheckInAsync(id, checkInId, ct)).ToNoContent();
}
