using System.Net;
using System.Text.Json;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>What a generated client relies on: conditional GETs, and errors that name fields as the JSON does.</summary>
public sealed class ClientContractTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
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
}
