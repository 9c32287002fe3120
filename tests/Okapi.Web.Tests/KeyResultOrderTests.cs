using System.Net;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Closing;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

public sealed class KeyResultOrderTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private static async Task<(ObjectiveDto Objective, KeyResultDto[] KeyResults)> ArrangeAsync(OkapiApp app, string name, Guid? teamId = null)
    {
        var cycle = await app.Admin.CreateCycleAsync($"{name} Q1");
        var team = teamId ?? (await app.Admin.CreateTeamAsync(name)).Id;
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team, $"{name} delights customers");
        KeyResultDto[] krs =
        [
            await app.Admin.CreateKeyResultAsync(objective.Id, "Raise satisfaction from 30 to 50", 30, 50),
            await app.Admin.CreateKeyResultAsync(objective.Id, "Grow referrals from 0 to 10", 0, 10),
            await app.Admin.CreateKeyResultAsync(objective.Id, "Answer within a day from 60 to 90", 60, 90),
        ];
        return (objective, krs);
    }

    private static async Task<string[]> TitlesAsync(OkapiApp app, Guid objectiveId) =>
        [.. (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objectiveId}")).KeyResults.Select(k => k.Title)];

    [Theory]
    [OnEveryDatabase]
    public async Task NewKeyResultsGoLastAndAMoveReordersTheObjectivesPageAndTheList(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objective, krs) = await ArrangeAsync(app, "Order");
        Assert.Equal([0, 1, 2], krs.Select(k => k.Position));

        var moved = await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{krs[2].Id}/move", new KeyResultMove(0), HttpStatusCode.OK);

        Assert.Equal(0, moved.Position);
        string[] expected = [krs[2].Title, krs[0].Title, krs[1].Title];
        Assert.Equal(expected, await TitlesAsync(app, objective.Id));
        var list = await app.Admin.GetAsync<Page<KeyResultDto>>($"/api/v1/key-results?objective={objective.Id}");
        Assert.Equal(expected, list.Items.Select(k => k.Title));
        Assert.Equal([0, 1, 2], list.Items.Select(k => k.Position));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task APositionPastTheEndMovesToTheEndAndANegativeOneIsRefused(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objective, krs) = await ArrangeAsync(app, "Ends");

        await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{krs[0].Id}/move", new KeyResultMove(99), HttpStatusCode.OK);
        Assert.Equal([krs[1].Title, krs[2].Title, krs[0].Title], await TitlesAsync(app, objective.Id));

        using var negative = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{krs[1].Id}/move", new KeyResultMove(-1));
        await Api.AssertProblemAsync(negative, HttpStatusCode.BadRequest);
        Assert.Equal([krs[1].Title, krs[2].Title, krs[0].Title], await TitlesAsync(app, objective.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AStaleIfMatchIsRefusedAndNothingMoves(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objective, krs) = await ArrangeAsync(app, "Stale");

        using var stale = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{krs[2].Id}/move", new KeyResultMove(0), $"\"{krs[2].Version + 5}\"");
        await Api.AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.Equal(krs.Select(k => k.Title), await TitlesAsync(app, objective.Id));

        using var fresh = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{krs[2].Id}/move", new KeyResultMove(0), $"\"{krs[2].Version}\"");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AMemberOutsideTheOwningTeamMayNotReorder(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objective, krs) = await ArrangeAsync(app, "Outsiders");
        var outsider = await app.Admin.CreatePersonAsync("Olly Outsider", Role.Member);
        using var client = await app.ClientForAsync(outsider.Id, TokenScope.Write);

        using var refused = await client.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{krs[2].Id}/move", new KeyResultMove(0));
        await Api.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal(krs.Select(k => k.Title), await TitlesAsync(app, objective.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AClosedObjectivesKeyResultsStayInTheirOrder(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var lead = await app.Admin.CreatePersonAsync("Closing Lead", Role.Member);
        var team = await app.Admin.CreateTeamAsync("Closing", new TeamMemberDto(lead.Id, true));
        var (objective, krs) = await ArrangeAsync(app, "Closing", team.Id);
        using var leadClient = await app.ClientForAsync(lead.Id, TokenScope.Write);
        await leadClient.PostAsync<ClosingDto>($"/api/v1/cycles/{objective.CycleId}/closings", new CloseRequest(team.Id, [], null, null, null));

        using var late = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{krs[2].Id}/move", new KeyResultMove(0));
        await Api.AssertProblemAsync(late, HttpStatusCode.Conflict);
        Assert.Equal(krs.Select(k => k.Title), await TitlesAsync(app, objective.Id));
    }
}
