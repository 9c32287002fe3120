using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Access;

public sealed record TokenRequest([property: Required, StringLength(100)] string Name, List<TokenScope> Scopes, DateTimeOffset? ExpiresAt);

public sealed record TokenDto(Guid Id, Guid PersonId, string Name, string Prefix, IReadOnlyList<TokenScope> Scopes, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public static TokenDto From(ApiToken t) => new(t.Id, t.PersonId, t.Name, t.Prefix, t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt);
}

/// <summary>A newly created token: the only time its secret is shown.</summary>
public sealed record CreatedTokenDto(TokenDto Token, string Secret);

public static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("API tokens");
        group.MapGet("/", List).WithSummary("The caller's API tokens (admins see everyone's).");
        group.MapPost("/", Create).WithSummary("Create an API token; its secret is returned once and stored only as a hash.");
        group.MapDelete("/{id:guid}", Revoke).WithSummary("Revoke an API token.");
        return api;
    }

    public static async Task<Ok<Page<TokenDto>>> List(OkapiDbContext db, Caller caller, [AsParameters] PageRequest page, CancellationToken ct)
    {
        var query = db.ApiTokens.AsNoTracking();
        if (!caller.IsAdmin) query = query.Where(t => t.PersonId == caller.PersonId);
        var (items, total) = await page.ApplyAsync(query.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id), ct);
        return TypedResults.Ok(new Page<TokenDto>(items.Select(TokenDto.From).ToList(), page.Number, page.Size, total));
    }

    public static async Task<Results<Created<CreatedTokenDto>, ValidationProblem, ProblemHttpResult>> Create(
        TokenRequest request, OkapiDbContext db, Caller caller, TimeProvider clock, CancellationToken ct)
    {
        if (!caller.HasScope(TokenScope.Write) && !caller.HasScope(TokenScope.Admin))
        {
            return Problems.Forbidden("A read-only token cannot create tokens.");
        }

        var errors = new ValidationErrors()
            .Text(request.Name, "name", 100)
            .Require(request.Scopes is { Count: > 0 }, "scopes", "Give at least one scope: read, write, kpi:ingest or admin.")
            .Require(request.ExpiresAt is null || request.ExpiresAt > clock.GetUtcNow(), "expiresAt", "must be in the future.");
        var scopes = request.Scopes ?? [];
        if (scopes.Any(s => !Allowed(caller, s)))
        {
            errors.Add("scopes", $"A {caller.Role.ToString().ToLowerInvariant()} cannot grant {string.Join(", ", scopes.Where(s => !Allowed(caller, s)))}.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var (token, secret) = Issue(caller.PersonId, request.Name.Trim(), scopes.Distinct().ToList(), request.ExpiresAt?.UtcDateTime, clock);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new CreatedTokenDto(TokenDto.From(token), secret));
    }

    public static async Task<Results<NoContent, NotFound>> Revoke(Guid id, OkapiDbContext db, Caller caller, TimeProvider clock, CancellationToken ct)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && (caller.IsAdmin || t.PersonId == caller.PersonId), ct);
        if (token is null)
        {
            return TypedResults.NotFound();
        }

        token.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>A new token for a person; the caller saves it and hands the secret over once.</summary>
    public static (ApiToken Token, string Secret) Issue(Guid personId, string name, List<TokenScope> scopes, DateTime? expiresAt, TimeProvider clock)
    {
        var secret = BearerTokenHandler.NewSecret();
        var token = new ApiToken
        {
            PersonId = personId,
            Name = name,
            Hash = BearerTokenHandler.Hash(secret),
            Prefix = secret[..12],
            Scopes = scopes,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            ExpiresAt = expiresAt,
        };
        return (token, secret);
    }

    /// <summary>A token never grants more than its owner's role and the calling credentials allow.</summary>
    private static bool Allowed(Caller caller, TokenScope scope) => caller.HasScope(scope) && scope switch
    {
        TokenScope.Admin => caller.Role == Role.Admin,
        TokenScope.Write or TokenScope.KpiIngest => caller.Role >= Role.Member,
        _ => true,
    };
}
