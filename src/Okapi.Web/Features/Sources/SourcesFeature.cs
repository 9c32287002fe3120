namespace Okapi.Web.Features.Sources;

public static class SourcesFeature
{
    /// <summary>Scheduled pulls of KPI values (HTTP JSON, SQL, Prometheus) and key results that follow their KPI.</summary>
    public static IServiceCollection AddOkapiSources(this IServiceCollection services) => services;

    public static RouteGroupBuilder MapKpiSourcesApi(this RouteGroupBuilder api) => api;
}
