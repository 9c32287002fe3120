namespace Okapi.Web.Features.Rhythm;

public static class RhythmFeature
{
    /// <summary>The database-backed job runner, weekly check-in reminders and the weekly digest.</summary>
    public static IServiceCollection AddOkapiRhythm(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section);
        services.AddScoped<IScheduledWork, CheckInReminders>();
        services.AddScoped<IScheduledWork, WeeklyDigest>();
        services.AddScoped<JobService>();
        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        return services;
    }

    public static RouteGroupBuilder MapRhythmApi(this RouteGroupBuilder api) => api.MapJobsApi();
}
