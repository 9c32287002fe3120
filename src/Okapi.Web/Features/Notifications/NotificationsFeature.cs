namespace Okapi.Web.Features.Notifications;

public static class NotificationsFeature
{
    /// <summary>Channels, the delivery outbox and its worker, in-app notifications.</summary>
    public static IServiceCollection AddOkapiNotifications(this IServiceCollection services)
    {
        services.AddOptions<SmtpOptions>().BindConfiguration("Okapi:Smtp");
        services.AddOptions<PublicUrlOptions>().BindConfiguration("Okapi");
        services.AddSingleton<DeliverySignal>();
        services.AddScoped<Outbox>();
        services.AddScoped<OkrEvents>();
        services.AddScoped<OutboundGuard>();
        services.AddScoped<EmailSender>();
        services.AddScoped<WebhookSender>();
        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<ChannelService>();
        services.AddScoped<NotificationService>();
        services.AddSingleton<DeliveryWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorker>());
        return services;
    }
}
