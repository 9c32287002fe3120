using Okapi.Web.Features.Access;
using Okapi.Web.Features.Audit;
using Okapi.Web.Features.Home;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Lint;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Features.Search;

namespace Okapi.Web.Features;

public static class FeatureServices
{
    /// <summary>The feature services that the API and the pages share, one per request.</summary>
    public static IServiceCollection AddOkapiFeatures(this IServiceCollection services)
    {
        services.AddScoped<OrganisationService>();
        services.AddScoped<TeamService>();
        services.AddScoped<PersonService>();
        services.AddScoped<CycleService>();
        services.AddScoped<OkrScoring>();
        services.AddScoped<ObjectiveService>();
        services.AddScoped<AlignmentService>();
        services.AddScoped<KeyResultService>();
        services.AddScoped<InitiativeService>();
        services.AddScoped<CommentService>();
        services.AddScoped<Audience>();
        services.AddScoped<MentionNotifier>();
        services.AddScoped<IKpiValueObserver, KeyResultKpiFollower>();
        services.AddScoped<LintService>();
        services.AddScoped<AuditService>();
        services.AddScoped<TokenService>();
        services.AddScoped<SearchService>();
        services.AddScoped<FocusService>();
        return services;
    }
}
