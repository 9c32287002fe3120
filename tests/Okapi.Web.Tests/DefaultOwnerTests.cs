using System.Net;
using Okapi.Core.Access;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

public sealed class DefaultOwnerTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task AnObjectiveAndAKeyResultThatNameNoOwnerAreOwnedByTheirCreator(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var member = await app.Admin.CreatePersonAsync("Mia Member", Role.Member);
        using var client = await app.ClientForAsync(member.Id, TokenScope.Write);

        var objective = await client.PostAsync<ObjectiveDto>("/api/v1/objectives",
            new ObjectiveRequest("Become the team's go-to person for onboarding", null, cycle.Id, null, null, null, null, null));
        Assert.Null(objective.OwnerTeamId);
        Assert.Equal(member.Id, objective.OwnerPersonId);

        var keyResult = await client.PostAsync<KeyResultDto>("/api/v1/key-results",
            new KeyResultRequest(objective.Id, "Cut onboarding time from 10 to 5 days", null, KeyResultType.DecreaseTo, "days", 10, 5, null, null, null, null, null));
        Assert.Equal(member.Id, keyResult.OwnerPersonId);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnOwnerTheRequestNamesIsKept(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Support");
        var colleague = await app.Admin.CreatePersonAsync("Cara Colleague", Role.Member);

        var teamObjective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        Assert.Equal(team.Id, teamObjective.OwnerTeamId);
        Assert.Null(teamObjective.OwnerPersonId);

        var keyResult = await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results",
            new KeyResultRequest(teamObjective.Id, "Answer 90 % of tickets within a day", colleague.Id, KeyResultType.IncreaseTo, "%", 60, 90, null, null, null, null, null));
        Assert.Equal(colleague.Id, keyResult.OwnerPersonId);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task BeingTheCreatorGivesAMemberNoObjectiveOfATeamTheyAreNotIn(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Finance");
        var outsider = await app.Admin.CreatePersonAsync("Olly Outsider", Role.Member);
        using var client = await app.ClientForAsync(outsider.Id, TokenScope.Write);

        using var response = await client.SendJsonAsync(HttpMethod.Post, "/api/v1/objectives",
            new ObjectiveRequest("Close the books in three days", null, cycle.Id, team.Id, null, null, null, null));
        await Api.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Empty((await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={cycle.Id}")).Items);
    }
}
