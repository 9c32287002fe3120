using System.Globalization;
using System.Text;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Data.Identity;
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
        services.AddScoped<KpiValueRows>();
        services.AddScoped<KpiUploads>();
        return services;
    }

    public static RouteGroupBuilder MapKpisApi(this RouteGroupBuilder api) => api.MapKpisRoutes();

    /// <summary>The latest value of every public KPI in the Prometheus text format, for scraping.</summary>
    public static WebApplication MapKpiMetrics(this WebApplication app)
    {
        app.MapGet("/metrics/kpis", Metrics).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Outside /api, so the caller is loaded here. Only bearer tokens (read or kpi:ingest) scrape, and only public
    /// KPIs are exposed, even to admins: a scrape target is readable by whoever runs the monitoring.
    /// </summary>
    private static async Task<IResult> Metrics(HttpContext http, Caller caller, OkapiDbContext db, KpiService kpis, CancellationToken ct)
    {
        if (http.User.Identity?.IsAuthenticated != true || http.User.Identity.AuthenticationType != BearerTokenHandler.SchemeName ||
            !await caller.LoadAsync(http.User, db, ct))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(title: "Send a bearer token with the read or kpi:ingest scope.", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!caller.HasScope(TokenScope.Read) && !caller.HasScope(TokenScope.KpiIngest))
        {
            return TypedResults.Problem(title: "The token lacks a scope.", detail: "Scraping needs the 'read' or 'kpi:ingest' scope.", statusCode: StatusCodes.Status403Forbidden);
        }

        return TypedResults.Text(Exposition(await kpis.PublicAsync(ct)), MetricsContentType, Encoding.UTF8);
    }

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
