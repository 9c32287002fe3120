using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Core.Organisations;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

public static class CyclesApi
{
    public static RouteGroupBuilder MapCyclesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cycles").WithTags("Cycles");
        group.MapGet("/", List).WithSummary("List cycles.").WithDescription("Newest first, optionally only cycles in one state. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapGet("/{id:guid}", Get).WithSummary("Get a cycle by id, with its ETag.").WithDescription("Anyone who may read; 404 when the cycle does not exist.");
        group.MapPost("/", Create).RequireAuthorization(ApiPolicies.Admins).WithSummary("Create a cycle (admins).").WithDescription("Admins only (403 otherwise).");
        group.MapPut("/{id:guid}", Update).RequireAuthorization(ApiPolicies.Admins).WithSummary("Change or activate a cycle (admins).").WithDescription("Admins only (403 otherwise). 412 when If-Match is stale.");
        group.MapDelete("/{id:guid}", Delete).RequireAuthorization(ApiPolicies.Admins).WithSummary("Delete a cycle without objectives (admins).").WithDescription("Admins only; 409 when the cycle still holds objectives or nested cycles. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Ok<Page<CycleDto>>> List(CycleService cycles, EnumQuery<CycleState>? state, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await cycles.ListAsync(state?.Value, page, ct));

    public static async Task<Results<Ok<CycleDto>, NotFound>> Get(Guid id, CycleService cycles, HttpContext http, CancellationToken ct) =>
        (await cycles.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<CycleDto>, ValidationProblem, ProblemHttpResult>> Create(CycleRequest request, CycleService cycles, HttpContext http, CancellationToken ct) =>
        (await cycles.CreateAsync(request, ct)).ToCreated(http, c => $"/api/v1/cycles/{c.Id}");

    public static async Task<Results<Ok<CycleDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(Guid id, CycleRequest request, CycleService cycles, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await cycles.UpdateAsync(id, request, ifMatch, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, CycleService cycles, IfMatch ifMatch, CancellationToken ct) =>
        (await cycles.DeleteAsync(id, ifMatch, ct)).ToNoContent();
}
