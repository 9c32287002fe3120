using Microsoft.EntityFrameworkCore;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>The commands run as their own process against the app's database, on every provider.</summary>
public sealed class CommandLineTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task CreateTokenPrintsOnlyATokenThatWorksWithTheApi(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (exit, output, error) = await RunAsync(app, "create-token", "--name", "ci", "--scope", "admin");
        Assert.True(exit == 0, error);
        var token = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
        Assert.StartsWith("okapi_", token);

        using var client = app.WithToken(token);
        var me = await client.GetAsync<PersonDto>("/api/v1/people/me");
        Assert.Equal(app.AdminId, me.Id);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task CreateTokenRefusesAnUnknownScope(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (exit, output, error) = await RunAsync(app, "create-token", "--name", "ci", "--scope", "everything");
        Assert.Equal(2, exit);
        Assert.Empty(output.Trim());
        Assert.Contains("Unknown scope", error);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task CreateTokenGivesAViewerNoWriteToken(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var viewer = await app.Admin.CreatePersonAsync("Vera Viewer", Role.Viewer);
        var (exit, output, error) = await RunAsync(app, "create-token", "--name", "ci", "--email", viewer.Email, "--scope", "read", "--scope", "write");
        Assert.Equal(2, exit);
        Assert.Empty(output.Trim());
        Assert.Contains("'write'", error);
        Assert.Equal(0, await app.QueryAsync(db => db.ApiTokens.CountAsync(t => t.PersonId == viewer.Id)));

        (exit, output, error) = await RunAsync(app, "create-token", "--name", "ci", "--email", viewer.Email, "--scope", "kpi:ingest");
        Assert.Equal(2, exit);
        Assert.Empty(output.Trim());
        Assert.Equal(0, await app.QueryAsync(db => db.ApiTokens.CountAsync(t => t.PersonId == viewer.Id)));

        (exit, output, error) = await RunAsync(app, "create-token", "--name", "ci", "--email", viewer.Email, "--scope", "read");
        Assert.True(exit == 0, error);
        using var client = app.WithToken(output.Trim());
        Assert.Equal(viewer.Id, (await client.GetAsync<PersonDto>("/api/v1/people/me")).Id);
    }

    private static Task<(int Exit, string Output, string Error)> RunAsync(OkapiApp app, params string[] args) =>
        OkapiCommand.RunAsync(app.Provider, app.ConnectionString, args);
}
