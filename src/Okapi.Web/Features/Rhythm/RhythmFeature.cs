namespace Okapi.Web.Features.Rhythm;

public static class RhythmFeature
{
    /// <summary>The database-backed job runner, weekly check-in reminders and the weekly digest.</summary>
    public static IServiceCollection AddOkapiRhythm(this IServiceCollection services)
    {
        return services;
    }

    public static RouteGroupBuilder MapRhythmApi(this RouteGroupBuilder api)
    {
        return api;
    }
}
