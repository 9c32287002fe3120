using System.Net;
using System.Net.Http.Json;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Alerts;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Search;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Alerts;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;

namespace Okapi.Web.Tests.Archiving;

/// <summary>An archived KPI leaves the lists, takes no values, its rules fire nothing, and it comes back as it was when restored.</summary>
public sealed class KpiArchiveTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private const string ReadOnly = "The KPI is archived; restore it first to change it.";

    private static async Task<(Guid TeamId, KpiDto Kept, KpiDto Archived)> ArrangeAsync(OkapiApp app, string name)
    {
        var team = await app.Admin.CreateTeamAsync(name);
        var kept = await app.Admin.CreateKpiAsync(KpiArrangements.Request($"{name} leads", team.Id));
        var archived = await app.Admin.CreateKpiAsync(KpiArrangements.Request($"{name} fax orders", team.Id));
        return (team.Id, kept, archived);
    }

    private static Task<KpiDto> ArchiveAsync(OkapiApp app, Guid id) =>
        app.Admin.PostAsync<KpiDto>($"/api/v1/kpis/{id}/archive", new { }, HttpStatusCode.OK);

    private static Task<KpiDto> RestoreAsync(OkapiApp app, Guid id) =>
        app.Admin.PostAsync<KpiDto>($"/api/v1/kpis/{id}/restore", new { }, HttpStatusCode.OK);

    private static async Task AssertConflictAsync(HttpResponseMessage response, string because)
    {
        using (response)
        {
            var problem = await Api.AssertProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Equal(because, problem.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnArchivedKpiLeavesTheListsDashboardAndSearchAndIsFoundWithArchivedTrue(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (teamId, kept, archived) = await ArrangeAsync(app, "Hidden");

        var answer = await ArchiveAsync(app, archived.Id);

        Assert.NotNull(answer.ArchivedAt);
        Assert.False(answer.CanEdit);
        Assert.True(answer.CanRestore);
        Assert.Equal([kept.Id], (await app.Admin.GetAsync<Page<KpiDto>>($"/api/v1/kpis?team={teamId}")).Items.Select(k => k.Id));
        Assert.Equal([archived.Id], (await app.Admin.GetAsync<Page<KpiDto>>($"/api/v1/kpis?team={teamId}&archived=true")).Items.Select(k => k.Id));
        Assert.Equal([kept.Id], (await app.Admin.GetAsync<List<KpiTileDto>>($"/api/v1/kpis/dashboard?team={teamId}")).Select(t => t.Kpi.Id));
        Assert.DoesNotContain(await app.Admin.GetAsync<List<SearchHit>>("/api/v1/search?q=fax"), h => h.Id == archived.Id);
        Assert.Equal(answer.ArchivedAt, (await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{archived.Id}")).ArchivedAt);

        var restored = await RestoreAsync(app, archived.Id);

        Assert.Null(restored.ArchivedAt);
        Assert.True(restored.CanEdit);
        Assert.Equal(2, (await app.Admin.GetAsync<Page<KpiDto>>($"/api/v1/kpis?team={teamId}")).Total);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnArchivedKpiRefusesEditsValuesAndAlertRulesUntilRestored(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (teamId, _, archived) = await ArrangeAsync(app, "Frozen");
        await ArchiveAsync(app, archived.Id);
        var value = new KpiValueInput(app.Clock.GetUtcNow(), 12);

        await AssertConflictAsync(await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/kpis/{archived.Id}", KpiArrangements.Request("Renamed", teamId)), ReadOnly);
        await AssertConflictAsync(await app.Admin.PostAsJsonAsync($"/api/v1/kpis/{archived.Id}/values", value, Api.Json), ReadOnly);
        await AssertConflictAsync(await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/alert-rules", AlertArrangements.Rule(archived.Id, thresholdLevel: KpiHealth.Critical)), ReadOnly);
        await AssertConflictAsync(await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/kpis/{archived.Id}/archive", null), "The KPI is already archived.");
        using (var bulk = await app.Admin.PostAsJsonAsync("/api/v1/kpi-values", new[] { new { kpiId = archived.Id, at = value.At, value = 12 } }, Api.Json))
        {
            var problem = await Api.AssertProblemAsync(bulk, HttpStatusCode.BadRequest);
            Assert.Contains("archived", problem.GetProperty("errors").ToString(), StringComparison.Ordinal);
        }

        var unchanged = await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{archived.Id}");
        Assert.Equal(archived.Name, unchanged.Name);
        Assert.Null(unchanged.LatestAt);

        await RestoreAsync(app, archived.Id);

        Assert.Equal(1, (await app.Admin.AddValuesAsync(archived.Id, value)).Accepted);
        Assert.Equal("Renamed", (await app.Admin.PutAsync<KpiDto>($"/api/v1/kpis/{archived.Id}", KpiArrangements.Request("Renamed", teamId))).Name);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task RestoringAnActiveKpiIsRefusedAndAnUnknownOneIsNotFound(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (_, kept, _) = await ArrangeAsync(app, "Active");

        await AssertConflictAsync(await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/kpis/{kept.Id}/restore", null), "The KPI is not archived.");
        using var unknown = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/kpis/{Guid.NewGuid()}/archive", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnAlertRuleOfAnArchivedKpiFiresNothingUntilTheKpiIsRestored(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Resting");
        var kpi = await app.CreateKpiAsync(team.Id);
        await app.Admin.CreateRuleAsync(AlertArrangements.Rule(kpi.Id, thresholdLevel: KpiHealth.Critical));
        await ArchiveAsync(app, kpi.Id);

        // Below the critical bound, written past the API's refusal as a value already on its way would be.
        await app.StoreValuesAsync(kpi.Id, evaluate: false, (app.Clock.GetUtcNow(), 0.5));
        await app.EvaluateAllAsync();
        Assert.Empty(await app.Admin.AlertsOfAsync(kpi.Id));

        await RestoreAsync(app, kpi.Id);
        await app.EvaluateAllAsync();
        Assert.Equal(AlertState.Firing, Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id)).State);
    }
}
