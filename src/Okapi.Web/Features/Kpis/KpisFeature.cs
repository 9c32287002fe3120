using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Okapi.Core.Kpis;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

public static class KpisFeature
{
    public const string MetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

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
    /// The latest value of every public KPI in the Prometheus text format, for scraping. Only bearer tokens (read or
    /// kpi:ingest) scrape, and only public KPIs are exposed, even to admins: a scrape target is readable by whoever runs
    /// the monitoring.
    /// </summary>
    public static WebApplication MapKpiMetrics(this WebApplication app)
    {
        app.MapGet("/metrics/kpis", Metrics).RequireAuthorization(ApiPolicies.Metrics).ExcludeFromDescription();
        return app;
    }

    private static async Task<ContentHttpResult> Metrics(KpiService kpis, CancellationToken ct) =>
        TypedResults.Text(Exposition(await kpis.PublicAsync(ct)), MetricsContentType, Encoding.UTF8);

    /// <summary>The Prometheus text exposition format, version 0.0.4.</summary>
    public static string Exposition(IReadOnlyList<KpiDto> kpis)
    {
        var text = new StringBuilder();
        text.Append("# HELP okapi_kpi_value The latest value of a KPI.\n# TYPE okapi_kpi_value gauge\n");
        foreach (var kpi in kpis.Where(k => k.LatestAt is not null && k.LatestValue is not null))
        {
            text.Append("okapi_kpi_value").Append(Labels(kpi)).Append(' ')
                .Append(Number(kpi.LatestValue!.Value)).Append(' ')
                .Append(kpi.LatestAt!.Value.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("# HELP okapi_kpi_health Health of a KPI: 0 ok, 1 warning, 2 critical, 3 stale, 4 unknown.\n# TYPE okapi_kpi_health gauge\n");
        foreach (var kpi in kpis)
        {
            text.Append("okapi_kpi_health").Append(Labels(kpi)).Append(' ').Append(HealthNumber(kpi.Health).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    public static int HealthNumber(KpiHealth health) => health switch
    {
        KpiHealth.Ok => 0,
        KpiHealth.Warning => 1,
        KpiHealth.Critical => 2,
        KpiHealth.Stale => 3,
        _ => 4,
    };

    private static string Labels(KpiDto kpi) =>
        $"{{kpi=\"{Escape(kpi.Key)}\",name=\"{Escape(kpi.Name)}\",unit=\"{Escape(kpi.Unit ?? "")}\"}}";

    /// <summary>Label values escape backslash, double quote and line feed, as the format demands.</summary>
    public static string Escape(string value) => value.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
