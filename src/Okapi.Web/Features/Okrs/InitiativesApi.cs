using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Core.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public static class InitiativesApi
{
    public static RouteGroupBuilder MapInitiativesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/initiatives").WithTags("Initiatives");
        group.MapGet("/", List).WithSummary("List initiatives.").WithDescription("Filter by objective, keyResult, owner and state; only initiatives of objectives the caller may see. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapGet("/{id:guid}", Get).WithSummary("Get an initiative by id, with its ETag.").WithDescription("404 when the initiative's objective is not visible to the caller.");
        group.MapPost("/", Create).WithSummary("Create an initiative.").WithDescription("Only those who may edit the objective (403); 409 when the objective is closed or archived.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{id:guid}", Update).WithSummary("Replace an initiative; send its ETag in If-Match.").WithDescription("The initiative's owner and those who may edit its objective (403 otherwise); 409 when the objective is closed or archived; it cannot move to another objective. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete an initiative; send its ETag in If-Match.").WithDescription("Only those who may edit the objective (403); 409 when the objective is closed or archived. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Ok<Page<InitiativeDto>>> List(
        InitiativeService initiatives, Guid? objective, Guid? keyResult, Guid? owner, EnumQuery<InitiativeState>? state, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await initiatives.ListAsync(new InitiativeFilter(objective, keyResult, owner, state?.Value), page, ct));

    public static async Task<Results<Ok<InitiativeDto>, NotFound>> Get(Guid id, InitiativeService initiatives, HttpContext http, CancellationToken ct) =>
        (await initiatives.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<InitiativeDto>, ValidationProblem, ProblemHttpResult>> Create(InitiativeRequest request, InitiativeService initiatives, HttpContext http, CancellationToken ct) =>
        (await initiatives.CreateAsync(request, ct)).ToCreated(http, i => $"/api/v1/initiatives/{i.Id}");

    public static async Task<Results<Ok<InitiativeDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(Guid id, InitiativeRequest request, InitiativeService initiatives, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await initiatives.UpdateAsync(id, request, ifMatch, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, InitiativeService initiatives, IfMatch ifMatch, CancellationToken ct) =>
        (await initiatives.DeleteAsync(id, ifMatch, ct)).ToNoContent();
}
