namespace Okapi.Web.Features.Exchange;

public static class ExchangeFeature
{
    /// <summary>OKRs as code: export and import of YAML and JSON documents, with a dry run.</summary>
    public static IServiceCollection AddOkapiExchange(this IServiceCollection services)
    {
        services.AddScoped<ExchangeExport>();
        services.AddScoped<ExchangeImport>();
        return services;
    }

    public static RouteGroupBuilder MapExchangeApi(this RouteGroupBuilder api) => api.MapExchangeRoutes();
}
