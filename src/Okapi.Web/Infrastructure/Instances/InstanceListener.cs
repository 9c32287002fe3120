using Npgsql;
using Okapi.Data;

namespace Okapi.Web.Infrastructure.Instances;

/// <summary>
/// Listens on <see cref="InstanceChanges.Channel"/> on a dedicated connection and applies other instances' notices;
/// sends this instance's queued page refreshes. A lost connection is opened again with growing pauses, and since
/// notices sent meanwhile are lost, every cache forgets everything and every page refreshes once it listens again.
/// </summary>
public sealed class InstanceListener(InstanceChanges changes, ILogger<InstanceListener> log) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    private int _connections;

    /// <summary>Whether the listening connection is open (for health checks and tests).</summary>
    public bool Listening { get; private set; }

    /// <summary>How many times the listening connection has been opened: more than once after a loss.</summary>
    public int Connections => Volatile.Read(ref _connections);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken ct)
    {
        var retry = FirstRetry;
        var connectedBefore = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(changes.ListenConnectionString);
                connection.Notification += (_, e) => Receive(e.Payload);
                await connection.OpenAsync(ct);
                await using (var listen = new NpgsqlCommand($"LISTEN {InstanceChanges.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                // Whatever was cached before LISTEN took effect may be stale; pages only need refreshing after a loss.
                await changes.AssumeMissedAsync(refreshPages: connectedBefore, ct);
                (Listening, connectedBefore, retry) = (true, true, FirstRetry);
                Interlocked.Increment(ref _connections);
                while (true)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Listening = false;
                log.LogWarning(e, "Listening for other instances' changes failed; trying again in {Retry}.", retry);
                try
                {
                    // Wall-clock time: this is about the network, not about the organisation's calendar.
                    await Task.Delay(retry, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
            }
        }
    }

    private void Receive(string payload)
    {
        try
        {
            if (ChangeNotice.FromPayload(payload) is { } notice)
            {
                changes.Apply(notice);
            }
        }
        catch (Exception e)
        {
            log.LogError(e, "Applying another instance's change failed.");
        }
    }

    private async Task SendAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await changes.WaitForQueuedAsync(ct);
                await Task.Delay(InstanceChanges.Coalesce, ct);
                await changes.SendQueuedAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Telling other instances of changes failed.");
            }
        }
    }
}

public static class InstancesExtensions
{
    /// <summary>On PostgreSQL, instances on the same database tell each other of their changes; SQLite has one instance.</summary>
    public static IServiceCollection AddOkapiInstances(this IServiceCollection services, IConfiguration configuration)
    {
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.Provider == DatabaseProvider.Postgres)
        {
            services.AddSingleton<InstanceChanges>();
            services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, ChangeAnnouncer>();
            services.AddSingleton<InstanceListener>();
            services.AddHostedService(sp => sp.GetRequiredService<InstanceListener>());
        }

        return services;
    }
}
