using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Okapi.Web.Tests.Infrastructure;

/// <summary>A real SMTP server (the SmtpServer package) that keeps every message it receives.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public const string PublicUrl = "https://okapi.example";
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    public int Port { get; } = Listening.FreePort();
    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    public void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Okapi:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Okapi:Smtp:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Okapi:Smtp:Security", "None");
        builder.UseSetting("Okapi:Smtp:From", "Okapi <okapi@okapi.test>");
        builder.UseSetting("Okapi:PublicUrl", PublicUrl);
    }

    public async Task StartAsync()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
        await Listening.UntilAcceptingAsync(Port);
    }

    public Task<MimeMessage> WaitForAsync(Func<MimeMessage, bool> match) =>
        Eventually.FindAsync(() => Messages.FirstOrDefault(match), "an email matching the test's condition");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await Task.WhenAny(_running, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            sink.Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>One request a <see cref="WebhookListener"/> received: its headers as sent, and its body as the raw bytes read as UTF-8.</summary>
public sealed record ReceivedRequest(string Path, string? ContentType, string? Event, string? DeliveryId, string Body, IHeaderDictionary Headers);

/// <summary>A real HTTP server (Kestrel on a free loopback port) that records every POST and answers with <see cref="Status"/>.</summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private WebApplication _app = null!;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>The status code the next requests get; change it to make the endpoint fail or recover.</summary>
    public int Status { get; set; } = StatusCodes.Status200OK;
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>"127.0.0.1:port", as an admin allows it.</summary>
    public string HostAndPort => $"{BaseUrl.Host}:{BaseUrl.Port}";

    public Uri UrlFor(string path) => new(BaseUrl, path);

    public static async Task<WebhookListener> StartAsync()
    {
        var listener = new WebhookListener();
        (listener._app, listener.BaseUrl) = await Listening.StartHttpAsync(app => app.MapPost("/{**path}", listener.RecordAsync));
        return listener;
    }

    private async Task RecordAsync(HttpContext http)
    {
        using var raw = new MemoryStream();
        await http.Request.Body.CopyToAsync(raw);
        var body = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(raw.ToArray());
        var headers = new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
        Requests.Enqueue(new ReceivedRequest(http.Request.Path, http.Request.ContentType,
            http.Request.Headers["X-Okapi-Event"].FirstOrDefault(), http.Request.Headers["X-Okapi-Delivery"].FirstOrDefault(), body, headers));
        http.Response.StatusCode = Status;
    }

    public Task<ReceivedRequest> WaitForAsync(string path, int count = 1) =>
        Eventually.FindAsync(() => Requests.Where(r => r.Path == path).Skip(count - 1).FirstOrDefault(), $"request number {count} to {path}");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public static class Listening
{
    /// <summary>Starts a real HTTP server (Kestrel on a free loopback port) with the endpoints <paramref name="map"/> adds.</summary>
    public static async Task<(WebApplication App, Uri BaseUrl)> StartHttpAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static Task UntilAcceptingAsync(int port) => Eventually.FindAsync(async () =>
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return "accepting";
        }
        catch (SocketException)
        {
            return null;
        }
    }, $"a listener on port {port}");
}

/// <summary>Bounded polling for work that happens over real network I/O: no fixed sleeps, a clear failure on timeout.</summary>
public static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static Task<T> FindAsync<T>(Func<T?> find, string what) where T : class => FindAsync(() => Task.FromResult(find()), what);

    public static async Task<T> FindAsync<T>(Func<Task<T?>> find, string what) where T : class
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            if (await find() is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited {Timeout.TotalSeconds} s for {what}; it did not come.");
            }

            await Task.Delay(20);
        }
    }
}
