using Okapi.Web.Features.Okrs;

namespace Okapi.Web.Features;

public static class FeatureServices
{
    /// <summary>The feature services that the API and the pages share, one per request.</summary>
    public static IServiceCollection AddOkapiFeatures(this IServiceCollection services)
    {
        services.AddScoped<OkrScoring>();
        services.AddScoped<ObjectiveService>();
        services.AddScoped<KeyResultService>();
        services.AddScoped<InitiativeService>();
        services.AddScoped<CommentService>();
        return services;
    }
}
