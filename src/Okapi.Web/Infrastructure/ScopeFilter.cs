using Okapi.Data.Identity;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// Token scopes by HTTP method: reads need <c>read</c>, changes need <c>write</c>; a <c>kpi:ingest</c> token
/// reaches only the ingestion endpoints. Roles are checked by each feature on top of this.
/// </summary>
public sealed class ScopeFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var caller = context.HttpContext.RequestServices.GetRequiredService<Caller>();
        var method = context.HttpContext.Request.Method;
        var needed = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? TokenScope.Read : TokenScope.Write;
        if (!caller.IsAuthenticated)
        {
            return TypedResults.Problem(title: "Sign in or send a bearer token.", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!caller.HasScope(needed))
        {
            return TypedResults.Problem(
                title: "The token lacks a scope.",
                detail: $"This request needs the '{ScopeName(needed)}' scope.",
                statusCode: StatusCodes.Status403Forbidden);
        }

        if (needed == TokenScope.Write && !caller.CanWrite && !caller.IsAdmin)
        {
            return Problems.Forbidden("Viewers can read but not change anything.");
        }

        return await next(context);
    }

    public static string ScopeName(TokenScope scope) => scope switch
    {
        TokenScope.KpiIngest => "kpi:ingest",
        _ => scope.ToString().ToLowerInvariant(),
    };
}
