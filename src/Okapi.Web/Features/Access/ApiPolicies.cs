using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Okapi.Core.Access;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Access;

/// <summary>
/// The API's role and scope requirements as named authorization policies. The authorization middleware evaluates them
/// before the request body is bound or validated: a caller who may not do something is refused whatever they sent and
/// learns nothing about the endpoint's validation rules. Each asks the caller's <see cref="Actor"/>, the same rules the
/// feature services apply for the pages.
/// </summary>
public static class ApiPolicies
{
    /// <summary>Every /api/v1 endpoint that names no other: reads need the read scope; changes are for members and admins.</summary>
    public const string Members = "members";

    /// <summary>Changes only the caller's own rows (their inbox, notifications, settings, tokens), so viewers may make them too.</summary>
    public const string OwnData = "own-data";

    /// <summary>Stores KPI values: <c>kpi:ingest</c> tokens of members may too; the service still checks each KPI.</summary>
    public const string KpiIngest = "kpi-ingest";

    /// <summary>Admins only, with an admin token when using one; the service checks it too, for the pages.</summary>
    public const string Admins = "admins";

    /// <summary>Scrapes /metrics/kpis: bearer tokens with the read or <c>kpi:ingest</c> scope only.</summary>
    public const string Metrics = "metrics";

    public static IServiceCollection AddApiPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Members, p => p.RequireAuthenticatedUser().AddRequirements(new ApiRequirement(Members)))
            .AddPolicy(OwnData, p => p.RequireAuthenticatedUser().AddRequirements(new ApiRequirement(OwnData)))
            .AddPolicy(KpiIngest, p => p.RequireAuthenticatedUser().AddRequirements(new ApiRequirement(KpiIngest)))
            .AddPolicy(Admins, p => p.RequireAuthenticatedUser().AddRequirements(new ApiRequirement(Admins)))
            .AddPolicy(Metrics, p => p.AddAuthenticationSchemes(BearerTokenHandler.SchemeName).RequireAuthenticatedUser().AddRequirements(new ApiRequirement(Metrics)));
        services.AddSingleton<IAuthorizationHandler, ApiRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiRefusals>();
        return services;
    }

    /// <summary>Gives <see cref="Members"/> to every endpoint of the group that names no policy of its own.</summary>
    public static RouteGroupBuilder RequireApiPolicies(this RouteGroupBuilder group)
    {
        // Finally runs after the endpoints' own conventions, so it sees the policy an endpoint names.
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            if (!endpoint.Metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null))
            {
                endpoint.Metadata.Add(new AuthorizeAttribute(Members));
            }
        });
        return group;
    }

    /// <summary>Why the actor may not make this request, or null if they may.</summary>
    internal static ApiRefusal? Refusal(Actor actor, string policy, bool reads) => policy switch
    {
        Metrics => actor.CanRead || actor.HasScope(TokenScope.KpiIngest) ? null : ApiRefusal.LacksScope("Scraping needs the 'read' or 'kpi:ingest' scope."),
        _ when reads => !actor.CanRead ? ApiRefusal.LacksScope("This request needs the 'read' scope.") :
            policy == Admins && !actor.IsAdmin ? ApiRefusal.AdminsOnly : null,
        OwnData => actor.MayChangeOwnData ? null : ApiRefusal.LacksScope("This request needs the 'write' scope."),
        KpiIngest => actor.MayIngestValues ? null :
            !actor.HasScope(TokenScope.Write) && !actor.HasScope(TokenScope.KpiIngest) ? ApiRefusal.LacksScope("This request needs the 'write' scope.") : ApiRefusal.ViewersRead,
        _ => !actor.HasScope(TokenScope.Write) ? ApiRefusal.LacksScope("This request needs the 'write' scope.") :
            !actor.CanWrite ? ApiRefusal.ViewersRead :
            policy == Admins && !actor.IsAdmin ? ApiRefusal.AdminsOnly : null,
    };
}

/// <summary>One of the <see cref="ApiPolicies"/>; GET and HEAD read, every other method changes something.</summary>
public sealed record ApiRequirement(string Policy) : IAuthorizationRequirement;

/// <summary>Why a request is refused: the problem detail's title and detail.</summary>
public sealed record ApiRefusal(string Title, string Detail)
{
    public static ApiRefusal LacksScope(string detail) => new("The token lacks a scope.", detail);

    public static readonly ApiRefusal ViewersRead = new(Problems.ForbiddenTitle, "Viewers can read but not change anything.");

    public static readonly ApiRefusal AdminsOnly = new(Problems.ForbiddenTitle, "Only admins, with an admin token when using one, do this.");

    /// <summary>The credentials are valid but their person is not in the organisation: answered like no credentials (401).</summary>
    public static readonly ApiRefusal UnknownPerson = new("Sign in or send a bearer token.", "The person these credentials belong to no longer exists.");
}

/// <summary>Carries an <see cref="ApiRefusal"/> from the handler to <see cref="ApiRefusals"/>.</summary>
public sealed class ApiFailureReason(IAuthorizationHandler handler, ApiRefusal refusal) : AuthorizationFailureReason(handler, refusal.Detail)
{
    public ApiRefusal Refusal => refusal;
}

/// <summary>Evaluates the <see cref="ApiRequirement"/>s against the caller's <see cref="Actor"/>, loading the caller if no middleware did.</summary>
public sealed class ApiRequirementHandler : AuthorizationHandler<ApiRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var caller = http.RequestServices.GetRequiredService<Caller>();
        if (!caller.IsAuthenticated &&
            !await caller.LoadAsync(context.User, http.RequestServices.GetRequiredService<OkapiDbContext>(), http.RequestAborted))
        {
            // Valid credentials of a person who is gone (deleted since the token was checked or the cookie issued).
            context.Fail(new ApiFailureReason(this, ApiRefusal.UnknownPerson));
            return;
        }

        var reads = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
        if (ApiPolicies.Refusal(caller.Actor, requirement.Policy, reads) is { } refusal)
        {
            context.Fail(new ApiFailureReason(this, refusal));
        }
        else
        {
            context.Succeed(requirement);
        }
    }
}

/// <summary>
/// Answers refusals of the <see cref="ApiPolicies"/> with problem details (401 without credentials, 403 with the
/// reason); pages keep the cookie's redirect to the sign-in page.
/// </summary>
public sealed class ApiRefusals : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _pages = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        var requirement = policy.Requirements.OfType<ApiRequirement>().FirstOrDefault();
        if (requirement is null || result.Succeeded)
        {
            await _pages.HandleAsync(next, context, policy, result);
            return;
        }

        var refusal = result.AuthorizationFailure?.FailureReasons.OfType<ApiFailureReason>().FirstOrDefault()?.Refusal;
        if (result.Challenged || refusal == ApiRefusal.UnknownPerson)
        {
            var scrape = requirement.Policy == ApiPolicies.Metrics;
            if (scrape)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            await TypedResults.Problem(
                title: scrape ? "Send a bearer token with the read or kpi:ingest scope." : "Sign in or send a bearer token.",
                detail: refusal?.Detail, statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
            return;
        }

        await TypedResults.Problem(title: refusal?.Title ?? Problems.ForbiddenTitle, detail: refusal?.Detail,
            statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
    }
}
