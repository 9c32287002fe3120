using Microsoft.Extensions.Options;
using Okapi.Data;

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

    /// <summary>
    /// Migrates the database and makes the first organisation; false, having said why on standard error, when the
    /// database was upgraded by a newer Okapi, which this one must not run on.
    /// </summary>
    public static async Task<bool> BootstrapAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        if (await AppliedMigrations.UnknownAsync(db, CancellationToken.None) is { Count: > 0 } unknown)
        {
            await Console.Error.WriteLineAsync(AppliedMigrations.Refusal(unknown));
            return false;
        }

        var options = scope.ServiceProvider.GetRequiredService<IOptions<BootstrapOptions>>().Value;
        await scope.ServiceProvider.GetRequiredService<Bootstrap>().RunAsync(options, CancellationToken.None);
        return true;
    }
}
