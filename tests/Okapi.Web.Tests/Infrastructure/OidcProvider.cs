using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Okapi.Web.Tests.Infrastructure;

/// <summary>Who the test provider signs in: their subject there, email, name and groups.</summary>
public sealed record OidcUser(string Subject, string Email, string Name, IReadOnlyList<string> Groups, bool EmailVerified = true);

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server, its store a SQLite file) on a free loopback port. It has no
/// login form: the authorization endpoint signs in <see cref="User"/> at once, or answers access_denied without one.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "okapi";
    public const string ClientSecret = "okapi-test-client-secret";
    public const string DisplayName = "Test provider";

    private readonly string _folder = Directory.CreateTempSubdirectory("okapi-oidc-").FullName;
    private WebApplication _app = null!;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Who signs in next; null makes the provider refuse the sign-in.</summary>
    public OidcUser? User { get; set; }

    public static async Task<OidcProvider> StartAsync()
    {
        var provider = new OidcProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddDbContext<ProviderDb>(o =>
        {
            o.UseSqlite($"Data Source={Path.Combine(provider._folder, "provider.db")}");
            o.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ProviderDb>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.DisableAccessTokenEncryption();
                o.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile, "groups");
                o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        provider._app = builder.Build();
        provider._app.UseAuthentication();
        provider._app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], provider.Authorize);
        using (var scope = provider._app.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ProviderDb>().Database.EnsureCreatedAsync();
        }

        await provider._app.StartAsync();
        provider.BaseUrl = new Uri(provider._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await using (var scope = provider._app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                ClientType = ClientTypes.Confidential,
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                    Permissions.ResponseTypes.Code, Permissions.Scopes.Email, Permissions.Scopes.Profile, Permissions.Prefixes.Scope + "groups",
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            });
        }

        return provider;
    }

    /// <summary>Okapi's settings for this provider, with the groups mapped to teams and roles as given.</summary>
    public void Configure(IWebHostBuilder builder, IReadOnlyDictionary<string, string>? groupTeams = null, IReadOnlyDictionary<string, string>? groupRoles = null)
    {
        builder.UseSetting("Okapi:Oidc:Authority", BaseUrl.ToString());
        builder.UseSetting("Okapi:Oidc:ClientId", ClientId);
        builder.UseSetting("Okapi:Oidc:ClientSecret", ClientSecret);
        builder.UseSetting("Okapi:Oidc:DisplayName", DisplayName);
        builder.UseSetting("Okapi:Oidc:Scopes:0", Scopes.OpenId);
        builder.UseSetting("Okapi:Oidc:Scopes:1", Scopes.Email);
        builder.UseSetting("Okapi:Oidc:Scopes:2", Scopes.Profile);
        builder.UseSetting("Okapi:Oidc:Scopes:3", "groups");
        foreach (var (group, team) in groupTeams ?? new Dictionary<string, string>())
        {
            builder.UseSetting($"Okapi:Oidc:GroupTeams:{group}", team);
        }

        foreach (var (group, role) in groupRoles ?? new Dictionary<string, string>())
        {
            builder.UseSetting($"Okapi:Oidc:GroupRoles:{group}", role);
        }
    }

    /// <summary>Lets the provider send people back to an Okapi app, once it knows the app's address.</summary>
    public async Task AllowRedirectsToAsync(Uri okapi)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var client = await manager.FindByClientIdAsync(ClientId) ?? throw new InvalidOperationException("The client is gone.");
        var descriptor = new OpenIddictApplicationDescriptor();
        await manager.PopulateAsync(descriptor, client);
        descriptor.RedirectUris.Add(new Uri(okapi, "/signin-oidc"));
        await manager.UpdateAsync(client, descriptor);
    }

    private IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (User is not { } user)
        {
            return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The test user said no.",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Email, user.Email).SetClaim(Claims.Name, user.Name)
            .SetClaim(Claims.EmailVerified, user.EmailVerified).SetClaims("groups", [.. user.Groups]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class ProviderDb(DbContextOptions<ProviderDb> options) : DbContext(options);
}
