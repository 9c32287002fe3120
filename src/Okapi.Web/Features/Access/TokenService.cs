using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Access;

/// <summary>An API token to create for the caller; its secret is shown once, in the answer. Created when signed in, or with an admin token.</summary>
/// <param name="Name">A name to recognise the token by, e.g. the integration that uses it; required, at most 100 characters.</param>
/// <param name="Scopes">
/// What the token may do, at least one of `read`, `write`, `kpi:ingest` (push KPI values) and `admin`. None beyond
/// the caller's role: `write` and `kpi:ingest` need a member, `admin` an admin.
/// </param>
/// <param name="ExpiresAt">When the token stops working, an ISO 8601 instant in the future; left out, it works until revoked.</param>
public sealed record TokenRequest([property: Required, StringLength(100)] string Name, List<TokenScope> Scopes, DateTimeOffset? ExpiresAt);

/// <summary>An API token; its secret is never shown again after creation.</summary>
/// <param name="Id">The token's id.</param>
/// <param name="PersonId">The person it acts as.</param>
/// <param name="Name">The name it was given.</param>
/// <param name="Prefix">The first characters of its secret, to tell tokens apart.</param>
/// <param name="Scopes">What it may do: `read`, `write`, `kpi:ingest`, `admin`.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="ExpiresAt">When it stops working (UTC); null when it works until revoked.</param>
/// <param name="LastUsedAt">When it was last used (UTC), if ever.</param>
/// <param name="RevokedAt">When it was revoked (UTC); null while it is not.</param>
public sealed record TokenDto(Guid Id, Guid PersonId, string Name, string Prefix, IReadOnlyList<TokenScope> Scopes, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public static TokenDto From(ApiToken t) => new(t.Id, t.PersonId, t.Name, t.Prefix, t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt);
}

/// <summary>A newly created token: the only time its secret is shown.</summary>
/// <param name="Token">The token as lists show it.</param>
/// <param name="Secret">The secret to send as `Authorization: Bearer ...`; shown only in this answer.</param>
public sealed record CreatedTokenDto(TokenDto Token, string Secret);

/// <summary>API tokens, for the API and the pages alike.</summary>
public sealed class TokenService(OkapiDbContext db, Caller caller, TimeProvider clock)
{
    public async Task<Page<TokenDto>> ListAsync(PageRequest page, CancellationToken ct)
    {
        var query = db.ApiTokens.AsNoTracking();
        if (!caller.IsAdmin) query = query.Where(t => t.PersonId == caller.PersonId);
        var (items, total) = await page.ApplyAsync(query.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Id), ct);
        return new Page<TokenDto>(items.Select(TokenDto.From).ToList(), page.Number, page.Size, total);
    }

    public async Task<Outcome<CreatedTokenDto>> CreateAsync(TokenRequest request, CancellationToken ct)
    {
        if (!caller.Actor.MayCreateTokens)
        {
            return Failure.Forbidden("Create tokens when signed in, or with an admin token.");
        }

        var errors = new ValidationErrors()
            .Text(request.Name, "name", 100)
            .Require(request.Scopes is { Count: > 0 }, "scopes", "Give at least one scope: read, write, kpi:ingest or admin.")
            .Require(request.ExpiresAt is null || request.ExpiresAt > clock.GetUtcNow(), "expiresAt", "must be in the future.");
        var scopes = request.Scopes ?? [];
        if (scopes.Any(s => !Allowed(s)))
        {
            errors.Add("scopes", $"A {caller.Role.ToString().ToLowerInvariant()} cannot grant {string.Join(", ", scopes.Where(s => !Allowed(s)))}.");
        }

        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        var (token, secret) = Issue(caller.PersonId, request.Name.Trim(), scopes.Distinct().ToList(), request.ExpiresAt?.UtcDateTime, clock);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return new CreatedTokenDto(TokenDto.From(token), secret);
    }

    public async Task<Outcome<Done>> RevokeAsync(Guid id, CancellationToken ct)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && (caller.IsAdmin || t.PersonId == caller.PersonId), ct);
        if (token is null)
        {
            return Failure.NotFound;
        }

        token.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return new Done();
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

    private bool Allowed(TokenScope scope) => caller.Actor.MayGrant(scope);
}
