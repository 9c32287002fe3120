using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Okapi.Core.Kpis;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

public static class KpisFeature
{
    /// <summary>KPIs, their values and ingestion.</summary>
    public static IServiceCollection AddOkapiKpis(this IServiceCollection services)
    {
        services.AddScoped<KpiService>();
        services.AddScoped<KpiIngestion>();
        services.AddSingleton<KpiWriter>();
        services.AddSingleton<KpiObservation>();
        services.AddSingleton<KpiLookup>();
        services.AddSingleton<IInterceptor, KpiLookupInterceptor>();
        services.AddSingleton<KpiWatchers>();
        services.AddSingleton<IInterceptor, KpiWatchersInterceptor>();
        services.AddScoped<KpiValueRows>();
        services.AddScoped<KpiUploads>();
        return services;
    }

    public static RouteGroupBuilder MapKpisApi(this RouteGroupBuilder api) => api.MapKpisRoutes();

    /// <summary>
    /// The latest value, target, thresholds and health of every public KPI in use, in the Prometheus text format, for
    /// scraping (one read of the KPI rows per scrape). Only bearer tokens (read or kpi:ingest) scrape, and only public
    /// KPIs are exposed, even to admins: a scrape target is readable by whoever runs the monitoring.
    /// </summary>
    public static WebApplication MapKpiMetrics(this WebApplication app)
    {
        app.MapGet("/metrics/kpis", Metrics).RequireAuthorization(ApiPolicies.Metrics).ExcludeFromDescription();
        return app;
    }

    private static async Task<ContentHttpResult> Metrics(KpiService kpis, CancellationToken ct) =>
        TypedResults.Text(Exposition(await kpis.PublicMetricsAsync(ct)), PrometheusText.ContentType, Encoding.UTF8);

    /// <summary>
    /// Every series carries the same labels, so that PromQL compares them without <c>on(…)</c>
    /// (<c>okapi_kpi_value &lt; okapi_kpi_warning_lower</c>). A target or threshold that is not set has no series, and a
    /// KPI without values has its health alone.
    /// </summary>
    public static string Exposition(IReadOnlyList<KpiMetricsDto> kpis)
    {
        var labelled = kpis.Select(k => (Kpi: k, Labels: Labels(k))).ToList();
        IEnumerable<PrometheusSample> Of(Func<KpiMetricsDto, double?> value) =>
            labelled.Where(l => value(l.Kpi) is not null).Select(l => new PrometheusSample(l.Labels, value(l.Kpi)!.Value));

        return new PrometheusText()
            .Gauge("okapi_kpi_value", "The latest single value of a KPI.", Of(k => k.LatestAt is null ? null : k.LatestValue))
            .Gauge("okapi_kpi_value_timestamp_seconds", "When the latest value of a KPI was measured, in seconds since the Unix epoch.",
                Of(k => k.LatestValue is null ? null : k.LatestAt?.ToUnixTimeMilliseconds() / 1000.0))
            .Gauge("okapi_kpi_target", "The target of a KPI.", Of(k => k.Target))
            .Gauge("okapi_kpi_warning_lower", "The lower warning threshold of a KPI.", Of(k => k.WarningLower))
            .Gauge("okapi_kpi_warning_upper", "The upper warning threshold of a KPI.", Of(k => k.WarningUpper))
            .Gauge("okapi_kpi_critical_lower", "The lower critical threshold of a KPI.", Of(k => k.CriticalLower))
            .Gauge("okapi_kpi_critical_upper", "The upper critical threshold of a KPI.", Of(k => k.CriticalUpper))
            .Gauge("okapi_kpi_health", "Health of a KPI: 0 ok, 1 warning, 2 critical, 3 stale, 4 unknown.", Of(k => HealthNumber(k.Health)))
            .ToString();
    }

    public static int HealthNumber(KpiHealth health) => health switch
    {
        KpiHealth.Ok => 0,
        KpiHealth.Warning => 1,
        KpiHealth.Critical => 2,
        KpiHealth.Stale => 3,
        _ => 4,
    };

    private static KeyValuePair<string, string>[] Labels(KpiMetricsDto kpi) =>
        [new("kpi", kpi.Key), new("name", kpi.Name), new("unit", kpi.Unit ?? ""), new("team", kpi.Team ?? "")];
}
