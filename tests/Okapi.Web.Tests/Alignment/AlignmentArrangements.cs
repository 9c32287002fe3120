using Okapi.Core.Okrs;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Alignment;

/// <summary>
/// An organisation of its own, so that the company's team is known, with four levels of teams and objectives:
/// the company's objective; Product's aligned to it and Sales' aligned to one of its key results; Checkout's aligned to
/// Product's; two of Payments' aligned to Checkout's. Sales also has an objective aligned to nothing.
/// </summary>
public sealed record AlignedOrganisation(
    HttpClient Admin, Guid CycleId, TeamDto Company, TeamDto Product, TeamDto Sales, TeamDto Checkout, TeamDto Payments,
    ObjectiveDto Grow, KeyResultDto GrowRevenue, ObjectiveDto Delight, ObjectiveDto Sell, ObjectiveDto Checkout1, ObjectiveDto Pay1, ObjectiveDto Pay2,
    ObjectiveDto Unaligned)
{
    /// <param name="siblings">More objectives beside each aligned one (same team, same parent), to grow the organisation without deepening it.</param>
    public static async Task<AlignedOrganisation> CreateAsync(OkapiApp app, int siblings = 0)
    {
        var (_, admin) = await app.CreateOrganisationAsync($"Aligned {Guid.NewGuid():N}");
        var cycle = await admin.CreateCycleAsync("Aligned quarter");
        var company = (await admin.GetAsync<Page<TeamDto>>("/api/v1/teams?pageSize=200")).Items.Single(t => t.ParentTeamId is null);
        var product = await admin.PostAsync<TeamDto>("/api/v1/teams", new TeamRequest("Product", company.Id, null, []));
        var sales = await admin.PostAsync<TeamDto>("/api/v1/teams", new TeamRequest("Sales", company.Id, null, []));
        var checkout = await admin.PostAsync<TeamDto>("/api/v1/teams", new TeamRequest("Checkout", product.Id, null, []));
        var payments = await admin.PostAsync<TeamDto>("/api/v1/teams", new TeamRequest("Payments", checkout.Id, null, []));

        var grow = await admin.CreateObjectiveAsync(cycle.Id, company.Id, "Grow a profitable business");
        var revenue = await admin.CreateKeyResultAsync(grow.Id, "Grow revenue from 10 to 20", 10, 20);
        var delight = await admin.AlignedObjectiveAsync(cycle.Id, product.Id, "Delight our customers", grow.Id, siblings);
        var sell = await admin.CreateObjectiveAsync(cycle.Id, sales.Id, "Sell to bigger customers");
        await admin.AlignAsync(sell.Id, null, revenue.Id);
        var checkout1 = await admin.AlignedObjectiveAsync(cycle.Id, checkout.Id, "Make checkout instant", delight.Id, siblings);
        var pay1 = await admin.AlignedObjectiveAsync(cycle.Id, payments.Id, "Accept every card", checkout1.Id, siblings);
        var pay2 = await admin.AlignedObjectiveAsync(cycle.Id, payments.Id, "Pay out within a day", checkout1.Id, 0);
        var unaligned = await admin.CreateObjectiveAsync(cycle.Id, sales.Id, "Tidy up the CRM");
        return new AlignedOrganisation(admin, cycle.Id, company, product, sales, checkout, payments, grow, revenue, delight, sell, checkout1, pay1, pay2, unaligned);
    }

    public Task<AlignmentDto> AlignmentAsync(string query = "", HttpClient? client = null) =>
        (client ?? Admin).GetAsync<AlignmentDto>($"/api/v1/alignment?cycle={CycleId}{query}");
}

public static class AlignmentCalls
{
    public static async Task AlignAsync(this HttpClient client, Guid childId, Guid? parentObjectiveId, Guid? parentKeyResultId = null) =>
        await client.PostAsync<AlignmentLinkDto>($"/api/v1/objectives/{childId}/parents", new AlignmentLinkRequest(parentObjectiveId, parentKeyResultId, null, null));

    /// <summary>An objective aligned to <paramref name="parentId"/>, and <paramref name="siblings"/> more beside it.</summary>
    public static async Task<ObjectiveDto> AlignedObjectiveAsync(this HttpClient client, Guid cycleId, Guid teamId, string title, Guid parentId, int siblings = 0,
        Visibility visibility = Visibility.Public)
    {
        var objective = await client.CreateObjectiveAsync(cycleId, teamId, title, visibility);
        await client.AlignAsync(objective.Id, parentId);
        for (var i = 0; i < siblings; i++)
        {
            var sibling = await client.CreateObjectiveAsync(cycleId, teamId, $"{title}, part {i + 2}");
            await client.AlignAsync(sibling.Id, parentId);
        }

        return objective;
    }
}
