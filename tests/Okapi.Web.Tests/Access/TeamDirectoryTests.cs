using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Access;

/// <summary>
/// The teams list is remembered with the callers (for a minute here, so that a change seen on the next request was
/// seen because the write cleared it, not because it expired).
/// </summary>
public sealed class TeamDirectoryTests(LongCallerCacheApps apps) : IClassFixture<LongCallerCacheApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task ASecondReadOfTheSameTeamsPageRunsNoStatement(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (_, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Tom Teams", Role.Member);
        await client.GetAsync<Page<TeamDto>>("/api/v1/teams");

        Assert.Empty(await app.StatementsOfAsync(client, c => c.GetAsync("/api/v1/teams"), callerRemembered: true));
        Assert.NotEmpty(await app.StatementsOfAsync(client, c => c.GetAsync("/api/v1/teams?pageSize=7"), callerRemembered: true));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ACreatedRenamedMovedOrDeletedTeamShowsInTheListOnTheVeryNextRequest(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (_, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Lena Lists", Role.Member);
        await client.GetAsync<Page<TeamDto>>("/api/v1/teams");

        var parent = await app.Admin.CreateTeamAsync("Platform");
        var team = await app.Admin.CreateTeamAsync("Payments");
        Assert.Contains("Payments", await NamesAsync(client));

        await app.Admin.PutAsync<TeamDto>($"/api/v1/teams/{team.Id}", new TeamRequest("Billing", parent.Id, null, []));
        var page = await client.GetAsync<Page<TeamDto>>($"/api/v1/teams?parent={parent.Id}");
        Assert.Equal("Billing", Assert.Single(page.Items).Name);

        await app.Admin.DeleteOkAsync($"/api/v1/teams/{team.Id}");
        Assert.DoesNotContain("Billing", await NamesAsync(client));
        Assert.Empty((await client.GetAsync<Page<TeamDto>>($"/api/v1/teams?parent={parent.Id}")).Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnAddedRemovedOrDeletedMemberShowsInTheListOnTheVeryNextRequest(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (_, client) = await CallerCacheArrangements.PersonWithTokenAsync(app, "Mia Members", Role.Member);
        var person = await app.Admin.CreatePersonAsync("Noah New", Role.Member);
        var team = await app.Admin.CreateTeamAsync("Support");
        Assert.Empty(await MembersAsync(client, team.Id));

        await app.Admin.PutAsync<TeamDto>($"/api/v1/teams/{team.Id}", new TeamRequest(team.Name, null, null, [new TeamMemberDto(person.Id, IsLead: true)]));
        Assert.Equal([new TeamMemberDto(person.Id, IsLead: true)], await MembersAsync(client, team.Id));
        Assert.Equal(team.Id, Assert.Single((await client.GetAsync<Page<TeamDto>>($"/api/v1/teams?member={person.Id}")).Items).Id);

        // Deleting the person takes the membership along in the database, out of the change tracker's sight.
        await app.Admin.DeleteOkAsync($"/api/v1/people/{person.Id}");
        Assert.Empty(await MembersAsync(client, team.Id));
        Assert.Empty((await client.GetAsync<Page<TeamDto>>($"/api/v1/teams?member={person.Id}")).Items);
    }

    private static async Task<List<string>> NamesAsync(HttpClient client) =>
        (await client.GetAsync<Page<TeamDto>>("/api/v1/teams?pageSize=200")).Items.Select(t => t.Name).ToList();

    private static async Task<IReadOnlyList<TeamMemberDto>> MembersAsync(HttpClient client, Guid teamId) =>
        (await client.GetAsync<Page<TeamDto>>("/api/v1/teams?pageSize=200")).Items.Single(t => t.Id == teamId).Members;
}
