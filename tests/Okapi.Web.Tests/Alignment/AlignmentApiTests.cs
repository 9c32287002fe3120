using System.Net;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Alignment;

public sealed class AlignmentApiTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task TheTopOfTheTreeStopsAtItsDepthAndCountsTheChildrenItLeavesOut(DatabaseProvider provider)
    {
        var org = await AlignedOrganisation.CreateAsync(await apps.StartAsync(provider));

        var top = await org.AlignmentAsync();

        Assert.Equal([org.Grow.Id], top.Roots);
        Assert.Equal(
            new[] { org.Grow, org.Delight, org.Sell, org.Checkout1, org.Unaligned }.Select(o => o.Id).Order(),
            top.Objectives.Select(o => o.Id).Order());
        Assert.Equal(org.Grow.Id, top.Objectives[0].Id);
        Assert.Equal(2, top.ChildCounts[org.Grow.Id]);
        Assert.Equal(1, top.ChildCounts[org.Delight.Id]);
        Assert.Equal(0, top.ChildCounts[org.Sell.Id]);
        Assert.Equal(2, top.ChildCounts[org.Checkout1.Id]);
        Assert.Equal(0, top.ChildCounts[org.Unaligned.Id]);
        Assert.Equal(
            new[] { (org.Delight.Id, org.Grow.Id), (org.Sell.Id, org.Grow.Id), (org.Checkout1.Id, org.Delight.Id) }.Order(),
            top.Links.Select(l => (l.ChildObjectiveId, l.ParentObjectiveId)).Order());
        Assert.Equal(org.GrowRevenue.Id, top.Links.Single(l => l.ChildObjectiveId == org.Sell.Id).ParentKeyResultId);
        Assert.Equal([org.Unaligned.Id], top.Unaligned);
        Assert.Equal(1, top.UnalignedTotal);

        var roots = await org.AlignmentAsync("&depth=1");
        Assert.Equal(new[] { org.Grow.Id, org.Unaligned.Id }.Order(), roots.Objectives.Select(o => o.Id).Order());
        Assert.Empty(roots.Links);
        Assert.Equal(2, roots.ChildCounts[org.Grow.Id]);

        var deepest = await org.AlignmentAsync("&depth=100");
        Assert.Contains(deepest.Objectives, o => o.Id == org.Pay1.Id);
        Assert.Equal(0, deepest.ChildCounts[org.Pay1.Id]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ExpandingAnObjectiveGivesExactlyItsChildrenThroughItAndItsKeyResultsWithTheirLinks(DatabaseProvider provider)
    {
        var org = await AlignedOrganisation.CreateAsync(await apps.StartAsync(provider));

        var grow = await org.AlignmentAsync($"&root={org.Grow.Id}");
        Assert.Equal([org.Grow.Id], grow.Roots);
        Assert.Equal(new[] { org.Grow.Id, org.Delight.Id, org.Sell.Id }.Order(), grow.Objectives.Select(o => o.Id).Order());
        Assert.Equal(
            new[] { (org.Delight.Id, org.Grow.Id, (Guid?)null), (org.Sell.Id, org.Grow.Id, org.GrowRevenue.Id) }.Order(),
            grow.Links.Select(l => (l.ChildObjectiveId, l.ParentObjectiveId, l.ParentKeyResultId)).Order());
        Assert.Equal(1, grow.ChildCounts[org.Delight.Id]);
        Assert.Empty(grow.Unaligned);

        // Deeper down, the objective comes with what it is aligned to, and only its own children below it.
        var checkout = await org.AlignmentAsync($"&root={org.Checkout1.Id}");
        Assert.Equal(new[] { org.Delight.Id, org.Checkout1.Id, org.Pay1.Id, org.Pay2.Id }.Order(), checkout.Objectives.Select(o => o.Id).Order());
        Assert.Equal(
            new[] { (org.Checkout1.Id, org.Delight.Id), (org.Pay1.Id, org.Checkout1.Id), (org.Pay2.Id, org.Checkout1.Id) }.Order(),
            checkout.Links.Select(l => (l.ChildObjectiveId, l.ParentObjectiveId)).Order());
        Assert.Equal(2, checkout.ChildCounts[org.Checkout1.Id]);
        Assert.Equal(1, checkout.ChildCounts[org.Delight.Id]);

        var twoLevels = await org.AlignmentAsync($"&root={org.Delight.Id}&depth=2");
        Assert.Equal(new[] { org.Grow.Id, org.Delight.Id, org.Checkout1.Id, org.Pay1.Id, org.Pay2.Id }.Order(), twoLevels.Objectives.Select(o => o.Id).Order());

        using var unknown = await org.Admin.GetAsync($"/api/v1/alignment?cycle={org.CycleId}&root={Guid.NewGuid()}");
        await Api.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        var otherCycle = await org.Admin.CreateCycleAsync("Another quarter", new DateOnly(2027, 4, 1), new DateOnly(2027, 6, 30));
        using var elsewhere = await org.Admin.GetAsync($"/api/v1/alignment?cycle={otherCycle.Id}&root={org.Grow.Id}");
        await Api.AssertProblemAsync(elsewhere, HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task PrivateObjectivesAndTheirPlaceInChildCountsStayHiddenFromAMemberOfAnotherTeam(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var org = await AlignedOrganisation.CreateAsync(app);
        var secret = await org.Admin.AlignedObjectiveAsync(org.CycleId, org.Product.Id, "Launch the secret product", org.Grow.Id, visibility: Visibility.Private);
        var secretlyUnaligned = await org.Admin.CreateObjectiveAsync(org.CycleId, org.Product.Id, "Rethink pricing in secret", Visibility.Private);
        var sam = await org.Admin.CreatePersonAsync("Sam Seller", Role.Member);
        await org.Admin.PutAsync<TeamDto>($"/api/v1/teams/{org.Sales.Id}", new TeamRequest("Sales", org.Company.Id, null, [new TeamMemberDto(sam.Id, false)]));
        using var member = await app.ClientForAsync(sam.Id, Okapi.Core.Access.TokenScope.Read);

        var seenByAdmin = await org.AlignmentAsync($"&root={org.Grow.Id}");
        Assert.Equal(3, seenByAdmin.ChildCounts[org.Grow.Id]);
        Assert.Equal(2, (await org.AlignmentAsync()).UnalignedTotal);

        var top = await org.AlignmentAsync(client: member);
        Assert.DoesNotContain(top.Objectives, o => o.Id == secret.Id || o.Id == secretlyUnaligned.Id);
        Assert.DoesNotContain(top.Links, l => l.ChildObjectiveId == secret.Id);
        Assert.Equal(2, top.ChildCounts[org.Grow.Id]);
        Assert.Equal([org.Unaligned.Id], top.Unaligned);
        Assert.Equal(1, top.UnalignedTotal);
        var grow = await org.AlignmentAsync($"&root={org.Grow.Id}", member);
        Assert.Equal(2, grow.ChildCounts[org.Grow.Id]);
        Assert.DoesNotContain(grow.Objectives, o => o.Id == secret.Id);
        using var hidden = await member.GetAsync($"/api/v1/alignment?cycle={org.CycleId}&root={secret.Id}");
        await Api.AssertProblemAsync(hidden, HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheTopAndAnExpandCostAsManyStatementsInAWiderOrganisation(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var small = await AlignedOrganisation.CreateAsync(app);
        var wide = await AlignedOrganisation.CreateAsync(app, siblings: 4);

        async Task<(int Top, int Expand)> CountAsync(AlignedOrganisation org) => (
            (await app.StatementsOfAsync(org.Admin, c => c.GetAsync($"/api/v1/alignment?cycle={org.CycleId}"))).Count,
            (await app.StatementsOfAsync(org.Admin, c => c.GetAsync($"/api/v1/alignment?cycle={org.CycleId}&root={org.Delight.Id}"))).Count);

        var few = await CountAsync(small);
        var many = await CountAsync(wide);
        Assert.True(few.Top > 0 && few.Expand > 0);
        Assert.Equal(few, many);
        Assert.True((await wide.AlignmentAsync()).Objectives.Count > (await small.AlignmentAsync()).Objectives.Count);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheUnalignedObjectivesComeFiftyAPageWithTheirCount(DatabaseProvider provider)
    {
        var org = await AlignedOrganisation.CreateAsync(await apps.StartAsync(provider));
        for (var i = 0; i < AlignmentService.UnalignedPageSize; i++)
        {
            await org.Admin.CreateObjectiveAsync(org.CycleId, org.Sales.Id, $"Stand alone number {i}");
        }

        var first = await org.AlignmentAsync();
        var second = await org.AlignmentAsync("&unalignedPage=2");

        Assert.Equal(AlignmentService.UnalignedPageSize + 1, first.UnalignedTotal);
        Assert.Equal(AlignmentService.UnalignedPageSize, first.Unaligned.Count);
        Assert.Single(second.Unaligned);
        Assert.Empty(first.Unaligned.Intersect(second.Unaligned));
        Assert.All(first.Unaligned, id => Assert.Contains(first.Objectives, o => o.Id == id));
    }
}
