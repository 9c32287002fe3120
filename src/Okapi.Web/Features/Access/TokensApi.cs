using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Access;

public static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        // A token is its owner's own: viewers make read tokens for themselves and revoke them.
        var group = api.MapGroup("/tokens").WithTags("API tokens").RequireAuthorization(ApiPolicies.OwnData);
        group.MapGet("/", List).WithSummary("The caller's API tokens (admins see everyone's).").WithDescription("Viewers may call it too. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapPost("/", Create).WithSummary("Create an API token; its secret is returned once and stored only as a hash.").WithDescription("Viewers may create tokens for themselves; a token never gets a scope its owner's role or the calling credentials lack, and 403 when called with a token that is not an admin token.");
        group.MapDelete("/{id:guid}", Revoke).WithSummary("Revoke an API token.").WithDescription("The caller revokes their own tokens, admins anyone's; 404 for a token that is not yours. Revoking twice is harmless.");
        return api;
    }

    public static async Task<Ok<Page<TokenDto>>> List(TokenService tokens, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await tokens.ListAsync(page, ct));

    public static async Task<Results<Created<CreatedTokenDto>, ValidationProblem, ProblemHttpResult>> Create(TokenRequest request, TokenService tokens, HttpContext http, CancellationToken ct) =>
        (await tokens.CreateAsync(request, ct)).ToCreated(http, t => $"/api/v1/tokens/{t.Token.Id}");

    public static async Task<Results<NoContent, NotFound>> Revoke(Guid id, TokenService tokens, CancellationToken ct) =>
        (await tokens.RevokeAsync(id, ct)).ToNoContent();
}
