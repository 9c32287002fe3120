using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Access;

/// <summary>Single sign-on with an OpenID Connect provider, configured under <c>Okapi:Oidc</c>; off without an authority.</summary>
public sealed class OidcOptions
{
    public const string Section = "Okapi:Oidc";
    public const string Scheme = "oidc";

    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>The scopes asked for; "openid profile email" when none are set.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>The claim that holds the email (Entra ID without the optional email claim: preferred_username).</summary>
    public string EmailClaim { get; set; } = "email";
    public string NameClaim { get; set; } = "name";
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>The provider's name on the sign-in button: "Sign in with …".</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>A new person in a group joins the team of that name.</summary>
    public Dictionary<string, string> GroupTeams { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A new person in a group gets its role (admin, member or viewer); the highest wins, member without one.</summary>
    public Dictionary<string, Role> GroupRoles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether people sign in only through the provider: the password form is hidden and password sign-in refused.</summary>
    public bool DisablePasswords { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>Password sign-in is off only when there is another way in.</summary>
    public bool PasswordsDisabled => IsEnabled && DisablePasswords;

    public IEnumerable<string> EffectiveScopes => Scopes.Count > 0 ? Scopes.Append("openid").Distinct() : ["openid", "profile", "email"];

    public GroupMapping Mapping => new(GroupTeams, GroupRoles);
}

/// <summary>
/// The provider's sign-in ends in the same cookie session as a password sign-in: the provider's answer lands in the
/// short-lived external cookie, <see cref="OidcSignIn"/> decides who that is, and Identity issues the session cookie.
/// </summary>
public static class SingleSignOnApi
{
    public const string Start = "/sign-in/sso";
    private const string Done = "/sign-in/sso/done";

    public static IServiceCollection AddOkapiSingleSignOn(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(OidcOptions.Section);
        services.Configure<OidcOptions>(section);
        services.AddScoped<OidcSignIn>();
        var oidc = section.Get<OidcOptions>() ?? new OidcOptions();
        if (!oidc.IsEnabled)
        {
            return services;
        }

        services.AddAuthentication().AddOpenIdConnect(OidcOptions.Scheme, oidc.DisplayName, o =>
        {
            o.Authority = oidc.Authority;
            o.ClientId = oidc.ClientId;
            o.ClientSecret = oidc.ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            // The code comes back in a top-level GET, which carries the SameSite=Lax correlation cookies; a form post
            // from the provider's site would need SameSite=None, which browsers drop without HTTPS.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.CorrelationCookie.SameSite = o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = true;
            foreach (var claim in new[] { oidc.EmailClaim, oidc.NameClaim, oidc.GroupsClaim, "email_verified" })
            {
                o.ClaimActions.MapJsonKey(claim, claim);
            }

            o.Scope.Clear();
            foreach (var scope in oidc.EffectiveScopes)
            {
                o.Scope.Add(scope);
            }

            // Plain HTTP only for a provider on this machine (a development or test provider); anywhere else the
            // metadata and keys must come over HTTPS.
            o.RequireHttpsMetadata = !IsLoopback(oidc.Authority!);
            o.Events.OnRemoteFailure = context =>
            {
                context.HttpContext.RequestServices.GetRequiredService<ILogger<OidcSignIn>>()
                    .LogWarning(context.Failure, "Single sign-on failed at the provider or on the way back");
                context.Response.Redirect(SignInPageFor(SingleSignOnRefusal.ProviderFailed));
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
        return services;
    }

    public static IEndpointRouteBuilder MapSingleSignOn(this IEndpointRouteBuilder app)
    {
        // Browser redirects beside the sign-in page, not API operations: they are left out of the OpenAPI document.
        var group = app.MapGroup(Start).AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/", Challenge);
        group.MapGet("/done", CompleteAsync);
        return app;
    }

    /// <summary>The sign-in page telling why single sign-on did not sign anyone in.</summary>
    public static string SignInPageFor(SingleSignOnRefusal refusal) => $"/sign-in?sso={refusal}";

    /// <summary>Only paths on this site: not "//host", not "/\host" (browsers read both as another host), no control characters.</summary>
    public static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);

    private static IResult Challenge(string? returnUrl, IOptions<OidcOptions> options)
    {
        if (!options.Value.IsEnabled)
        {
            return TypedResults.NotFound();
        }

        var back = IsLocal(returnUrl) ? returnUrl! : "/";
        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = $"{Done}?returnUrl={Uri.EscapeDataString(back)}" }, [OidcOptions.Scheme]);
    }

    private static async Task<IResult> CompleteAsync(string? returnUrl, HttpContext http, OidcSignIn signIn)
    {
        var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        if (external is not { Succeeded: true, Principal: { } principal })
        {
            return TypedResults.Redirect(SignInPageFor(SingleSignOnRefusal.ProviderFailed));
        }

        var refusal = await signIn.SignInAsync(principal, http.RequestAborted);
        return TypedResults.Redirect(refusal is { } r ? SignInPageFor(r) : IsLocal(returnUrl) ? returnUrl! : "/");
    }

    private static bool IsLoopback(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri) && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));
}

/// <summary>Signs in the person an OpenID Connect provider vouched for, creating or linking them as <see cref="SingleSignOn"/> decides.</summary>
public sealed class OidcSignIn(OkapiDbContext db, SignInManager<Account> signIn, IOptions<OidcOptions> options, ILogger<OidcSignIn> log)
{
    /// <summary>
    /// Signs in and returns null, or returns why not. A decision that loses a race to another sign-in is made again,
    /// a few times at most: each round, one of the sign-ins racing for the same account wins.
    /// </summary>
    public Task<SingleSignOnRefusal?> SignInAsync(ClaimsPrincipal external, CancellationToken ct) => SignInAsync(external, decisionsLeft: 5, ct);

