namespace Okapi.Web.Features.Alerts;

public static class AlertsFeature
{
    /// <summary>Alert rules, their evaluation (on ingestion and on a timer) and alerts.</summary>
    public static IServiceCollection AddOkapiAlerts(this IServiceCollection services)
    {
        services.AddScoped<AlertService>();
        services.AddScoped<AlertRuleService>();
        return services;
    }

    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api) => api;
}
