using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Access;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Closing;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

public sealed class DemoDataTests(DemoApps apps) : IClassFixture<DemoApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task TheDemoOrganisationHasTeamsPeopleAndTwoQuarters(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        Assert.Equal("Acme Outfitters", (await app.Admin.GetAsync<OrganisationDto>("/api/v1/organisation")).Name);
        var teams = (await app.Admin.GetAsync<Page<TeamDto>>("/api/v1/teams")).Items;
        var company = teams.Single(t => t.ParentTeamId is null);
        Assert.Equal(["Customer Success", "Engineering", "Marketing", "Sales"], teams.Where(t => t.ParentTeamId == company.Id).Select(t => t.Name).Order());
        Assert.Contains(teams, t => t.Name == "Application Performance");
        Assert.True((await app.Admin.GetAsync<Page<PersonDto>>("/api/v1/people")).Total >= 12);

        var cycles = (await app.Admin.GetAsync<Page<CycleDto>>("/api/v1/cycles")).Items;
        Assert.Equal([("2027 Q1", CycleState.Active), ("2026 Q4", CycleState.Closed)], cycles.Select(c => (c.Name, c.State)));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheClosedQuarterIsGradedAsGoogleWouldGradeIt(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var closed = (await app.Admin.GetAsync<Page<CycleDto>>("/api/v1/cycles?state=closed")).Items.Single();
        var objectives = (await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={closed.Id}")).Items;
        var launch = objectives.SelectMany(o => o.KeyResults).Single(k => k.Title == "Launch six new product lines online");
        Assert.Equal(0.5, launch.Grade);
        Assert.Equal(GradeColour.Yellow, launch.GradeColour);
        Assert.Equal(1.0, objectives.SelectMany(o => o.KeyResults).Single(k => k.Title == "Launch the loyalty programme").Grade);
        Assert.All(objectives, o => Assert.Equal(Core.Okrs.ObjectiveState.Closed, o.State));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheClosedQuarterWasClosedThroughTheCloseWithAnOverrideItsReasonAndRetrospectives(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var closed = (await app.Admin.GetAsync<Page<CycleDto>>("/api/v1/cycles?state=closed")).Items.Single();
        var closing = Assert.Single(await app.Admin.GetAsync<List<ClosingDto>>($"/api/v1/cycles/{closed.Id}/closings"));
        Assert.Null(closing.TeamId);
        Assert.Equal(app.AdminId, closing.ClosedById);
        var checkout = closing.Objectives.Single(o => o.Title == "Make checkout reliable");
        Assert.NotNull(checkout.Retrospective);
        var errors = Assert.Single(checkout.KeyResults);
        Assert.Equal(0.4, errors.Grade);
        Assert.Contains("payment provider", errors.OverrideReason);
        Assert.Contains(closing.Objectives, o => o.Title == "Bring the new collection to every customer" && o.Retrospective != null);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task CurrentStatusesAndForecastsDiffer(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var active = (await app.Admin.GetAsync<Page<CycleDto>>("/api/v1/cycles?state=active")).Items.Single();
        var keyResults = (await app.Admin.GetAsync<Page<KeyResultDto>>($"/api/v1/key-results?cycle={active.Id}&pageSize=200")).Items;
        Assert.True(keyResults.Count >= 15);
        Assert.Contains(keyResults, k => k.Status == OkrStatus.OnTrack);
        Assert.Contains(keyResults, k => k.Status == OkrStatus.AtRisk);
        Assert.Contains(keyResults, k => k.Status == OkrStatus.OffTrack);
        Assert.Contains(keyResults, k => k.Stale);
        Assert.Contains(keyResults, k => k.ConfidenceDisagrees);
        Assert.Contains(keyResults, k => k.Forecast.Method == ForecastMethod.Trend);

        var growth = (await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={active.Id}&pageSize=200")).Items
            .Single(o => o.Title == "Grow a profitable business our customers love");
        Assert.Empty(growth.KeyResults);
        Assert.True(growth.Progress > 0, "an objective without key results rolls up from its children");
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheLinterHasSomethingToSayAboutTheWeakObjective(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var active = (await app.Admin.GetAsync<Page<CycleDto>>("/api/v1/cycles?state=active")).Items.Single();
        var weak = (await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={active.Id}&pageSize=200")).Items
            .Single(o => o.Title == "Increase sales by 20 % this quarter");
        var rules = (await app.Admin.GetAsync<JsonElement>($"/api/v1/lint?objective={weak.Id}")).EnumerateArray()
            .Select(f => f.GetProperty("ruleId").GetString()).ToList();
        Assert.Contains("objective-title-number", rules);
        Assert.Contains("key-result-activity", rules);
        Assert.Contains("objective-unaligned", rules);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheViewerDoesNotSeeEngineeringsPrivateObjective(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var grace = (await app.Admin.GetAsync<Page<PersonDto>>("/api/v1/people?search=grace")).Items.Single();
        using var viewer = await app.ClientForAsync(grace.Id, TokenScope.Read);
        var titles = (await viewer.GetAsync<Page<ObjectiveDto>>("/api/v1/objectives?pageSize=200")).Items.Select(o => o.Title).ToList();
        Assert.Contains("Make our shop feel instant", titles);
        Assert.DoesNotContain("Pass the security audit without findings", titles);
        Assert.Contains("Pass the security audit without findings",
            (await app.Admin.GetAsync<Page<ObjectiveDto>>("/api/v1/objectives?pageSize=200")).Items.Select(o => o.Title));
    }

    private static readonly string[] KpiNames =
    [
        "Average order value", "Conversion rate", "Customer satisfaction", "Customer-service wait time", "Instagram followers",
        "Leads per week", "Sales per week", "Server uptime", "Website click-through rate",
    ];

    [Theory]
    [OnEveryDatabase]
    public async Task NineKpisHaveHalfAYearOfHistoryAndAreVisibleToEveryone(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var kpis = await app.QueryAsync(db => db.Kpis.ToListAsync());
        Assert.Equal(KpiNames, kpis.Select(k => k.Name).Order());
        var numbers = kpis.Select(k => k.Number).ToList();
        var values = (await app.QueryAsync(db => db.KpiValues.Where(v => numbers.Contains(v.KpiNumber)).ToListAsync())).ToLookup(v => v.KpiNumber);
        foreach (var kpi in kpis)
        {
            var series = values[kpi.Number].OrderBy(v => v.At).ToList();
            Assert.True(series[^1].At - series[0].At >= TimeSpan.FromDays(182), $"{kpi.Name} has {series[^1].At - series[0].At} of history");
            Assert.All(series, v => Assert.Equal(KpiValueSource.Demo, v.Source));
            Assert.Equal(series[^1].At, kpi.LatestAt);
            Assert.Equal(series[^1].Value, kpi.LatestValue);
            Assert.True(kpi.HasThresholds && kpi.Target is not null && kpi.Tags.Count > 0 && kpi.OwnerTeamId is not null, kpi.Name);
            Assert.True(kpi.Validate().IsValid, kpi.Name);
            Assert.Equal(Core.Okrs.Visibility.Public, kpi.Visibility);
        }

        Assert.Equal(KpiDirection.LowerIsBetter, kpis.Single(k => k.Name == "Customer-service wait time").Direction);
        Assert.Equal(Cadence.Daily, kpis.Single(k => k.Name == "Server uptime").Cadence);
        Assert.Equal(PeriodAggregation.Sum, kpis.Single(k => k.Name == "Sales per week").Aggregation);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheViewerSeesAllNineKpisAndTheConversionRateIsCritical(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var grace = (await app.Admin.GetAsync<Page<PersonDto>>("/api/v1/people?search=grace")).Items.Single();
        using var viewer = await app.ClientForAsync(grace.Id, TokenScope.Read);
        var kpis = (await viewer.GetAsync<Page<KpiDto>>("/api/v1/kpis?pageSize=200")).Items;
        Assert.Equal(KpiNames, kpis.Select(k => k.Name).Order());
        var conversion = kpis.Single(k => k.Name == "Conversion rate");
        Assert.Equal(KpiHealth.Critical, conversion.Health);
        Assert.Equal(1, conversion.OpenAlerts);
        Assert.All(kpis.Where(k => k.Name != "Conversion rate"), k => Assert.Equal(0, k.OpenAlerts));
    }

    [Theory]
    [OnEveryDatabase("Raise customer satisfaction from 30 % to 50 %", "Customer satisfaction")]
    [OnEveryDatabase("Raise the average order value from €80 to €92", "Average order value")]
    [OnEveryDatabase("Lift the website click-through rate by 30 %, from 2.0 % to 2.6 %", "Website click-through rate")]
    [OnEveryDatabase("Grow Instagram followers from 400,000 to 1 million", "Instagram followers")]
    [OnEveryDatabase("Keep server uptime above 99.9 %", "Server uptime")]
    [OnEveryDatabase("Cut the average customer-service wait time from 10 to 4 minutes", "Customer-service wait time")]
    public async Task LinkedKeyResultsTakeTheirCheckInsFromTheKpi(DatabaseProvider provider, string keyResult, string kpiName)
    {
        var app = await apps.StartAsync(provider);
        var kpi = await app.QueryAsync(db => db.Kpis.SingleAsync(k => k.Name == kpiName));
        var kr = await app.QueryAsync(db => db.KeyResults.SingleAsync(k => k.Title == keyResult));
        Assert.Equal(kpi.Id, kr.KpiId);
        Assert.Equal(kpi.LatestValue, kr.Current);
        Assert.Equal((await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{kpi.Id}")).Current, kr.Current);

        var checkIns = await app.QueryAsync(db => db.CheckIns.Where(c => c.KeyResultId == kr.Id).ToListAsync());
        var since = checkIns.Min(c => c.At);
        var values = await app.QueryAsync(db => db.ValuesOf(kpi.Id).Where(v => v.At >= since).ToListAsync());
        Assert.True(checkIns.Count >= 2);
        Assert.All(checkIns, c => Assert.Equal(Core.Okrs.CheckInSource.Kpi, c.Source));
        Assert.Equal(values.OrderBy(v => v.At).Select(v => (v.At, v.Value)), checkIns.OrderBy(c => c.At).Select(c => (c.At, c.Value)));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheConversionRateIsTheOneKpiInAlertAndNotifiesInAppOnly(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var alerts = await app.QueryAsync(db => db.Alerts.ToListAsync());
        var firing = Assert.Single(alerts, a => a.State == AlertState.Firing);
        Assert.Single(alerts);
        var kpi = await app.QueryAsync(db => db.Kpis.SingleAsync(k => k.Id == firing.KpiId));
        Assert.Equal("Conversion rate", kpi.Name);
        Assert.True(kpi.LatestValue < kpi.CriticalLower);
        Assert.True(firing.ValueAtStart < kpi.CriticalLower);
        Assert.True(firing.StartedAt < firing.FiredAt && firing.FiredAt <= kpi.LatestAt);
        Assert.Contains("critical", firing.Summary);

        var rule = await app.QueryAsync(db => db.AlertRules.SingleAsync(r => r.Id == firing.RuleId));
        Assert.Equal((kpi.Id, AlertRuleKind.Threshold, KpiHealth.Critical), (rule.KpiId, rule.Kind, rule.ThresholdLevel));
        var channels = await app.QueryAsync(db => db.Channels.ToListAsync());
        var inApp = Assert.Single(channels);
        Assert.Equal(("In-app", ChannelKind.InApp), (inApp.Name, inApp.Kind));
        Assert.Equal([inApp.Id], rule.ChannelIds);
    }
}
