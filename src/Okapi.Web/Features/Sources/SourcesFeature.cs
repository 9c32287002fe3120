using Microsoft.Extensions.DependencyInjection.Extensions;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Notifications;

namespace Okapi.Web.Features.Sources;

public static class SourcesFeature
{
    /// <summary>Scheduled pulls of KPI values (HTTP JSON, SQL, Prometheus).</summary>
    public static IServiceCollection AddOkapiSources(this IServiceCollection services)
    {
        services.TryAddScoped<OutboundGuard>();
        services.AddSingleton<SourceConnections>();
        services.AddSingleton<SourceHeaderProtector>();
        services.AddScoped<KpiPullers>();
        services.AddScoped<SourceRunner>();
        services.AddScoped<KpiSourceService>();
        services.AddSingleton<SourceWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<SourceWorker>());
        return services;
    }

    public static RouteGroupBuilder MapKpiSourcesApi(this RouteGroupBuilder api) => KpiSourcesApi.Map(api);
}
