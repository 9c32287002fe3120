using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Access;

/// <summary>Authenticates <c>Authorization: Bearer okapi_…</c> API tokens by the SHA-256 hash of the secret.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    OkapiDbContext db, TimeProvider clock, CallerCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string TokenPrefix = "okapi_";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        var hash = Hash(secret);
        var token = await cache.TokenAsync(hash, () => db.ApiTokens.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.Hash == hash)
            .Select(t => new CachedToken(t.Id, t.PersonId, t.OrganisationId, t.Scopes, t.ExpiresAt, t.RevokedAt, t.LastUsedAt))
            .FirstOrDefaultAsync(Context.RequestAborted));
        var now = clock.GetUtcNow().UtcDateTime;
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail("The API token is unknown, revoked or expired.");
        }

        // Recording every use would turn each read into a write; a minute's precision is enough.
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.ApiTokens.IgnoreQueryFilters().Where(t => t.Id == token.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
            cache.Used(hash, token, now);
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, token.PersonId.ToString()),
            new(Caller.OrganisationClaim, token.OrganisationId.ToString()),
        };
        claims.AddRange(token.Scopes.Select(s => new Claim(Caller.ScopeClaim, s.ToString())));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string NewSecret() =>
        TokenPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
