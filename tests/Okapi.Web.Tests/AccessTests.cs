using System.Net;
using System.Net.Http.Json;
using Okapi.Core.Access;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

public sealed class AccessTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task ARequestWithoutCredentialsGets401(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        using var anonymous = app.WithToken(null);
        await Api.AssertProblemAsync(await anonymous.GetAsync("/api/v1/objectives"), HttpStatusCode.Unauthorized);

        using var unknown = app.WithToken("okapi_not-a-real-token");
        await Api.AssertProblemAsync(await unknown.GetAsync("/api/v1/objectives"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AReadTokenCanReadButWritingGets403AndStoresNothing(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Readers");
        using var reader = await app.ClientForAsync(app.AdminId, TokenScope.Read);
        await reader.GetAsync<Page<ObjectiveDto>>("/api/v1/objectives");

        using var write = await reader.SendJsonAsync(HttpMethod.Post, "/api/v1/objectives",
            new ObjectiveRequest("Written with a read token", null, cycle.Id, team.Id, null, null, null, null));
        var problem = await Api.AssertProblemAsync(write, HttpStatusCode.Forbidden);
        Assert.Contains("write", problem.GetProperty("detail").GetString());
        Assert.Empty((await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={cycle.Id}")).Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AKpiIngestTokenCannotReadOrWriteOkrs(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        using var ingest = await app.ClientForAsync(app.AdminId, TokenScope.KpiIngest);
        await Api.AssertProblemAsync(await ingest.GetAsync("/api/v1/objectives"), HttpStatusCode.Forbidden);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ARevokedOrExpiredTokenIsRefused(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var created = await app.Admin.PostAsync<CreatedTokenDto>("/api/v1/tokens", new TokenRequest("short-lived", [TokenScope.Read], app.Clock.GetUtcNow().AddDays(30)));
        Assert.StartsWith("okapi_", created.Secret);
        using var client = app.WithToken(created.Secret);
        await client.GetAsync<Page<ObjectiveDto>>("/api/v1/objectives");
        var listed = await app.Admin.GetAsync<Page<TokenDto>>("/api/v1/tokens");
        Assert.NotNull(listed.Items.Single(t => t.Id == created.Token.Id).LastUsedAt);
        Assert.DoesNotContain(created.Secret, await app.Admin.GetStringAsync("/api/v1/tokens"));

        await app.Admin.DeleteOkAsync($"/api/v1/tokens/{created.Token.Id}");
        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/objectives"), HttpStatusCode.Unauthorized);

        var expiring = await app.Admin.PostAsync<CreatedTokenDto>("/api/v1/tokens", new TokenRequest("expiring", [TokenScope.Read], app.Clock.GetUtcNow().AddHours(1)));
        using var expiringClient = app.WithToken(expiring.Secret);
        app.Clock.Advance(TimeSpan.FromHours(2));
        await Api.AssertProblemAsync(await expiringClient.GetAsync("/api/v1/objectives"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AViewerReadsButCannotChangeAnything(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Viewed");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var viewer = await app.Admin.CreatePersonAsync("Vera Viewer", Role.Viewer);
        using var client = await app.ClientForAsync(viewer.Id, TokenScope.Read, TokenScope.Write);
        Assert.Equal(objective.Id, (await client.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}")).Id);

        using var update = await client.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{objective.Id}",
            new ObjectiveRequest("Changed by a viewer", null, cycle.Id, team.Id, null, null, null, null));
        await Api.AssertProblemAsync(update, HttpStatusCode.Forbidden);
        Assert.Equal(objective.Title, (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}")).Title);

        var tokenRequest = new TokenRequest("too much", [TokenScope.Admin], null);
        await Api.AssertProblemAsync(await client.SendJsonAsync(HttpMethod.Post, "/api/v1/tokens", tokenRequest), HttpStatusCode.Forbidden);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AViewerClearsTheirOwnInboxAndNotificationsAndSetsTheirRemindersButStillCannotComment(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Watched");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var viewer = await app.Admin.CreatePersonAsync("Vic Viewer", Role.Viewer);
        await app.Admin.PostAsync<CommentDto>("/api/v1/comments", new { objectiveId = objective.Id, body = $"For your eyes, @{viewer.Email}" });
        using var client = await app.ClientForAsync(viewer.Id, TokenScope.Read, TokenScope.Write);

        var item = (await client.GetAsync<Okapi.Web.Features.Inbox.InboxList>("/api/v1/inbox")).Items.Single();
        using (var done = await client.PostAsync($"/api/v1/inbox/{item.Id}/done", null))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        Assert.Empty((await client.GetAsync<Okapi.Web.Features.Inbox.InboxList>("/api/v1/inbox")).Items);
        using (var read = await client.PostAsync("/api/v1/notifications/read", null))
        {
            Assert.True(read.IsSuccessStatusCode, $"marking notifications read gave {read.StatusCode}");
        }

        using (var settings = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/people/me/notifications", new { remindersEnabled = false }))
        {
            Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        }

        Assert.False((await app.Admin.GetAsync<PersonDto>($"/api/v1/people/{viewer.Id}")).RemindersEnabled);
        using var comment = await client.SendJsonAsync(HttpMethod.Post, "/api/v1/comments", new { objectiveId = objective.Id, body = "A viewer's word" });
        await Api.AssertProblemAsync(comment, HttpStatusCode.Forbidden);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AWriteTokenCannotMintTokensThatOutliveIt(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var member = await app.Admin.CreatePersonAsync("Mo Minter", Role.Member);
        using var client = await app.ClientForAsync(member.Id, TokenScope.Write);
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/v1/tokens", new TokenRequest("forever", [TokenScope.Write], null));
        await Api.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.DoesNotContain((await app.Admin.GetAsync<Page<TokenDto>>("/api/v1/tokens?pageSize=200")).Items, t => t.Name == "forever");
    }

    [Theory]
    [OnEveryDatabase]
    public async Task APrivateChildsProgressDoesNotShowThroughItsParent(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync("Rollup privacy");
        var outsider = await app.Admin.CreatePersonAsync("Olga Outsider", Role.Member);
        var security = await app.Admin.CreateTeamAsync("Red team");
        var parent = await app.Admin.CreateObjectiveAsync(cycle.Id, security.Id, "Be safe to shop with");
        var secret = await app.Admin.CreateObjectiveAsync(cycle.Id, security.Id, "Close the audit findings", Visibility.Private);
        var kr = await app.Admin.CreateKeyResultAsync(secret.Id, "Close 10 findings", 0, 10);
        await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(7, null, null, null));
        await app.Admin.PostAsync<AlignmentLinkDto>($"/api/v1/objectives/{secret.Id}/parents", new AlignmentLinkRequest(parent.Id, null, null, null));
        Assert.Equal(0.7, (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{parent.Id}")).Progress, 9);

        using var client = await app.ClientForAsync(outsider.Id, TokenScope.Read);
        Assert.Equal(0, (await client.GetAsync<ObjectiveDto>($"/api/v1/objectives/{parent.Id}")).Progress);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AMemberEditsTheirTeamsObjectivesButNotOtherTeams(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var member = await app.Admin.CreatePersonAsync("Mia Member", Role.Member);
        var mine = await app.Admin.CreateTeamAsync("Mine", new TeamMemberDto(member.Id, false));
        var theirs = await app.Admin.CreateTeamAsync("Theirs");
        using var client = await app.ClientForAsync(member.Id, TokenScope.Write);

        var own = await client.CreateObjectiveAsync(cycle.Id, mine.Id, "Make our own team shine");
        var kr = await client.CreateKeyResultAsync(own.Id);
        await client.PostAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(35, Confidence.AtRisk, null, null));

        using var forOthers = await client.SendJsonAsync(HttpMethod.Post, "/api/v1/objectives",
            new ObjectiveRequest("Decide for another team", null, cycle.Id, theirs.Id, null, null, null, null));
        await Api.AssertProblemAsync(forOthers, HttpStatusCode.Forbidden);

        var other = await app.Admin.CreateObjectiveAsync(cycle.Id, theirs.Id, "Another team's goal");
        var otherKr = await app.Admin.CreateKeyResultAsync(other.Id);
        using var checkIn = await client.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{otherKr.Id}/check-ins", new CheckInRequest(40, null, null, null));
        await Api.AssertProblemAsync(checkIn, HttpStatusCode.Forbidden);

        // The owner of a key result checks in on it even when the objective belongs to another team.
        var owned = await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results",
            new KeyResultRequest(other.Id, "Answer every review within a day", member.Id, KeyResultType.IncreaseTo, "%", 40, 100, null, null, null, null, null));
        await client.PostAsync<KeyResultDto>($"/api/v1/key-results/{owned.Id}/check-ins", new CheckInRequest(60, Confidence.OnTrack, null, null));

        using var admin = await client.SendJsonAsync(HttpMethod.Post, "/api/v1/teams", new TeamRequest("Self-made", null, null, null));
        await Api.AssertProblemAsync(admin, HttpStatusCode.Forbidden);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task APrivateObjectiveIsAbsentForOtherTeamsAndViewersInListsAndGets(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync("Private");
        var insider = await app.Admin.CreatePersonAsync("Ingrid Insider", Role.Member);
        var outsider = await app.Admin.CreatePersonAsync("Otto Outsider", Role.Member);
        var viewer = await app.Admin.CreatePersonAsync("Vic Viewer", Role.Viewer);
        var engineering = await app.Admin.CreateTeamAsync("Security", new TeamMemberDto(insider.Id, true));
        await app.Admin.CreateTeamAsync("Elsewhere", new TeamMemberDto(outsider.Id, false));
        var secret = await app.Admin.CreateObjectiveAsync(cycle.Id, engineering.Id, "Pass the audit without findings", Visibility.Private);
        var secretKr = await app.Admin.CreateKeyResultAsync(secret.Id, "Close all 14 findings", 0, 14);
        var comment = await app.Admin.PostAsync<CommentDto>("/api/v1/comments", new CommentRequest(secret.Id, null, null, "Auditors arrive in March"));
        var open = await app.Admin.CreateObjectiveAsync(cycle.Id, engineering.Id, "Ship faster");

        using var insiderClient = await app.ClientForAsync(insider.Id, TokenScope.Read);
        Assert.Contains(secret.Id, (await insiderClient.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={cycle.Id}")).Items.Select(o => o.Id));
        await insiderClient.GetAsync<ObjectiveDto>($"/api/v1/objectives/{secret.Id}");

        foreach (var person in new[] { outsider, viewer })
        {
            using var client = await app.ClientForAsync(person.Id, TokenScope.Read);
            var visible = await client.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={cycle.Id}");
            Assert.Equal([open.Id], visible.Items.Select(o => o.Id));
            Assert.Equal(1, visible.Total);
            await Api.AssertProblemAsync(await client.GetAsync($"/api/v1/objectives/{secret.Id}"), HttpStatusCode.NotFound);
            await Api.AssertProblemAsync(await client.GetAsync($"/api/v1/key-results/{secretKr.Id}"), HttpStatusCode.NotFound);
            await Api.AssertProblemAsync(await client.GetAsync($"/api/v1/key-results/{secretKr.Id}/check-ins"), HttpStatusCode.NotFound);
            await Api.AssertProblemAsync(await client.GetAsync($"/api/v1/comments/{comment.Id}"), HttpStatusCode.NotFound);
            Assert.DoesNotContain(secretKr.Id, (await client.GetAsync<Page<KeyResultDto>>($"/api/v1/key-results?cycle={cycle.Id}")).Items.Select(k => k.Id));
            Assert.Empty((await client.GetAsync<Page<CommentDto>>($"/api/v1/comments?objective={secret.Id}")).Items);
            var lint = await client.GetStringAsync($"/api/v1/lint?cycle={cycle.Id}");
            Assert.DoesNotContain(secret.Id.ToString(), lint);
            Assert.DoesNotContain(secretKr.Id.ToString(), lint);
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task OneOrganisationNeverSeesAnothersData(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync("Ours");
        var team = await app.Admin.CreateTeamAsync("Our team");
        var ours = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Our own objective");
        var kr = await app.Admin.CreateKeyResultAsync(ours.Id);
        var (_, other) = await app.CreateOrganisationAsync("Rival Corp");

        var objectives = await other.GetAsync<Page<ObjectiveDto>>("/api/v1/objectives");
        Assert.Empty(objectives.Items);
        Assert.DoesNotContain(team.Id, (await other.GetAsync<Page<TeamDto>>("/api/v1/teams")).Items.Select(t => t.Id));
        Assert.DoesNotContain(app.AdminId, (await other.GetAsync<Page<PersonDto>>("/api/v1/people")).Items.Select(p => p.Id));
        Assert.Empty((await other.GetAsync<Page<CycleDto>>("/api/v1/cycles")).Items);
        Assert.Equal("Rival Corp", (await other.GetAsync<OrganisationDto>("/api/v1/organisation")).Name);
        await Api.AssertProblemAsync(await other.GetAsync($"/api/v1/objectives/{ours.Id}"), HttpStatusCode.NotFound);
        await Api.AssertProblemAsync(await other.GetAsync($"/api/v1/key-results/{kr.Id}"), HttpStatusCode.NotFound);
        await Api.AssertProblemAsync(await other.GetAsync($"/api/v1/teams/{team.Id}"), HttpStatusCode.NotFound);

        // Writing into our data from there fails and changes nothing.
        using var put = await other.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{ours.Id}",
            new ObjectiveRequest("Taken over", null, cycle.Id, team.Id, null, null, null, null));
        await Api.AssertProblemAsync(put, HttpStatusCode.NotFound);
        using var checkIn = await other.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(49, null, null, null));
        await Api.AssertProblemAsync(checkIn, HttpStatusCode.NotFound);
        using var create = await other.SendJsonAsync(HttpMethod.Post, "/api/v1/objectives",
            new ObjectiveRequest("In their cycle", null, cycle.Id, team.Id, null, null, null, null));
        await Api.AssertProblemAsync(create, HttpStatusCode.BadRequest);
        Assert.Equal("Our own objective", (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{ours.Id}")).Title);
        Assert.Empty((await app.Admin.GetAsync<Page<Features.Audit.AuditEventDto>>($"/api/v1/audit?entityId={ours.Id}&action=update")).Items);
        Assert.DoesNotContain(ours.Id.ToString(), await other.GetStringAsync("/api/v1/audit?pageSize=200"));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task APersonSignsInWithACookieAndUsesTheApi(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        using var client = app.CreateClient(new() { HandleCookies = true });
        using var wrong = await client.PostAsJsonAsync("/account/sign-in", new SignInRequest(OkapiApp.AdminEmail, "not the password"));
        await Api.AssertProblemAsync(wrong, HttpStatusCode.Unauthorized);

        using var signIn = await client.PostAsJsonAsync("/account/sign-in", new SignInRequest(OkapiApp.AdminEmail, OkapiApp.AdminPassword));
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        var me = await client.GetAsync<PersonDto>("/api/v1/people/me");
        Assert.Equal(app.AdminId, me.Id);
        Assert.Equal(Role.Admin, me.Role);

        await client.PostAsync("/account/sign-out", null);
        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/people/me"), HttpStatusCode.Unauthorized);
    }
}
