using System.Net;
using Okapi.Data;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>If-Match as RFC 9110 reads it: <c>*</c> or a list of entity tags, any of which may match; anything else is a bad request.</summary>
public sealed class IfMatchTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task AMalformedIfMatchIsABadRequestAndNothingChanges(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Preconditions " + Guid.NewGuid().ToString("N")[..6]);
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Unchanged");
        var request = new ObjectiveRequest("Changed", null, cycle.Id, team.Id, null, null, null, null);
        foreach (var header in new[] { $"\"{objective.Version}", $"{objective.Version}", $"\"{objective.Version}\" x", $"\"{objective.Version}\", *", "W/", "," })
        {
            using var put = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{objective.Id}", request, header);
            var problem = await Api.AssertProblemAsync(put, HttpStatusCode.BadRequest);
            Assert.Contains("If-Match", problem.GetProperty("detail").GetString());
            using var delete = await app.Admin.SendJsonAsync(HttpMethod.Delete, $"/api/v1/objectives/{objective.Id}", null, header);
            await Api.AssertProblemAsync(delete, HttpStatusCode.BadRequest);
        }

        var unchanged = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}");
        Assert.Equal("Unchanged", unchanged.Title);
        Assert.Equal(objective.Version, unchanged.Version);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task EveryTagInIfMatchIsComparedAndAStarMatchesAny(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Preconditions " + Guid.NewGuid().ToString("N")[..6]);
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "First");
        var request = new ObjectiveRequest("Second", null, cycle.Id, team.Id, null, null, null, null);
        var v = objective.Version;

        using var none = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{objective.Id}", request, $"\"{v + 5}\", \"{v + 6}\", \"not-ours\"");
        await Api.AssertProblemAsync(none, HttpStatusCode.PreconditionFailed);

        using var later = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{objective.Id}", request, $"\"{v + 5}\", \"{v}\"");
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);

        using var star = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{objective.Id}", request with { Title = "Third" }, "*");
        Assert.Equal(HttpStatusCode.OK, star.StatusCode);
        Assert.Equal("Third", (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}")).Title);
    }
}
