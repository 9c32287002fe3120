namespace Okapi.Web.Features.Inbox;

public static class InboxFeature
{
    /// <summary>The inbox (what I must do now), conversations with @mentions, and the draft → review → active flow.</summary>
    public static IServiceCollection AddOkapiInbox(this IServiceCollection services)
    {
        services.AddScoped<InboxWriter>();
        services.AddScoped<InboxService>();
        services.AddScoped<Audience>();
        services.AddScoped<MentionNotifier>();
        services.AddScoped<ReviewService>();
        services.AddScoped<InboxCounter>();
        return services;
    }

    public static RouteGroupBuilder MapInboxApi(this RouteGroupBuilder api) => api.MapInboxEndpoints();
}
