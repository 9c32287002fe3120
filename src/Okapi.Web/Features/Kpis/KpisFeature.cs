namespace Okapi.Web.Features.Kpis;

public static class KpisFeature
{
    /// <summary>KPIs, their values and ingestion.</summary>
    public static IServiceCollection AddOkapiKpis(this IServiceCollection services)
    {
        services.AddScoped<KpiService>();
        services.AddScoped<KpiIngestion>();
        return services;
    }

    public static RouteGroupBuilder MapKpisApi(this RouteGroupBuilder api) => api;

    /// <summary>The latest value of every public KPI in the Prometheus text format, for scraping.</summary>
    public static WebApplication MapKpiMetrics(this WebApplication app) => app;
}
