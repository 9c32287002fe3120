using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Okapi.Browser.Tests;

/// <summary>
/// A real HTTP server (Kestrel on a free loopback port) for Okapi to call: it answers a POST (a webhook) with
/// <see cref="Status"/> and a GET (a pull source) with <see cref="Status"/> and <see cref="Json"/>, and counts the requests.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private WebApplication _app = null!;

    public int Status { get; set; } = StatusCodes.Status200OK;
    public string Json { get; set; } = "{}";
    public ConcurrentQueue<string> Requests { get; } = new();
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>"127.0.0.1:port", as an admin allows it past the outbound guard.</summary>
    public string HostAndPort => $"{BaseUrl.Host}:{BaseUrl.Port}";

    public Uri UrlFor(string path) => new(BaseUrl, path);

    public static async Task<LoopbackServer> StartAsync()
    {
        var server = new LoopbackServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        server._app = builder.Build();
        server._app.MapPost("/{**path}", (HttpContext http) => server.Answer(http, json: false));
        server._app.MapGet("/{**path}", (HttpContext http) => server.Answer(http, json: true));
        await server._app.StartAsync();
        server.BaseUrl = new Uri(server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    private IResult Answer(HttpContext http, bool json)
    {
        Requests.Enqueue($"{http.Request.Method} {http.Request.Path}");
        return json && Status < 300 ? Results.Content(Json, "application/json", statusCode: Status) : Results.StatusCode(Status);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>Bounded waits for work the server does in the background, where no page shows it yet.</summary>
public static class Background
{
    public static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited 30 s for {what}.");
            await Task.Delay(100);
        }
    }
}
