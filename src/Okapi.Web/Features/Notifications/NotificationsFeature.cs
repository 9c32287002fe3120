namespace Okapi.Web.Features.Notifications;

public static class NotificationsFeature
{
    /// <summary>Channels, the delivery outbox and its worker, in-app notifications.</summary>
    public static IServiceCollection AddOkapiNotifications(this IServiceCollection services)
    {
        services.AddScoped<Outbox>();
        services.AddScoped<OutboundGuard>();
        return services;
    }

    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api) => api;
}
