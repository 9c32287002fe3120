using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Data;
using Okapi.Web.Infrastructure.Instances;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.ScaleOut;

/// <summary>
/// Two Okapi instances on one PostgreSQL database, each with its own caches, live updates and background workers, as
/// behind a load balancer. PostgreSQL only by nature: without <c>OKAPI_TEST_POSTGRES</c> the tests fail.
/// <see cref="A"/> owns the database; <see cref="B"/> is the second instance on it.
/// </summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public OkapiApp A { get; private set; } = null!;
    public OkapiApp B { get; private set; } = null!;

    /// <summary>
    /// Callers remembered for a minute, far longer than the default second, so that a change seen on the other instance
    /// was seen because it was announced, not because an entry expired; and a delivery's claim held 5 s.
    /// </summary>
    public static void Settings(IWebHostBuilder builder)
    {
        builder.UseSetting("Okapi:CallerCacheSeconds", "60");
        builder.UseSetting("Okapi:Deliveries:ClaimSeconds", "5");
    }

    /// <summary>Starts the first instance on a fresh database and the second on the same one, both listening.</summary>
    public static async Task<(OkapiApp First, OkapiApp Second)> StartAsync()
    {
        var first = new OkapiApp(DatabaseProvider.Postgres, new AppOptions { Configure = Settings });
        await first.InitializeAsync();
        var second = first.SecondInstance(configure: Settings);
        await second.InitializeAsync();
        await ListeningAsync(first);
        await ListeningAsync(second);
        return (first, second);
    }

    public async Task InitializeAsync() => (A, B) = await StartAsync();

    public async Task DisposeAsync()
    {
        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }
    }

    private static Task ListeningAsync(OkapiApp app) =>
        Eventually.FindAsync(() => app.Services.GetRequiredService<InstanceListener>().Listening ? app : null, "the instance to listen for the other's changes");
}
