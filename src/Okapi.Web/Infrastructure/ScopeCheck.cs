using Okapi.Data.Identity;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// Token scopes by HTTP method: reads need <c>read</c>, changes need <c>write</c>; a <c>kpi:ingest</c> token
/// reaches only the ingestion endpoints. Roles are checked by each feature on top of this.
/// It runs as middleware, before the request body is read or validated: a caller who may not write is refused
/// whatever they sent, and learns nothing about the endpoint's validation rules.
/// </summary>
public static class ScopeCheck
{
    /// <summary>Marks the endpoints of a group as subject to the scope rules.</summary>
    public static RouteGroupBuilder RequireScopes(this RouteGroupBuilder group) => group.WithMetadata(new RequiresScopesMetadata());

    /// <summary>Refuses requests whose token lacks the scope the method needs; after authentication, the caller and authorisation.</summary>
    public static IApplicationBuilder UseOkapiScopes(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<RequiresScopesMetadata>() is not null &&
            Refusal(context.RequestServices.GetRequiredService<Caller>(), context.Request.Method, endpoint) is { } refusal)
        {
            await refusal.ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    private static IResult? Refusal(Caller caller, string method, Endpoint endpoint)
    {
        var needed = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? TokenScope.Read : TokenScope.Write;
        if (!caller.IsAuthenticated)
        {
            return TypedResults.Problem(title: "Sign in or send a bearer token.", statusCode: StatusCodes.Status401Unauthorized);
        }

        // An ingest token writes values where the endpoint says so, and nothing else anywhere.
        var ingestion = endpoint.Metadata.GetMetadata<AllowsKpiIngestMetadata>() is not null;
        if (ingestion && !caller.HasScope(needed) && caller.HasScope(TokenScope.KpiIngest))
        {
            return caller.Role >= Okapi.Core.Organisations.Role.Member
                ? null
                : Problems.Forbidden("Viewers can read but not change anything.");
        }

        if (!caller.HasScope(needed))
        {
            return TypedResults.Problem(
                title: "The token lacks a scope.",
                detail: $"This request needs the '{ScopeName(needed)}' scope.",
                statusCode: StatusCodes.Status403Forbidden);
        }

        // Viewers read the organisation's data, but their own inbox, notifications and settings are theirs to change.
        var own = endpoint.Metadata.GetMetadata<WritesOwnDataMetadata>() is not null;
        if (needed == TokenScope.Write && !caller.CanWrite && !caller.IsAdmin && !own)
        {
            return Problems.Forbidden("Viewers can read but not change anything.");
        }

        // Admin-only endpoints say so, so that a non-admin is refused before their request is validated.
        if (endpoint.Metadata.GetMetadata<AdminsOnlyMetadata>() is not null && !caller.IsAdmin)
        {
            return Problems.Forbidden("Only admins, with an admin token when using one, do this.");
        }

        return null;
    }

    public static string ScopeName(TokenScope scope) => scope switch
    {
        TokenScope.KpiIngest => "kpi:ingest",
        _ => scope.ToString().ToLowerInvariant(),
    };
}

/// <summary>Marks the endpoints <see cref="ScopeCheck.UseOkapiScopes"/> checks.</summary>
public sealed class RequiresScopesMetadata;

/// <summary>Marks an endpoint only admins may call; the feature checks it too, for the pages that call it in-process.</summary>
public sealed class AdminsOnlyMetadata;

public static class AdminsOnlyEndpoints
{
    /// <summary>Refuses everyone but admins in <see cref="ScopeCheck"/>, before the request is bound or validated.</summary>
    public static TBuilder AdminsOnly<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AdminsOnlyMetadata());
}

/// <summary>Marks an endpoint that changes only the caller's own data (their inbox, notifications, settings), which viewers may call too.</summary>
public sealed class WritesOwnDataMetadata;

public static class OwnDataEndpoints
{
    /// <summary>Lets viewers through <see cref="ScopeCheck"/> here; the token still needs the write scope and the feature touches only the caller's rows.</summary>
    public static RouteHandlerBuilder WritesOwnData(this RouteHandlerBuilder builder) => builder.WithMetadata(new WritesOwnDataMetadata());
}

/// <summary>Marks an endpoint that stores KPI values, which <c>kpi:ingest</c> tokens may call.</summary>
public sealed class AllowsKpiIngestMetadata;

public static class KpiIngestEndpoints
{
    /// <summary>Lets <c>kpi:ingest</c> tokens through <see cref="ScopeCheck"/> here; the feature still checks <c>Caller.CanIngest</c>.</summary>
    public static RouteHandlerBuilder AllowsKpiIngest(this RouteHandlerBuilder builder) => builder.WithMetadata(new AllowsKpiIngestMetadata());
}
