using System.Net;
using System.Net.Http.Json;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Closing;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Closing;

/// <summary>A close freezes what it graded: every write to a closed objective or into a closed cycle is a conflict.</summary>
public sealed class ClosedIsReadOnlyTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private sealed record World(Guid CycleId, string CycleName, Guid TeamId, ObjectiveDto Objective, KeyResultDto KeyResult, CheckInDto CheckIn,
        InitiativeDto Initiative, AlignmentLinkDto Link, ObjectiveDto Open);

    /// <summary>A cycle with a team's objective (a key result with a check-in, an initiative, aligned to another team's open objective).</summary>
    private static async Task<World> ArrangeAsync(OkapiApp app, string name)
    {
        var team = await app.Admin.CreateTeamAsync(name);
        var cycle = await app.Admin.CreateCycleAsync($"{name} Q1");
        var open = await app.Admin.CreateObjectiveAsync(cycle.Id, (await app.Admin.CreateTeamAsync($"{name} others")).Id, $"{name} others grow");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, $"{name} delights customers");
        var kr = await app.Admin.CreateKeyResultAsync(objective.Id, "Raise satisfaction from 30 to 100", 30, 100);
        using var checkedIn = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(67, Confidence.OnTrack, null, null));
        Assert.Equal(HttpStatusCode.Created, checkedIn.StatusCode);
        var checkIn = (await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins")).Items.Single();
        var initiative = await app.Admin.PostAsync<InitiativeDto>("/api/v1/initiatives", new InitiativeRequest(objective.Id, kr.Id, "Call ten customers", null, null, null));
        var link = await app.Admin.PostAsync<AlignmentLinkDto>($"/api/v1/objectives/{objective.Id}/parents", new AlignmentLinkRequest(open.Id, null, null, null));
        return new World(cycle.Id, cycle.Name, team.Id, await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}"),
            await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}"), checkIn, initiative, link, open);
    }

    private static async Task CloseForTeamAsync(OkapiApp app, World w) =>
        await app.Admin.PostAsync<ClosingDto>($"/api/v1/cycles/{w.CycleId}/closings", new CloseRequest(w.TeamId, null, null, null, null));

    private static async Task AssertClosedAsync(HttpResponseMessage response, string because)
    {
        using (response)
        {
            var problem = await Api.AssertProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Equal(because, problem.GetProperty("detail").GetString());
        }
    }

    private static KeyResultRequest Edit(KeyResultDto k, double target) =>
        new(k.ObjectiveId, k.Title, k.OwnerPersonId, k.Type, k.Unit, k.Start, target, null, null, k.Weight, k.UpdateRhythmDays, null);

    private static ObjectiveRequest Edit(ObjectiveDto o, string title, Guid? cycleId = null, Guid? teamId = null) =>
        new(title, o.Description, cycleId ?? o.CycleId, teamId ?? o.OwnerTeamId, o.OwnerPersonId, o.State, o.Visibility, [.. o.Tags]);

    [Theory]
    [OnEveryDatabase]
    public async Task AfterATeamsCloseEveryWriteToItsObjectivesIsAConflictAndChangesNothing(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var w = await ArrangeAsync(app, "Frozen");
        await CloseForTeamAsync(app, w);
        var closed = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{w.Objective.Id}");
        var kr = await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{w.KeyResult.Id}");
        var why = $"The objective was closed with the cycle {w.CycleName}; it is read-only.";
        var a = app.Admin;

        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(90, Confidence.OnTrack, null, null)), why);
        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Delete, $"/api/v1/key-results/{kr.Id}/check-ins/{w.CheckIn.Id}", null), why);
        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Put, $"/api/v1/key-results/{kr.Id}", Edit(kr, 80), $"\"{kr.Version}\""), why);
        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Delete, $"/api/v1/key-results/{kr.Id}", null), why);
        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Post, "/api/v1/key-results", Edit(kr, 80)), why);
        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{closed.Id}", Edit(closed, "Renamed"), $"\"{closed.Version}\""), why);
        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Delete, $"/api/v1/objectives/{closed.Id}", null), why);
        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Post, "/api/v1/initiatives", new InitiativeRequest(closed.Id, null, "One more", null, null, null)), why);
        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Put, $"/api/v1/initiatives/{w.Initiative.Id}",
            new InitiativeRequest(closed.Id, kr.Id, "Call ten customers", null, InitiativeState.Done, null), $"\"{w.Initiative.Version}\""), why);
        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Delete, $"/api/v1/initiatives/{w.Initiative.Id}", null), why);
        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Delete, $"/api/v1/objectives/{closed.Id}/parents/{w.Link.Id}", null), why);
        // Aligning an open objective to the closed one would move the closed one's rollup.
        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Post, $"/api/v1/objectives/{w.Open.Id}/parents", new AlignmentLinkRequest(closed.Id, null, null, null)), why);
        // A new objective of the team in this cycle would be one its close never graded.
        await AssertClosedAsync(await a.SendJsonAsync(HttpMethod.Post, "/api/v1/objectives", Edit(closed, "Late arrival") with { State = ObjectiveState.Active }),
            $"The cycle {w.CycleName} is closed for this team; its objectives are read-only.");

        var after = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{w.Objective.Id}");
        Assert.Equal((closed.Title, closed.Version), (after.Title, after.Version));
        var krAfter = await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}");
        Assert.Equal((67.0, 100.0, kr.Version), (krAfter.Current, krAfter.Target, krAfter.Version));
        Assert.Single((await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins")).Items);
        Assert.Equal(w.Initiative.Version, (await app.Admin.GetAsync<InitiativeDto>($"/api/v1/initiatives/{w.Initiative.Id}")).Version);
        Assert.Equal([w.Link.Id], after.Parents.Select(p => p.Id));
        Assert.Empty((await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{w.Open.Id}")).Parents);
        Assert.Equal(2, (await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={w.CycleId}")).Total);

        // The open objective of another team in the same cycle still changes.
        await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results", Edit(kr, 80) with { ObjectiveId = w.Open.Id });
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ClosedObjectivesAndTheirKeyResultsOfferNoEditNorCheckIn(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var w = await ArrangeAsync(app, "Flags");
        Assert.True(w.Objective.CanEdit);
        Assert.True(w.KeyResult.CanCheckIn);
        await CloseForTeamAsync(app, w);

        var objective = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{w.Objective.Id}");
        Assert.False(objective.CanEdit);
        Assert.All(objective.KeyResults, k => Assert.False(k.CanCheckIn));
        Assert.False((await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{w.KeyResult.Id}")).CanCheckIn);
        Assert.False((await app.Admin.GetAsync<Page<KeyResultDto>>($"/api/v1/key-results?objective={w.Objective.Id}")).Items.Single().CanCheckIn);
        Assert.False((await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?team={w.TeamId}")).Items.Single().CanEdit);
        Assert.True((await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{w.Open.Id}")).CanEdit);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AfterTheCompanyCloseNothingInTheCycleChangesAndNoObjectiveJoinsIt(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var w = await ArrangeAsync(app, "Company");
        var elsewhere = await app.Admin.CreateCycleAsync("Company next", new DateOnly(2027, 4, 1), new DateOnly(2027, 6, 30));
        var moving = await app.Admin.CreateObjectiveAsync(elsewhere.Id, w.TeamId, "Company moves later");
        await app.Admin.PostAsync<ClosingDto>($"/api/v1/cycles/{w.CycleId}/closings", new CloseRequest(null, null, null, null, null));
        var why = $"The cycle {w.CycleName} is closed; its objectives are read-only.";

        await AssertClosedAsync(await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{w.KeyResult.Id}/check-ins", new CheckInRequest(90, null, null, null)), why);
        var kr = await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{w.KeyResult.Id}");
        await AssertClosedAsync(await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/key-results/{kr.Id}", Edit(kr, 80), $"\"{kr.Version}\""), why);
        Assert.Equal((67.0, 100.0, false), (kr.Current, kr.Target, kr.CanCheckIn));
        await AssertClosedAsync(await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/objectives", Edit(moving, "Late arrival", w.CycleId)), why);
        await AssertClosedAsync(await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{moving.Id}", Edit(moving, moving.Title, w.CycleId), $"\"{moving.Version}\""), why);
        Assert.Equal(elsewhere.Id, (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{moving.Id}")).CycleId);
        Assert.Equal(2, (await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={w.CycleId}")).Total);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheObjectivePageShowsNoCheckInOnAClosedObjective(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var w = await ArrangeAsync(app, "Page");
        using var browser = app.CreateClient(new() { HandleCookies = true });
        using var signIn = await browser.PostAsJsonAsync("/account/sign-in", new SignInRequest(OkapiApp.AdminEmail, OkapiApp.AdminPassword));
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);

        Assert.Contains("data-testid=\"check-in\"", await browser.GetStringAsync($"/objectives/{w.Objective.Id}"));
        await CloseForTeamAsync(app, w);
        var html = await browser.GetStringAsync($"/objectives/{w.Objective.Id}");
        Assert.Contains(w.Objective.Title, html);
        Assert.DoesNotContain("data-testid=\"check-in\"", html);
        Assert.DoesNotContain("data-testid=\"edit-objective\"", html);
    }
}
