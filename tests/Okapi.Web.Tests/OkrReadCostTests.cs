using System.Net;
using System.Net.Http.Json;
using Okapi.Core.Access;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Home;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>
/// What one team or one person sees costs the same number of SQL statements whatever the size of the organisation
/// around them: other teams, other people, their objectives and every check-in.
/// </summary>
public sealed class OkrReadCostTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private const string Password = "a-long-password-1";

    [Theory]
    [OnEveryDatabase]
    public async Task TheTeamPageTheTeamsObjectivesAndTheFocusCostTheSameStatementsWhenTheOrganisationGrows(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync($"Cost {Guid.NewGuid():N}");
        var email = $"mia.{Guid.NewGuid():N}@okapi.test";
        var member = await app.Admin.PostAsync<PersonDto>("/api/v1/people", new PersonRequest("Mia Member", email, Role.Member, null, Password));
        var team = await app.Admin.CreateTeamAsync($"Shown {Guid.NewGuid():N}", new TeamMemberDto(member.Id, IsLead: true));
        var shown = new List<KeyResultDto>();
        for (var i = 0; i < 2; i++)
        {
            var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, $"Shown objective {i}");
            shown.Add(await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results",
                new KeyResultRequest(objective.Id, $"Shown key result {i}", member.Id, KeyResultType.IncreaseTo, "%", 0, 100, null, null, null, null, null)));
            await CheckInAsync(app, shown[^1].Id, 10);
        }

        using var api = await app.ClientForAsync(member.Id, TokenScope.Read);
        using var browser = app.CreateClient(new() { HandleCookies = true });
        using (var signIn = await browser.PostAsJsonAsync("/account/sign-in", new SignInRequest(email, Password)))
        {
            Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        }

        var objectivesUrl = $"/api/v1/objectives?team={team.Id}&cycle={cycle.Id}";
        var pageUrl = $"/okrs/team/{team.Id}";
        // First uses write once (a token's last use), which is not what is measured.
        Assert.Equal(2, (await api.GetAsync<Page<ObjectiveDto>>(objectivesUrl)).Items.Count);
        Assert.Contains("Shown key result 1", await browser.GetStringAsync(pageUrl));
        var (objectives, page, focus) = (await FewestStatementsAsync(app, api, objectivesUrl),
            await FewestStatementsAsync(app, browser, pageUrl), await FewestStatementsAsync(app, api, "/api/v1/me/focus"));

        // The organisation grows around the team: more teams and people with objectives, key results and
        // check-ins of their own, and more check-ins on the team's key results.
        for (var i = 0; i < 6; i++)
        {
            var person = await app.Admin.CreatePersonAsync($"Other Person {i}", Role.Member);
            var other = await app.Admin.CreateTeamAsync($"Other {i} {Guid.NewGuid():N}", new TeamMemberDto(person.Id, IsLead: i % 2 == 0));
            for (var j = 0; j < 2; j++)
            {
                var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, other.Id, $"Other objective {i}.{j}");
                var kr = await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results",
                    new KeyResultRequest(objective.Id, $"Other key result {i}.{j}", person.Id, KeyResultType.IncreaseTo, "%", 0, 100, null, null, null, null, null));
                await CheckInAsync(app, kr.Id, 20);
            }
        }

        foreach (var kr in shown)
        {
            for (var value = 20; value <= 60; value += 10)
            {
                await CheckInAsync(app, kr.Id, value);
            }
        }

        Assert.Equal(objectives.Count, (await FewestStatementsAsync(app, api, objectivesUrl)).Count);
        Assert.Equal(focus.Count, (await FewestStatementsAsync(app, api, "/api/v1/me/focus")).Count);
        // The page's first renders may still pay a one-time cost (a cache's first fill); it must never cost more after growth.
        Assert.InRange((await FewestStatementsAsync(app, browser, pageUrl)).Count, 1, page.Count);

        // What was counted is the real thing: the page shows the team's key results, the focus their latest check-ins.
        Assert.Contains("Shown key result 1", await browser.GetStringAsync(pageUrl));
        Assert.All((await api.GetAsync<Focus>("/api/v1/me/focus")).MyKeyResults, k => Assert.Equal(60, k.Current));
    }

    /// <summary>
    /// A request's statements, fewest of three: now and then a render also runs a reload that the live page started,
    /// and a request the first use of a cached item (a few statements more, whatever the organisation's size), which
    /// says nothing about growth.
    /// </summary>
    [Theory]
    [OnEveryDatabase]
    public async Task AnObjectiveOrKeyResultFetchedByIdCostsTheSameStatementsWhateverItsNumberOfInitiatives(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync($"Initiative cost {Guid.NewGuid():N}");
        var team = await app.Admin.CreateTeamAsync($"Initiative cost {Guid.NewGuid():N}");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var kr = await app.Admin.CreateKeyResultAsync(objective.Id);
        await app.Admin.PostAsync<InitiativeDto>("/api/v1/initiatives", new InitiativeRequest(objective.Id, kr.Id, "The first initiative", null, InitiativeState.Todo, null));
        var objectiveUrl = $"/api/v1/objectives/{objective.Id}";
        var keyResultUrl = $"/api/v1/key-results/{kr.Id}";
        var (fewObjective, fewKeyResult) = (await FewestStatementsAsync(app, app.Admin, objectiveUrl), await FewestStatementsAsync(app, app.Admin, keyResultUrl));

        for (var i = 0; i < 6; i++)
        {
            await app.Admin.PostAsync<InitiativeDto>("/api/v1/initiatives", new InitiativeRequest(objective.Id, kr.Id, $"Initiative {i}", null, InitiativeState.Todo, null));
        }

        Assert.Equal(7, (await app.Admin.GetAsync<ObjectiveDto>(objectiveUrl)).Initiatives!.Count);
        Assert.Equal(fewObjective.Count, (await FewestStatementsAsync(app, app.Admin, objectiveUrl)).Count);
        Assert.Equal(fewKeyResult.Count, (await FewestStatementsAsync(app, app.Admin, keyResultUrl)).Count);
    }

    private static async Task<IReadOnlyList<string>> FewestStatementsAsync(OkapiApp app, HttpClient browser, string url)
    {
        var runs = new List<IReadOnlyList<string>>();
        for (var i = 0; i < 3; i++)
        {
            // The caller stays remembered: who calls is not what grows with the organisation, and a page that loads the
            // caller twice sometimes reads them twice when a save in between (a sign-in's, a first use's) clears the cache.
            runs.Add(await app.StatementsOfAsync(browser, c => c.GetAsync(url), callerRemembered: true));
        }

        return runs.MinBy(r => r.Count)!;
    }

    private static Task<KeyResultDto> CheckInAsync(OkapiApp app, Guid keyResultId, double value) =>
        app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{keyResultId}/check-ins", new CheckInRequest(value, Confidence.OnTrack, null, app.Clock.GetUtcNow().AddMinutes(value - 100)));
}
