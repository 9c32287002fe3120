namespace Okapi.Web.Features.Reports;

public static class ReportsFeature
{
    /// <summary>Cycle reports per team and for the company, their CSV and XLSX export, and presentation mode.</summary>
    public static IServiceCollection AddOkapiReports(this IServiceCollection services)
    {
        services.AddScoped<ReportService>();
        return services;
    }

    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder api) => api.MapReportsRoutes();
}
