using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public static class KeyResultsApi
{
    public static RouteGroupBuilder MapKeyResultsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/key-results").WithTags("Key results");
        group.MapGet("/", List).WithSummary("List key results, with computed progress, forecast, status and staleness.");
        group.MapGet("/{id:guid}", Get).WithSummary("Get a key result by id, with its ETag.");
        group.MapPost("/", Create).WithSummary("Create a key result under an objective.");
        group.MapPut("/{id:guid}", Update).WithSummary("Replace a key result; send its ETag in If-Match.");
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete a key result; send its ETag in If-Match.");
        group.MapPost("/{id:guid}/move", Move).WithSummary("Move a key result to a position (0 first) among its objective's key results.");
        group.MapGet("/{id:guid}/check-ins", ListCheckIns).WithSummary("List the key result's check-ins.").WithTags("Check-ins");
        group.MapPost("/{id:guid}/check-ins", CheckIn).WithTags("Check-ins").WithSummary("Check in a new value, with confidence and a note.");
        group.MapDelete("/{id:guid}/check-ins/{checkInId:guid}", DeleteCheckIn).WithSummary("Delete a check-in of the key result.").WithTags("Check-ins");
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
