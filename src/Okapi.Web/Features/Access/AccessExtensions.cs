using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Access;

public static class AccessExtensions
{
    /// <summary>The rate limit policy of every endpoint that checks a password (posting the sign-in form or the API's sign-in).</summary>
    public const string SignInLimit = "sign-in";

    /// <summary>The rate limit policy of asking for a forgotten-password email (the form and the API).</summary>
    public const string PasswordResetLimit = "password-reset";

    /// <summary>Identity with cookies for people, bearer tokens for scripts; one policy scheme picks per request.</summary>
    public static IServiceCollection AddOkapiAccess(this IServiceCollection services)
    {
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = "Okapi";
                o.DefaultChallengeScheme = "Okapi";
            })
            .AddPolicyScheme("Okapi", "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "okapi.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;

            o.LoginPath = "/sign-in";

            // An API client wants a status code, not a redirect to the sign-in page; a browser wants the page.
            o.Events.OnRedirectToLogin = context => IsApi(context.Request) ? Reject(context, StatusCodes.Status401Unauthorized) : Redirect(context);
            o.Events.OnRedirectToAccessDenied = context => IsApi(context.Request) ? Reject(context, StatusCodes.Status403Forbidden) : Redirect(context);
        });

        services.AddIdentityCore<Account>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                // Length over composition rules, as NIST SP 800-63B recommends.
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireDigit = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                // No account lockout: anyone could lock anyone out with wrong passwords. PasswordSignIn slows down the
                // client that fails instead.
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<OkapiDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AccountClaimsFactory>()
            .AddDefaultTokenProviders();

        services.AddApiPolicies();
        services.AddScoped<Caller>();
        services.AddSingleton<CallerCache>();
        services.AddSingleton<IInterceptor, CallerCacheInvalidation>();

        services.AddScoped<PasswordSignIn>();
        services.AddScoped<PasswordService>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<PasswordResetTokens>();
        services.AddSingleton<PasswordResetMail>();
        services.AddHostedService(sp => sp.GetRequiredService<PasswordResetMail>());

        // Slow down password guessing: a few sign-in attempts a minute per client address (Okapi:SignInAttemptsPerMinute).
        // The limit is a policy that the sign-in endpoints name, so it holds however the path is spelt.
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            var perMinute = Math.Max(1, configuration.GetValue("Okapi:SignInAttemptsPerMinute", 10));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInLimit, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) })
                    : RateLimitPartition.GetNoLimiter(""));

            // Each request may send an email: a few an hour per client address (Okapi:PasswordResetRequestsPerHour).
            var resetsPerHour = Math.Max(1, configuration.GetValue("Okapi:PasswordResetRequestsPerHour", 10));
            o.AddPolicy(PasswordResetLimit, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = resetsPerHour, Window = TimeSpan.FromHours(1) })
                    : RateLimitPartition.GetNoLimiter(""));
        });
        return services;
    }

    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/account") || request.Path.StartsWithSegments("/openapi");

    private static Task Redirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static Task Reject(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Loads the <see cref="Caller"/> of every authenticated API request and points the database at their organisation.
    /// A principal whose person is gone is treated as anonymous.
    /// </summary>
    public static IApplicationBuilder UseOkapiCaller(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Only the API reads the caller from the request; pages load it per call (OkapiSession), and static files
        // and the Blazor hub should not cost two queries each.
        if (context.User.Identity?.IsAuthenticated == true && PasswordService.MustChange(context.User) && IsPage(context.Request)
            && !context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<OidcOptions>>().Value.PasswordsDisabled)
        {
            // (Where passwords are switched off, the printed one opens nothing, so there is nothing to replace.)
            // A generated first password was printed where others may read it: nothing else opens until it is replaced.
            context.Response.Redirect("/settings/password");
            return;
        }

        if (context.User.Identity?.IsAuthenticated == true && context.Request.Path.StartsWithSegments("/api"))
        {
            var caller = context.RequestServices.GetRequiredService<Caller>();
            var db = context.RequestServices.GetRequiredService<OkapiDbContext>();
            if (!await caller.LoadAsync(context.User, db, context.RequestAborted))
            {
                context.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
            }
        }

        await next(context);
    });

    /// <summary>A page a browser navigates to: not the API, the account endpoints, sign-in, the password page, the Blazor hub or a static file.</summary>
    private static bool IsPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && !Path.HasExtension(request.Path.Value)
        && !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/account") && !request.Path.StartsWithSegments("/sign-in")
        && !request.Path.StartsWithSegments("/settings/password")
        && !request.Path.StartsWithSegments("/_blazor") && !request.Path.StartsWithSegments("/_framework") && !request.Path.StartsWithSegments("/_content");
}


/// <summary>Adds the organisation to the cookie principal, so that requests know their tenant without a lookup.</summary>
public sealed class AccountClaimsFactory(UserManager<Account> users, RoleManager<IdentityRole<Guid>> roles, Microsoft.Extensions.Options.IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<Account, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<System.Security.Claims.ClaimsIdentity> GenerateClaimsAsync(Account user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new System.Security.Claims.Claim(Caller.OrganisationClaim, user.OrganisationId.ToString()));
        return identity;
    }
}
