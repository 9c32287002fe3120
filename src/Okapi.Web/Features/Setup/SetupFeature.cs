using Microsoft.Extensions.Options;

namespace Okapi.Web.Features.Setup;

/// <summary>The first start (organisation, admin, demo data) and the command-line commands.</summary>
public static class SetupFeature
{
    public static IServiceCollection AddOkapiSetup(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BootstrapOptions>(configuration.GetSection("Okapi"));
        services.AddScoped<Bootstrap>();
        return services;
    }

    public static async Task BootstrapAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<BootstrapOptions>>().Value;
        await scope.ServiceProvider.GetRequiredService<Bootstrap>().RunAsync(options, CancellationToken.None);
    }
}