    private async Task<SingleSignOnRefusal?> SignInAsync(ClaimsPrincipal external, int decisionsLeft, CancellationToken ct)
    {
        if (Read(external) is not { } identity)
        {
            return SingleSignOnRefusal.ProviderFailed;
        }

        var users = signIn.UserManager;
        var linked = await users.FindByLoginAsync(identity.Issuer, identity.Subject);
        var domain = Core.Organisations.Organisation.DomainOf(identity.Email);
        var owner = domain is null ? null
            : await db.Organisations.Where(o => o.EmailDomains.Contains(domain)).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
        var byEmail = linked is null && identity.Email is { } email ? await users.FindByEmailAsync(email.Trim()) : null;
        var decision = SingleSignOn.Decide(identity, new KnownIdentity(linked?.Id, owner, byEmail is null ? null : (byEmail.Id, byEmail.OrganisationId)), options.Value.Mapping);

        Account account;
        try
        {
            switch (decision)
            {
                case SingleSignOnDecision.SignIn:
                    account = linked!;
                    break;
                case SingleSignOnDecision.Link:
                    account = byEmail!;
                    Check(await users.AddLoginAsync(account, Login(identity)));
                    break;
                case SingleSignOnDecision.Create create:
                    account = await CreateAsync(create, identity, ct);
                    break;
                case SingleSignOnDecision.Refuse refuse:
                    log.LogInformation("Single sign-on of {Subject} at {Issuer} refused: {Reason}", identity.Subject, identity.Issuer, refuse.Reason);
                    return refuse.Reason;
                default:
                    throw new InvalidOperationException($"Unknown decision {decision}.");
            }
        }
        catch (Exception e) when (e is DbUpdateException u ? u.IsUniqueViolation() : e is AlreadyExistsException)
        {
            // Another first sign-in of the same subject (two tabs, a double click) created or linked the person while
            // this one decided: that person is who signed in. Another subject that took the same email or linked the
            // same account meanwhile leaves the decision to be made again, as if this sign-in had come a moment later.
            db.ChangeTracker.Clear();
            if (await users.FindByLoginAsync(identity.Issuer, identity.Subject) is { } winner)
            {
                account = winner;
            }
            else if (decisionsLeft > 1)
            {
                return await SignInAsync(external, decisionsLeft - 1, ct);
            }
            else
            {
                throw;
            }
        }

        await signIn.SignInAsync(account, isPersistent: false, authenticationMethod: OidcOptions.Scheme);
        return null;
    }

    private async Task<Account> CreateAsync(SingleSignOnDecision.Create create, ExternalIdentity identity, CancellationToken ct)
    {
        db.OrganisationId = create.OrganisationId;
        var person = new Person { Name = create.Name, Email = create.Email, Role = create.Role };
        db.ActorId = person.Id;
        db.ActorName = person.Name;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.People.Add(person);
        var teams = create.TeamNames.Count == 0 ? [] : await db.Teams.Where(t => create.TeamNames.Contains(t.Name)).Select(t => t.Id).ToListAsync(ct);
        db.TeamMemberships.AddRange(teams.Select(team => new TeamMembership { TeamId = team, PersonId = person.Id }));
        await db.SaveChangesAsync(ct);

        var account = new Account { Id = person.Id, OrganisationId = create.OrganisationId, UserName = person.Email, Email = person.Email, EmailConfirmed = true };
        Check(await signIn.UserManager.CreateAsync(account));
        Check(await signIn.UserManager.AddLoginAsync(account, Login(identity)));
        await transaction.CommitAsync(ct);
        log.LogInformation("Single sign-on created {Email} in organisation {Organisation}", person.Email, create.OrganisationId);
        return account;
    }

    /// <summary>The provider's claims as Okapi reads them; null without an issuer and a subject.</summary>
    private ExternalIdentity? Read(ClaimsPrincipal external)
    {
        var o = options.Value;
        var subject = external.FindFirst("sub");
        if (subject is null || string.IsNullOrEmpty(subject.Value) || string.IsNullOrEmpty(subject.Issuer))
        {
            return null;
        }

        bool? verified = external.FindFirst("email_verified")?.Value is { } v ? !string.Equals(v, "false", StringComparison.OrdinalIgnoreCase) : null;
        var groups = external.FindAll(o.GroupsClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        return new ExternalIdentity(subject.Issuer, subject.Value, external.FindFirst(o.EmailClaim)?.Value, verified, external.FindFirst(o.NameClaim)?.Value, groups);
    }

    private UserLoginInfo Login(ExternalIdentity identity) => new(identity.Issuer, identity.Subject, options.Value.DisplayName);

    /// <summary>The errors Identity answers, before the database would, when another sign-in has just made or changed the same account or link.</summary>
    private static readonly HashSet<string> AlreadyExists = ["DuplicateUserName", "DuplicateEmail", "LoginAlreadyAssociated", nameof(IdentityErrorDescriber.ConcurrencyFailure)];

    private static void Check(IdentityResult result)
    {
        if (result.Succeeded)
        {
            return;
        }

        var message = "Cannot link the single sign-on: " + string.Join(" ", result.Errors.Select(e => e.Description));
        throw result.Errors.Any(e => AlreadyExists.Contains(e.Code)) ? new AlreadyExistsException(message) : new InvalidOperationException(message);
    }

    private sealed class AlreadyExistsException(string message) : Exception(message);
}
