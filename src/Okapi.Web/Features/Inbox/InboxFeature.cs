namespace Okapi.Web.Features.Inbox;

public static class InboxFeature
{
    /// <summary>The inbox (what I must do now), conversations with @mentions, and the draft → review → active flow.</summary>
    public static IServiceCollection AddOkapiInbox(this IServiceCollection services)
    {
        services.AddScoped<InboxWriter>();
        return services;
    }

    public static RouteGroupBuilder MapInboxApi(this RouteGroupBuilder api)
    {
        return api;
    }
}
