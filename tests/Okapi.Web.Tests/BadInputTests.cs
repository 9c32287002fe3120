using System.Net;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>Bad input gets a 4xx problem detail and stores nothing; never a 500.</summary>
public sealed class BadInputTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private async Task<(Guid Cycle, Guid Team, Guid Objective)> SetUpAsync(OkapiApp app)
    {
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Input");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        return (cycle.Id, team.Id, objective.Id);
    }

    private Task<(int Objectives, int KeyResults, int CheckIns, int Links)> CountsAsync(OkapiApp app) => app.QueryAsync(async db =>
        (await db.Objectives.CountAsync(), await db.KeyResults.CountAsync(), await db.CheckIns.CountAsync(), await db.ObjectiveLinks.CountAsync()));

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "/api/v1/objectives", "{\"title\": \"Unclosed\"" },
        { "/api/v1/objectives", "not json at all" },
        { "/api/v1/objectives", "{\"title\": \"Wrong state\", \"cycleId\": \"{cycle}\", \"ownerTeamId\": \"{team}\", \"state\": \"sleeping\"}" },
        { "/api/v1/objectives", "{\"title\": \"Numeric enum\", \"cycleId\": \"{cycle}\", \"ownerTeamId\": \"{team}\", \"visibility\": 1}" },
        { "/api/v1/objectives", "{\"title\": 42, \"cycleId\": \"{cycle}\", \"ownerTeamId\": \"{team}\"}" },
        { "/api/v1/objectives", "{\"title\": \"Bad id\", \"cycleId\": \"not-a-guid\", \"ownerTeamId\": \"{team}\"}" },
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"NaN start\", \"type\": \"increaseTo\", \"start\": NaN, \"target\": 10}" },
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"NaN as text\", \"type\": \"increaseTo\", \"start\": \"NaN\", \"target\": 10}" },
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"Infinity\", \"type\": \"increaseTo\", \"start\": 0, \"target\": 1e999}" },
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"Unknown type\", \"type\": \"doubleIt\", \"start\": 0, \"target\": 10}" },
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"Start equals target\", \"type\": \"increaseTo\", \"start\": 10, \"target\": 10}" },
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"Wrong direction\", \"type\": \"decreaseTo\", \"start\": 1, \"target\": 10}" },
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"\", \"type\": \"increaseTo\", \"start\": 0, \"target\": 10}" },
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"Zero weight\", \"type\": \"increaseTo\", \"start\": 0, \"target\": 10, \"weight\": 0}" },
        { "/api/v1/key-results", "{\"objectiveId\": \"00000000-0000-0000-0000-000000000001\", \"title\": \"No such objective\", \"type\": \"increaseTo\", \"start\": 0, \"target\": 10}" },
        { "/api/v1/cycles", "{\"name\": \"Backwards\", \"start\": \"2027-03-31\", \"end\": \"2027-01-01\", \"kind\": \"quarter\"}" },
        { "/api/v1/cycles", "{\"name\": \"Not a date\", \"start\": \"31/03/2027\", \"end\": \"2027-01-01\", \"kind\": \"quarter\"}" },
        { "/api/v1/people", "{\"name\": \"No email\", \"email\": \"nobody\", \"role\": \"member\"}" },
        { "/api/v1/people", "{\"name\": \"Bad role\", \"email\": \"bad@role.test\", \"role\": \"owner\"}" },
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"Null checklist item\", \"type\": \"milestone\", \"start\": 0, \"target\": 1, \"checklist\": [null]}" },
        { "/api/v1/teams", "{\"name\": \"Null member\", \"members\": [null]}" },
        { "/api/v1/teams", "{\"name\": \"NUL\\u0000team\"}" },
        { "/api/v1/objectives", "{\"title\": \"NUL\\u0000title\", \"cycleId\": \"{cycle}\", \"ownerTeamId\": \"{team}\"}" },
        { "/api/v1/people", "{\"name\": \"Long email\", \"email\": \"" + new string('a', 250) + "@example.test\", \"role\": \"member\"}" },
    };

    [Theory]
    [OnEveryDatabase(MemberName = nameof(MalformedBodies))]
    public async Task MalformedOrInvalidBodiesGetA400ProblemAndStoreNothing(DatabaseProvider provider, string url, string body)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, objective) = await SetUpAsync(app);
        var before = await CountsAsync(app);
        var people = await app.QueryAsync(db => db.People.CountAsync());
        var cycles = await app.QueryAsync(db => db.Cycles.CountAsync());

        var json = body.Replace("{cycle}", cycle.ToString()).Replace("{team}", team.ToString()).Replace("{objective}", objective.ToString());
        using var response = await app.Admin.SendRawAsync(HttpMethod.Post, url, json);
        await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);

        Assert.Equal(before, await CountsAsync(app));
        Assert.Equal(people, await app.QueryAsync(db => db.People.CountAsync()));
        Assert.Equal(cycles, await app.QueryAsync(db => db.Cycles.CountAsync()));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ANullTagIsIgnoredRatherThanFailing(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, _) = await SetUpAsync(app);
        using var response = await app.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/objectives",
            $"{{\"title\": \"Null tags\", \"cycleId\": \"{cycle}\", \"ownerTeamId\": \"{team}\", \"tags\": [null, \"growth\"]}}");
        var created = await Api.ReadAsync<ObjectiveDto>(response, HttpStatusCode.Created);
        Assert.Equal(["growth"], created.Tags);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ATitleOfTenThousandCharactersIsRefused(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, objective) = await SetUpAsync(app);
        var before = await CountsAsync(app);
        using var create = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/objectives",
            new ObjectiveRequest(new string('x', 10_000), null, cycle, team, null, null, null, null));
        var problem = await Api.AssertProblemAsync(create, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Title", out _) || problem.GetProperty("errors").TryGetProperty("title", out _), problem.ToString());

        using var update = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{objective}",
            new ObjectiveRequest(new string('x', 10_000), null, cycle, team, null, null, null, null));
        await Api.AssertProblemAsync(update, HttpStatusCode.BadRequest);
        Assert.Equal(before, await CountsAsync(app));
        Assert.Equal("Delight our customers", (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective}")).Title);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnAlignmentLinkThatWouldCloseALoopIsRefused(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, top) = await SetUpAsync(app);
        var middle = await app.Admin.CreateObjectiveAsync(cycle, team, "Middle");
        var bottom = await app.Admin.CreateObjectiveAsync(cycle, team, "Bottom");
        var bottomKr = await app.Admin.CreateKeyResultAsync(bottom.Id);
        await app.Admin.PostAsync<AlignmentLinkDto>($"/api/v1/objectives/{middle.Id}/parents", new AlignmentLinkRequest(top, null, null, null));
        await app.Admin.PostAsync<AlignmentLinkDto>($"/api/v1/objectives/{bottom.Id}/parents", new AlignmentLinkRequest(middle.Id, null, null, null));
        var before = await CountsAsync(app);

        foreach (var request in new[]
        {
            new AlignmentLinkRequest(bottom.Id, null, null, null),
            new AlignmentLinkRequest(null, bottomKr.Id, null, null),
        })
        {
            using var loop = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/objectives/{top}/parents", request);
            var problem = await Api.AssertProblemAsync(loop, HttpStatusCode.BadRequest);
            Assert.Contains("loop", problem.ToString());
        }

        using var self = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/objectives/{top}/parents", new AlignmentLinkRequest(top, null, null, null));
        await Api.AssertProblemAsync(self, HttpStatusCode.BadRequest);
        Assert.Equal(before, await CountsAsync(app));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ACheckInWithANonFiniteOrFutureValueIsRefused(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (_, _, objective) = await SetUpAsync(app);
        var kr = await app.Admin.CreateKeyResultAsync(objective);
        var before = await CountsAsync(app);
        using var nan = await app.Admin.SendRawAsync(HttpMethod.Post, $"/api/v1/key-results/{kr.Id}/check-ins", "{\"value\": NaN}");
        await Api.AssertProblemAsync(nan, HttpStatusCode.BadRequest);
        using var future = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{kr.Id}/check-ins",
            new CheckInRequest(40, null, null, app.Clock.GetUtcNow().AddDays(3)));
        await Api.AssertProblemAsync(future, HttpStatusCode.BadRequest);
        using var confidence = await app.Admin.SendRawAsync(HttpMethod.Post, $"/api/v1/key-results/{kr.Id}/check-ins", "{\"value\": 40, \"confidence\": \"certain\"}");
        await Api.AssertProblemAsync(confidence, HttpStatusCode.BadRequest);
        Assert.Equal(before, await CountsAsync(app));
        Assert.Equal(30, (await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}")).Current);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task UnknownIdsAndBadQueryValuesGetProblemsNotServerErrors(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await Api.AssertProblemAsync(await app.Admin.GetAsync($"/api/v1/objectives/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await Api.AssertProblemAsync(await app.Admin.GetAsync("/api/v1/objectives?state=sleeping"), HttpStatusCode.BadRequest);
        await Api.AssertProblemAsync(await app.Admin.GetAsync("/api/v1/objectives?cycle=nope"), HttpStatusCode.BadRequest);
        await Api.AssertProblemAsync(await app.Admin.GetAsync("/api/v1/objectives?page=abc"), HttpStatusCode.BadRequest);
        Assert.Empty((await app.Admin.GetAsync<Okapi.Web.Infrastructure.Page<ObjectiveDto>>("/api/v1/objectives?page=2147483647")).Items);
        var huge = await app.Admin.GetAsync<Okapi.Web.Infrastructure.Page<ObjectiveDto>>("/api/v1/objectives?pageSize=100000&page=-3");
        Assert.Equal(Okapi.Web.Infrastructure.PageRequest.MaxPageSize, huge.PageSize);
        Assert.Equal(1, huge.PageNumber);
    }
}
