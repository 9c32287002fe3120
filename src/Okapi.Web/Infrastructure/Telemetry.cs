using Microsoft.Extensions.Logging.Console;
using Npgsql;
using Okapi.Web.Features.Access;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Okapi.Web.Infrastructure;

public sealed class TelemetryOptions
{
    public const string Section = "Okapi:Telemetry";

    /// <summary>
    /// Whether anyone who reaches the port may read <c>/metrics</c>, without a token: for a Prometheus on a private network
    /// that scrapes instances directly. Off by default: then a bearer token with the read or <c>kpi:ingest</c> scope is
    /// needed, as for <c>/metrics/kpis</c>.
    /// </summary>
    public bool AnonymousMetrics { get; set; }
}

/// <summary>
/// OpenTelemetry for Okapi: metrics of HTTP (server and client), the database, the runtime and Okapi's own
/// <see cref="OkapiInstruments"/>, served at <c>/metrics</c> in the Prometheus text format; and, when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a per-signal endpoint) is set, traces and metrics exported over OTLP. Without
/// an endpoint no tracer listens, so requests make no spans at all.
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    /// <summary>Either variable turns tracing and OTLP export on; they are read from configuration, so environment variables work.</summary>
    private static bool Exports(IConfiguration configuration, string signal) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) ||
        !string.IsNullOrWhiteSpace(configuration[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]);

    public static IServiceCollection AddOkapiTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<TelemetryOptions>(configuration.GetSection(TelemetryOptions.Section));
        services.AddSingleton<OkapiInstruments>();
        services.AddOkapiHealth();
        if (configuration.GetValue<bool>("Okapi:Logging:Json"))
        {
            // The framework's JSON console formatter; Logging:Console:FormatterName=json does the same without Okapi's switch.
            services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Json);
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName: configuration["OTEL_SERVICE_NAME"] ?? "okapi"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OkapiInstruments.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    // EF Core's own counters (queries, saves, contexts), read when collected: the SQLite side of the database.
                    .AddMeter("Microsoft.EntityFrameworkCore")
                    .AddPrometheusExporter();
                if (Exports(configuration, "METRICS"))
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (Exports(configuration, "TRACES"))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(OkapiInstruments.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbeOrScrape(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter());
        }

        return services;
    }

    /// <summary><c>/metrics</c>, readable as <see cref="TelemetryOptions.AnonymousMetrics"/> says.</summary>
    public static IEndpointRouteBuilder MapOkapiTelemetry(this IEndpointRouteBuilder app)
    {
        var scrape = app.MapPrometheusScrapingEndpoint(MetricsPath).ExcludeFromDescription();
        if (!app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<TelemetryOptions>>().Value.AnonymousMetrics)
        {
            scrape.RequireAuthorization(ApiPolicies.Metrics);
        }

        return app;
    }

    // Probes and scrapes arrive every few seconds and say nothing about what users do.
    private static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments(MetricsPath);
}
