namespace Okapi.Web.Features.Closing;

public static class ClosingFeature
{
    /// <summary>Closing a cycle per team and for the company: grades, overrides, retrospectives, the snapshot, carry-over.</summary>
    public static IServiceCollection AddOkapiClosing(this IServiceCollection services)
    {
        services.AddScoped<ClosingService>();
        return services;
    }

    public static RouteGroupBuilder MapClosingApi(this RouteGroupBuilder api) => api.MapClosingEndpoints();
}
