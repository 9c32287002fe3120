using System.Diagnostics;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

public sealed class CommandLineTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task CreateTokenPrintsOnlyATokenThatWorksWithTheApi()
    {
        var (exit, output, error) = await RunAsync("create-token", "--name", "ci", "--scope", "admin");
        Assert.True(exit == 0, error);
        var token = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
        Assert.StartsWith("okapi_", token);

        using var client = app.WithToken(token);
        var me = await client.GetAsync<PersonDto>("/api/v1/people/me");
        Assert.Equal(app.AdminId, me.Id);
    }

    [Fact]
    public async Task CreateTokenRefusesAnUnknownScope()
    {
        var (exit, output, error) = await RunAsync("create-token", "--name", "ci", "--scope", "everything");
        Assert.Equal(2, exit);
        Assert.Empty(output.Trim());
        Assert.Contains("Unknown scope", error);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var assembly = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(assembly)! };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Okapi__Database__Provider"] = "Sqlite";
        start.Environment["Okapi__Database__ConnectionString"] = app.ConnectionString;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
