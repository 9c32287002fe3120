using System.Net;
using System.Net.Http.Json;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>What does not depend on the database runs on SQLite only.</summary>
public sealed class HostingTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Fact]
    public async Task HealthAndReadinessAnswerOnceTheDatabaseIsMigrated()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var client = app.CreateClient();
        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
        Assert.Contains("\"status\":\"healthy\"", await client.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task ResponsesCarrySecurityHeaders()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var response = await app.CreateClient().GetAsync("/healthz");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task RepeatedSignInAttemptsAreRateLimited()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await client.PostAsJsonAsync("/account/sign-in", new SignInRequest("nobody@okapi.test", "guess number " + i));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}
