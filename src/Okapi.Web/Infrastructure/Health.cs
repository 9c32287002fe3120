using Microsoft.EntityFrameworkCore;
using Okapi.Data;

namespace Okapi.Web.Infrastructure;

public static class Health
{
    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: it can also reach its database.</summary>
    public static IEndpointRouteBuilder MapOkapiHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).ExcludeFromDescription();
        app.MapGet("/readyz", async (OkapiDbContext db, CancellationToken ct) =>
            await db.Database.CanConnectAsync(ct) && !(await db.Database.GetPendingMigrationsAsync(ct)).Any()
                ? Results.Text("ready")
                : Results.Problem(title: "The database is not reachable or not migrated.", statusCode: StatusCodes.Status503ServiceUnavailable))
            .ExcludeFromDescription();
        return app;
    }
}
