using Okapi.Core.Auditing;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Audit;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Alerts;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Sources;

namespace Okapi.Web.Tests;

public sealed class ObjectiveHistoryTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task TheHistoryNamesWhatEachEventIsAboutAndCarriesCheckInsWithTheirNotesButNotTheKpisOwn(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Growth");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Delight our customers");
        var kr = await app.Admin.CreateKeyResultAsync(objective.Id, "Raise satisfaction from 30 % to 50 %");
        var kpi = await app.AddKpiAsync(team.Id, "leads");
        var followed = await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results",
            new KeyResultRequest(objective.Id, "Reach 100 weekly leads", null, KeyResultType.IncreaseTo, "leads", 0, 100, null, null, null, null, null, kpi.Id));
        await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(38, Confidence.AtRisk, "Survey **after** the release", null));
        await app.StoreValueAsync(kpi.Id, 40);
        var fromKpi = await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{followed.Id}/check-ins");
        Assert.Equal(CheckInSource.Kpi, Assert.Single(fromKpi.Items).Source);

        var history = await app.Admin.GetAsync<List<HistoryEventDto>>($"/api/v1/objectives/{objective.Id}/history");

        var checkIn = Assert.Single(history, e => e.EntityType == nameof(CheckIn));
        Assert.Equal("Raise satisfaction from 30 % to 50 %", checkIn.About);
        Assert.Equal(AuditAction.Create, checkIn.Action);
        Assert.Equal((38.0, Confidence.AtRisk, "Survey **after** the release"), (checkIn.CheckIn!.Value, checkIn.CheckIn.Confidence, checkIn.CheckIn.Note));
        Assert.Equal("Reach 100 weekly leads", Assert.Single(history, e => e.EntityId == followed.Id && e.Action == AuditAction.Create).About);
        Assert.Equal("Delight our customers", Assert.Single(history, e => e.EntityId == objective.Id).About);
        Assert.All(history.Where(e => e.CheckIn is null), e => Assert.NotEqual(nameof(CheckIn), e.EntityType));
    }
}
