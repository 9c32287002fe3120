using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Closing;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Access;

public sealed class CallerCacheInvalidationTests(LongCallerCacheApps apps) : IClassFixture<LongCallerCacheApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task ARevokedTokenIsRefusedOnTheVeryNextRequest(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (person, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Rita Revoked", Role.Member);
        await client.GetAsync<PersonDto>("/api/v1/people/me");

        var token = await app.QueryAsync(db => db.ApiTokens.Where(t => t.PersonId == person.Id).Select(t => t.Id).SingleAsync());
        await app.Admin.DeleteOkAsync($"/api/v1/tokens/{token}");

        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/people/me"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnExpiredTokenIsRefusedOnTheVeryNextRequest(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var person = await app.Admin.CreatePersonAsync("Eve Expiring", Role.Member);
        var (token, secret) = TokenService.Issue(person.Id, "short-lived", [TokenScope.Read], app.Clock.GetUtcNow().UtcDateTime.AddMinutes(5), app.Clock);
        await app.QueryAsync(db =>
        {
            db.ApiTokens.Add(token);
            return db.SaveChangesAsync();
        });
        using var client = app.WithToken(secret);
        await client.GetAsync<PersonDto>("/api/v1/people/me");

        app.Clock.Advance(TimeSpan.FromMinutes(6));

        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/people/me"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ADeletedPersonIsRefusedOnTheVeryNextRequestByTokenAndBySession(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (person, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Dora Deleted", Role.Member);
        using var session = await CallerCacheArrangements.SignInAsync(app, person.Email);
        await client.GetAsync<PersonDto>("/api/v1/people/me");
        await session.GetAsync<PersonDto>("/api/v1/people/me");

        await app.Admin.DeleteOkAsync($"/api/v1/people/{person.Id}");

        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/people/me"), HttpStatusCode.Unauthorized);
        await Api.AssertProblemAsync(await session.GetAsync("/api/v1/people/me"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnAdminDemotedToViewerIsRefusedAnAdminCallOnTheVeryNextRequest(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (person, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Ada Demoted", Role.Admin, TokenScope.Admin);
        using (var allowed = await client.GetAsync("/api/v1/audit"))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        await app.Admin.PutAsync<PersonDto>($"/api/v1/people/{person.Id}", new PersonRequest(person.Name, person.Email, Role.Viewer, null, null));

        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/audit"), HttpStatusCode.Forbidden);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task LeadingATeamIsGrantedAndTakenAwayOnTheVeryNextRequest(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync("Leading Q1");
        var (person, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Leo Lead", Role.Member, TokenScope.Write);
        var team = await app.Admin.CreateTeamAsync("Leo's team");
        var preview = $"/api/v1/cycles/{cycle.Id}/close-preview?team={team.Id}";
        Assert.False((await client.GetAsync<ClosePreviewDto>(preview)).CanClose);

        await app.Admin.PutAsync<TeamDto>($"/api/v1/teams/{team.Id}", new TeamRequest(team.Name, null, null, [new TeamMemberDto(person.Id, IsLead: true)]));
        Assert.True((await client.GetAsync<ClosePreviewDto>(preview)).CanClose);

        await app.Admin.PutAsync<TeamDto>($"/api/v1/teams/{team.Id}", new TeamRequest(team.Name, null, null, [new TeamMemberDto(person.Id, IsLead: false)]));
        Assert.False((await client.GetAsync<ClosePreviewDto>(preview)).CanClose);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ARemovedMemberMayNoLongerEditTheTeamsObjectiveOnTheVeryNextRequest(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync("Removing Q1");
        var (person, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Rob Removed", Role.Member, TokenScope.Write);
        var team = await app.Admin.CreateTeamAsync("Rob's team", new TeamMemberDto(person.Id, IsLead: false));
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        await client.CreateKeyResultAsync(objective.Id);

        await app.Admin.PutAsync<TeamDto>($"/api/v1/teams/{team.Id}", new TeamRequest(team.Name, null, null, []));

        using var refused = await client.PostAsJsonAsync("/api/v1/key-results", new { objectiveId = objective.Id, title = "Call ten customers", type = "milestone", start = 0, target = 1 }, Api.Json);
        await Api.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task APersonMovedToAnotherTeamLeadsTheNewOneAndNotTheOldOnTheVeryNextRequest(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync("Moving Q1");
        var (person, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Mo Moved", Role.Member, TokenScope.Write);
        var from = await app.Admin.CreateTeamAsync("Mo's old team", new TeamMemberDto(person.Id, IsLead: true));
        var to = await app.Admin.CreateTeamAsync("Mo's new team");
        Assert.True((await client.GetAsync<ClosePreviewDto>($"/api/v1/cycles/{cycle.Id}/close-preview?team={from.Id}")).CanClose);
        Assert.False((await client.GetAsync<ClosePreviewDto>($"/api/v1/cycles/{cycle.Id}/close-preview?team={to.Id}")).CanClose);

        await app.Admin.PutAsync<TeamDto>($"/api/v1/teams/{from.Id}", new TeamRequest(from.Name, null, null, []));
        await app.Admin.PutAsync<TeamDto>($"/api/v1/teams/{to.Id}", new TeamRequest(to.Name, null, null, [new TeamMemberDto(person.Id, IsLead: true)]));

        Assert.False((await client.GetAsync<ClosePreviewDto>($"/api/v1/cycles/{cycle.Id}/close-preview?team={from.Id}")).CanClose);
        Assert.True((await client.GetAsync<ClosePreviewDto>($"/api/v1/cycles/{cycle.Id}/close-preview?team={to.Id}")).CanClose);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task DeletingATeamMakesEveryCallerBeReadAgainOnTheVeryNextRequest(DatabaseProvider provider)
    {
        // A deleted team takes its memberships along in the database, out of the change tracker's sight; what the
        // cache knew of any caller is forgotten. A role changed behind the instance's back shows that.
        var app = await apps.StartAsync(provider);
        var (person, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Tia Team", Role.Admin, TokenScope.Admin);
        var team = await app.Admin.CreateTeamAsync("Short-lived team", new TeamMemberDto(person.Id, IsLead: true));
        await client.GetAsync<PersonDto>("/api/v1/people/me");
        await CallerCacheArrangements.SetRoleBehindTheInstancesBackAsync(app, person.Id, Role.Viewer);
        using (var cached = await client.GetAsync("/api/v1/audit"))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }

        await app.Admin.DeleteOkAsync($"/api/v1/teams/{team.Id}");

        await Api.AssertProblemAsync(await client.GetAsync("/api/v1/audit"), HttpStatusCode.Forbidden);
        Assert.Empty(await app.QueryAsync(db => db.TeamMemberships.Where(m => m.TeamId == team.Id).ToListAsync()));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ADeletedOrganisationsCallersAreRefusedOnTheVeryNextRequest(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (organisationId, otherAdmin) = await app.CreateOrganisationAsync("Closing down");
        await otherAdmin.GetAsync<PersonDto>("/api/v1/people/me");

        // No endpoint deletes an organisation; an operator's tool would, through the same context.
        await app.QueryAsync(async db =>
        {
            db.Organisations.Remove(await db.Organisations.SingleAsync(o => o.Id == organisationId));
            return await db.SaveChangesAsync();
        }, organisationId);

        await Api.AssertProblemAsync(await otherAdmin.GetAsync("/api/v1/people/me"), HttpStatusCode.Unauthorized);
    }
}

public sealed class CallerCacheCostTests(LongCallerCacheApps apps, NoCallerCacheApps uncached)
    : IClassFixture<LongCallerCacheApps>, IClassFixture<NoCallerCacheApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task ASecondRequestWithinTheCacheAgeRunsNoTokenPersonOrMembershipStatement(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (_, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Sam Statements", Role.Member);

        var first = await app.StatementsOfAsync(client, c => c.GetAsync("/api/v1/cycles"));
        var second = await app.StatementsOfAsync(client, c => c.GetAsync("/api/v1/cycles"), callerRemembered: true);

        Assert.Contains(first, CallerCacheArrangements.ReadsACaller);
        Assert.DoesNotContain(second, CallerCacheArrangements.ReadsACaller);
        Assert.Equal(first.Where(s => !CallerCacheArrangements.ReadsACaller(s)), second);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnUnknownEndpointCostsNoStatementOnceTheCallerIsKnown(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (_, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Nora Nope", Role.Member);

        var first = await CallerCacheArrangements.StatementsOfNopeAsync(app, client);
        var second = await CallerCacheArrangements.StatementsOfNopeAsync(app, client);

        // The token, once a minute its last use, the person, their teams.
        Assert.Equal(4, first.Count);
        Assert.Empty(second);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ATokensUseIsRecordedOnceAMinuteWithoutReadingTheTokenFirst(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (person, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Lu Last-Used", Role.Member);
        await CallerCacheArrangements.StatementsOfNopeAsync(app, client);

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var recorded = Assert.Single(await CallerCacheArrangements.StatementsOfNopeAsync(app, client));
        var again = await CallerCacheArrangements.StatementsOfNopeAsync(app, client);

        Assert.StartsWith("UPDATE", recorded.TrimStart(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(again);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, await app.QueryAsync(db => db.ApiTokens.Where(t => t.PersonId == person.Id).Select(t => t.LastUsedAt).SingleAsync()));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task WithTheCacheOffEveryRequestReadsTheCaller(DatabaseProvider provider)
    {
        var app = await uncached.StartAsync(provider);
        var (_, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Otto Off", Role.Member);

        await CallerCacheArrangements.StatementsOfNopeAsync(app, client);
        var second = await CallerCacheArrangements.StatementsOfNopeAsync(app, client);

        Assert.Equal(3, second.Count);
        Assert.All(second, s => Assert.True(CallerCacheArrangements.ReadsACaller(s), s));
    }
}

public sealed class CallerCacheAgeTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task AChangeWrittenByAnotherInstanceIsSeenWithinTwoSeconds(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (person, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Ivy Instance", Role.Admin, TokenScope.Admin);
        using (var allowed = await client.GetAsync("/api/v1/audit"))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        await CallerCacheArrangements.SetRoleBehindTheInstancesBackAsync(app, person.Id, Role.Viewer);
        var since = Stopwatch.StartNew();
        var status = HttpStatusCode.OK;
        while (status == HttpStatusCode.OK && since.Elapsed < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(100);
            using var response = await client.GetAsync("/api/v1/audit");
            status = response.StatusCode;
        }

        // A request that starts once the two seconds are up must see the change, however slowly the polls ran.
        if (status == HttpStatusCode.OK)
        {
            using var last = await client.GetAsync("/api/v1/audit");
            status = last.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }
}

public static class CallerCacheArrangements
{
    public static async Task<(PersonDto Person, HttpClient Client)> PersonWithTokenAsync(OkapiApp app, string name, Role role, params TokenScope[] scopes)
    {
        var person = await app.Admin.CreatePersonAsync(name, role);
        return (person, await app.ClientForAsync(person.Id, scopes.Length == 0 ? [TokenScope.Read] : scopes));
    }

    /// <summary>A browser session of the person, signed in with the password <see cref="Api.CreatePersonAsync"/> gives.</summary>
    public static async Task<HttpClient> SignInAsync(OkapiApp app, string email)
    {
        var session = app.CreateClient();
        using var signIn = await session.PostAsJsonAsync("/account/sign-in", new SignInRequest(email, "a-long-password-1"));
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        return session;
    }

    /// <summary>Changes a role as another instance would: straight in the database, unseen by this instance's saves.</summary>
    public static Task SetRoleBehindTheInstancesBackAsync(OkapiApp app, Guid personId, Role role) =>
        app.QueryAsync(db => db.People.Where(p => p.Id == personId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Role, role)));

    /// <summary>Whether a statement reads a token, a person or team memberships by person: what loading a caller costs.</summary>
    public static bool ReadsACaller(string sql) =>
        sql.Contains("\"ApiTokens\"", StringComparison.Ordinal) ||
        sql.Contains("FROM \"People\"", StringComparison.Ordinal) ||
        (sql.Contains("FROM \"TeamMemberships\"", StringComparison.Ordinal) && sql.Contains("\"PersonId\" =", StringComparison.Ordinal));

    /// <summary>The statements a request to an endpoint that does not exist runs: authentication and the caller only.</summary>
    public static async Task<IReadOnlyList<string>> StatementsOfNopeAsync(OkapiApp app, HttpClient client)
    {
        var key = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nope");
        request.Headers.Add(StatementCounter.Header, key);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        return app.Services.GetRequiredService<StatementCounter>().Of(key);
    }
}
