using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Okapi.Data;

namespace Okapi.Web.Infrastructure;

public static class Health
{
    private const string Readiness = "ready";

    /// <summary>What <c>/readyz</c> checks: that the database answers, and that it has every migration this build knows.</summary>
    public static IServiceCollection AddOkapiHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<OkapiDbContext>("database", tags: [Readiness])
            .AddCheck<MigrationsCheck>("migrations", tags: [Readiness]);
        return services;
    }

    /// <summary>
    /// <c>/healthz</c>: the process answers (a liveness probe, the container's health check). <c>/readyz</c>: it can also
    /// serve, a JSON body with each check's status, 503 when one fails (a readiness probe, a load balancer's check).
    /// </summary>
    public static IEndpointRouteBuilder MapOkapiHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).ExcludeFromDescription();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Readiness), ResponseWriter = WriteAsync })
            .ExcludeFromDescription();
        return app;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary><c>{"status":"unhealthy","checks":{"database":{"status":"healthy"},"migrations":{"status":"unhealthy","description":"…"}}}</c></summary>
    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = Status(report.Status),
            // A check that threw would show its exception's message (a host name, an address) to anyone: it stays in the log.
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = Status(e.Value.Status),
                description = e.Value.Exception is null ? e.Value.Description : "The check failed; the server log says why.",
            }),
        };
        return http.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }

    private static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}

/// <summary>Unhealthy while the database lacks a migration this build has (an upgrade still under way), naming them.</summary>
public sealed class MigrationsCheck(OkapiDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy("Every migration is applied.")
            : HealthCheckResult.Unhealthy($"{pending.Count} pending: {string.Join(", ", pending)}.");
    }
}
