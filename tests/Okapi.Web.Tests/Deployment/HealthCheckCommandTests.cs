using System.Diagnostics;
using System.Globalization;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Deployment;

/// <summary>
/// <c>Okapi.Web healthcheck</c>, the container image's health check, asks a running server's <c>/healthz</c> from a
/// process of its own. It touches no database, so one provider is enough.
/// </summary>
public sealed class HealthCheckCommandTests(RealPortApps apps) : IClassFixture<RealPortApps>
{
    [Fact]
    public async Task ExitsZeroWhenTheServerOnTheConfiguredPortAnswersHealthz()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        var port = app.BaseUrl.Port.ToString(CultureInfo.InvariantCulture);

        var (exit, output) = await RunAsync(new() { ["ASPNETCORE_HTTP_PORTS"] = port }, "healthcheck");

        Assert.True(exit == 0, output);
        Assert.Contains($"http://127.0.0.1:{port}/healthz: 200", output);
    }

    [Fact]
    public async Task ExitsZeroForAGivenUrlThatAnswersAndOneForAPathThatDoesNot()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);

        var (exit, output) = await RunAsync([], "healthcheck", "--url", new Uri(app.BaseUrl, "/healthz").ToString());
        Assert.True(exit == 0, output);

        (exit, output) = await RunAsync([], "healthcheck", "--url", new Uri(app.BaseUrl, "/no-such-page").ToString());
        Assert.True(exit == 1, output);
        Assert.Contains(": 404", output);
    }

    [Fact]
    public async Task ExitsOneWhenNothingListens()
    {
        var port = Listening.FreePort().ToString(CultureInfo.InvariantCulture);

        var (exit, output) = await RunAsync(new() { ["ASPNETCORE_HTTP_PORTS"] = port }, "healthcheck");

        Assert.True(exit == 1, output);
        Assert.Contains($"http://127.0.0.1:{port}/healthz:", output);
    }

    [Fact]
    public async Task ExitsOneForAUrlItCannotAsk()
    {
        var (exit, output) = await RunAsync([], "healthcheck", "--url", "ftp://127.0.0.1/healthz");

        Assert.True(exit == 1, output);
        Assert.Contains("ftp://127.0.0.1/healthz:", output);
    }

    private static async Task<(int Exit, string Output)> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var assembly = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A data folder of its own, so that nothing is created beside the test assembly.
        var folder = Directory.CreateTempSubdirectory("okapi-healthcheck-").FullName;
        start.WorkingDirectory = folder;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output + await error);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
