using Okapi.Web.Features.Kpis;

namespace Okapi.Web.Features.Alerts;

public static class AlertsFeature
{
    /// <summary>Alert rules, their evaluation (on ingestion and on a timer) and alerts.</summary>
    public static IServiceCollection AddOkapiAlerts(this IServiceCollection services)
    {
        services.AddScoped<AlertService>();
        services.AddScoped<AlertRuleService>();
        services.AddScoped<AlertEvaluator>();
        services.AddScoped<IKpiValueObserver>(sp => sp.GetRequiredService<AlertEvaluator>());
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section);
        services.AddSingleton<AlertWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertWorker>());
        return services;
    }

    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api) => api.MapAlertRulesApi().MapAlertIncidentsApi();
}
