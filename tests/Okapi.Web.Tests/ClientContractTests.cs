using System.Net;
using System.Text.Json;
using Okapi.Data;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>What a generated client relies on: conditional GETs, and errors that name fields as the JSON does.</summary>
public sealed class ClientContractTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task AGetByIdWithTheCurrentETagInIfNoneMatchIsNotModifiedAndAStaleOneGetsTheResource(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Revalidated " + Guid.NewGuid().ToString("N")[..6]);
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Cached");
        var keyResult = await app.Admin.CreateKeyResultAsync(objective.Id);

        foreach (var url in new[] { $"/api/v1/objectives/{objective.Id}", $"/api/v1/key-results/{keyResult.Id}", $"/api/v1/teams/{team.Id}", $"/api/v1/cycles/{cycle.Id}" })
        {
            using var first = await app.Admin.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var etag = first.Headers.ETag!.Tag;

            foreach (var ifNoneMatch in new[] { etag, $"W/{etag}", $"\"999\", {etag}", "*" })
            {
                using var revalidated = await GetAsync(app.Admin, url, ifNoneMatch);
                Assert.True(HttpStatusCode.NotModified == revalidated.StatusCode, $"{url} with If-None-Match {ifNoneMatch}: {revalidated.StatusCode}");
                Assert.Equal(etag, revalidated.Headers.ETag?.Tag);
                Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
            }

            using var stale = await GetAsync(app.Admin, url, "\"999\"");
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            Assert.Equal(etag, stale.Headers.ETag?.Tag);
            Assert.NotEmpty(await stale.Content.ReadAsByteArrayAsync());
        }

        // After a change the old tag no longer matches.
        var changed = await app.Admin.PutAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}",
            new ObjectiveRequest("Changed", null, cycle.Id, team.Id, null, null, null, null), $"\"{objective.Version}\"");
        using var afterChange = await GetAsync(app.Admin, $"/api/v1/objectives/{objective.Id}", $"\"{objective.Version}\"");
        Assert.Equal(HttpStatusCode.OK, afterChange.StatusCode);
        Assert.Equal($"\"{changed.Version}\"", afterChange.Headers.ETag?.Tag);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ValidationErrorsAreKeyedByTheJsonPropertyNames(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Named " + Guid.NewGuid().ToString("N")[..6]);

        using var objective = await app.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/objectives", $$"""{"title":"","cycleId":"{{cycle.Id}}","ownerTeamId":"{{team.Id}}"}""");
        var errors = (await Api.AssertProblemAsync(objective, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal(["title"], errors.EnumerateObject().Select(e => e.Name));

        using var cycleWithoutName = await app.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/cycles", """{"name":"","start":"2027-04-01","end":"2027-06-30"}""");
        var cycleErrors = (await Api.AssertProblemAsync(cycleWithoutName, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Contains("name", cycleErrors.EnumerateObject().Select(e => e.Name));
        Assert.DoesNotContain(cycleErrors.EnumerateObject(), e => char.IsUpper(e.Name[0]));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ABadEnumValueNamesTheFieldAndTheValuesItTakesNeverADotNetType(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Enums " + Guid.NewGuid().ToString("N")[..6]);

        using var body = await app.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/objectives",
            $$"""{"title":"Enums","cycleId":"{{cycle.Id}}","ownerTeamId":"{{team.Id}}","visibility":"secret"}""");
        var problem = await Api.AssertProblemAsync(body, HttpStatusCode.BadRequest);
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("visibility").EnumerateArray()).GetString()!;
        Assert.Contains("'secret'", message);
        Assert.Contains("public", message);
        Assert.Contains("private", message);
        NamesNoDotNetType(problem);

        using var query = await app.Admin.GetAsync("/api/v1/objectives?state=bogus");
        var queryProblem = await Api.AssertProblemAsync(query, HttpStatusCode.BadRequest);
        Assert.Contains("'bogus'", Assert.Single(queryProblem.GetProperty("errors").GetProperty("state").EnumerateArray()).GetString());
        NamesNoDotNetType(queryProblem);

        Assert.Equal(0, (await app.Admin.GetAsync<JsonElement>($"/api/v1/objectives?cycle={cycle.Id}&team={team.Id}")).GetProperty("total").GetInt32());
    }

    private static void NamesNoDotNetType(JsonElement problem)
    {
        var text = problem.GetRawText();
        foreach (var leak in new[] { "Okapi.", "System.", "Nullable", "EnumQuery", "Visibility", "ObjectiveState" })
        {
            Assert.DoesNotContain(leak, text);
        }
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string ifNoneMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return client.SendAsync(request);
    }
}
