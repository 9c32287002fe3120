namespace Okapi.Web.Features.Inbox;

public static class InboxFeature
{
    /// <summary>The inbox: what I must do now, kept by the features that ask something of me.</summary>
    public static IServiceCollection AddOkapiInbox(this IServiceCollection services)
    {
        services.AddScoped<InboxWriter>();
        services.AddScoped<InboxService>();
        services.AddScoped<InboxCounter>();
        return services;
    }

    public static RouteGroupBuilder MapInboxApi(this RouteGroupBuilder api) => api.MapInboxEndpoints();
}
