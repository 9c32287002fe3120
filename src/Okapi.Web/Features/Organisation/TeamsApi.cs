using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

public static class TeamsApi
{
    public static RouteGroupBuilder MapTeamsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/teams").WithTags("Teams");
        group.MapGet("/", List).WithSummary("List teams.").WithDescription("By name; filter by parent team and by member. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapGet("/{id:guid}", Get).WithSummary("Get a team by id, with its ETag.").WithDescription("Anyone who may read; 404 when the team does not exist.");
        group.MapPost("/", Create).RequireAuthorization(ApiPolicies.Admins).WithSummary("Create a team (admins).").WithDescription("Admins only (403 otherwise).");
        group.MapPut("/{id:guid}", Update).RequireAuthorization(ApiPolicies.Admins).WithSummary("Rename, move or re-staff a team (admins).").WithDescription("Admins only (403 otherwise). 412 when If-Match is stale.");
        group.MapDelete("/{id:guid}", Delete).RequireAuthorization(ApiPolicies.Admins).WithSummary("Delete a team without sub-teams or objectives (admins).").WithDescription("Admins only; 409 while the team still has sub-teams or objectives. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Ok<Page<TeamDto>>> List(TeamService teams, Guid? parent, Guid? member, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await teams.ListAsync(new TeamFilter(parent, member), page, ct));

    public static async Task<Results<Ok<TeamDto>, NotFound>> Get(Guid id, TeamService teams, HttpContext http, CancellationToken ct) =>
        (await teams.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<TeamDto>, ValidationProblem, ProblemHttpResult>> Create(TeamRequest request, TeamService teams, HttpContext http, CancellationToken ct) =>
        (await teams.CreateAsync(request, ct)).ToCreated(http, t => $"/api/v1/teams/{t.Id}");

    public static async Task<Results<Ok<TeamDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(Guid id, TeamRequest request, TeamService teams, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await teams.UpdateAsync(id, request, ifMatch, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, TeamService teams, IfMatch ifMatch, CancellationToken ct) =>
        (await teams.DeleteAsync(id, ifMatch, ct)).ToNoContent();
}
