using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>Overload is the server's state, not the request's fault: it is told as such, never as a 500.</summary>
public sealed class DatabaseBusyTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Fact]
    public async Task ARequestThatFindsNoFreeDatabaseConnectionGets503WithRetryAfterAndChangesNothing()
    {
        var app = await apps.StartAsync(DatabaseProvider.Postgres);
        await using var busy = app.SecondInstance(connectionOptions: "Maximum Pool Size=1;Timeout=1");
        await busy.InitializeAsync();
        var teamsBefore = await app.QueryAsync(db => db.Teams.CountAsync());

        // The instance's only connection is taken, as by a long report or a burst of requests.
        await using var scope = busy.Services.CreateAsyncScope();
        var holder = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        await holder.Database.OpenConnectionAsync();
        using var response = await busy.Admin.PostAsJsonAsync("/api/v1/teams", new { name = "Waited too long" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        await holder.Database.CloseConnectionAsync();
        Assert.Equal(teamsBefore, await app.QueryAsync(db => db.Teams.CountAsync()));
    }
}
