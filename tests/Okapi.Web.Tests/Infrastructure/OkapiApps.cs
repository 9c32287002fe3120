using System.Collections.Concurrent;
using Okapi.Data;

namespace Okapi.Web.Tests.Infrastructure;

/// <summary>
/// A test class's apps, one per database provider: each is started the first time a test of the class asks for its
/// provider and kept until the class is done, so every provider gets a database of its own per class. A variant (demo
/// data, an SMTP listener, …) is a subclass that sets <see cref="Options"/>, never one class per provider.
/// </summary>
public class OkapiApps : IAsyncLifetime
{
    private readonly PerProvider<OkapiApp> _apps;
    private readonly ConcurrentQueue<OkapiApp> _created = new();

    public OkapiApps() => _apps = new PerProvider<OkapiApp>(StartNewAsync);

    protected virtual AppOptions Options => new();

    public Task<OkapiApp> StartAsync(DatabaseProvider provider) => _apps.GetAsync(provider);

    private async Task<OkapiApp> StartNewAsync(DatabaseProvider provider)
    {
        var app = new OkapiApp(provider, Options);
        _created.Enqueue(app);
        await app.InitializeAsync();
        return app;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var app in _created)
        {
            await app.DisposeAsync();
        }
    }
}

/// <summary>Okapi started with the demo organisation.</summary>
public sealed class DemoApps : OkapiApps
{
    protected override AppOptions Options => new() { Demo = true };
}

/// <summary>Okapi with <c>Okapi:Smtp</c> pointing at a real SMTP listener on a free loopback port.</summary>
public sealed class SmtpApps : OkapiApps
{
    protected override AppOptions Options => new() { WithSmtp = true };
}

/// <summary>Okapi on a real loopback port, for clients in another process.</summary>
public sealed class RealPortApps : OkapiApps
{
    protected override AppOptions Options => new() { OnRealPort = true };
}

/// <summary>
/// One value per database provider, made on first use and kept: a failed start fails every test that asks for that
/// provider rather than being retried by each.
/// </summary>
public sealed class PerProvider<T>(Func<DatabaseProvider, Task<T>> make)
{
    private readonly ConcurrentDictionary<DatabaseProvider, Lazy<Task<T>>> _values = new();

    public Task<T> GetAsync(DatabaseProvider provider) => _values.GetOrAdd(provider, p => new Lazy<Task<T>>(() => make(p))).Value;
}
