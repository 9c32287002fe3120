using System.Text.Json;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Alerts;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Reports;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;

namespace Okapi.Web.Tests.Lint;

/// <summary>The linter's KPI rules, through the lint API and the report, on KPIs and values stored through the API.</summary>
public sealed class KpiLintTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private static async Task<List<(string Rule, Guid Subject, string Message)>> LintAsync(OkapiApp app, string query) =>
        (await app.Admin.GetAsync<JsonElement>($"/api/v1/lint{query}")).EnumerateArray()
            .Select(f => (f.GetProperty("ruleId").GetString()!, f.GetProperty("subject").GetProperty("id").GetGuid(), f.GetProperty("message").GetString()!))
            .ToList();

    private static Task<KpiDto> KpiAsync(OkapiApp app, Guid teamId, string name, double? warningLower = null) =>
        app.Admin.CreateKpiAsync(KpiArrangements.Request(name, teamId, key: $"k-{Guid.NewGuid():N}", warningLower: warningLower));

    [Theory]
    [OnEveryDatabase]
    public async Task AKpiWithNeitherAThresholdNorAnAlertRuleIsFlaggedAndOneWithEitherIsNot(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync("Lint KPIs");
        var team = await app.Admin.CreateTeamAsync($"Growth {Guid.NewGuid():N}");
        var bare = await KpiAsync(app, team.Id, "Website visits");
        var guarded = await KpiAsync(app, team.Id, "Revenue", warningLower: 10);
        var watched = await KpiAsync(app, team.Id, "Churn");
        await app.Admin.PostAsync<AlertRuleDto>("/api/v1/alert-rules", new AlertRuleRequest(watched.Id, "Churn stops", AlertRuleKind.NoData,
            null, null, null, null, null, null, 2, null, null, null, null));

        var forTeam = await LintAsync(app, $"?team={team.Id}");
        var forCompany = await LintAsync(app, "");
        var report = await app.Admin.GetAsync<CycleReportDto>($"/api/v1/reports/cycles/{cycle.Id}?team={team.Id}");

        const string rule = "kpi-no-threshold-or-alert";
        Assert.Equal([bare.Id], forTeam.Where(f => f.Rule == rule).Select(f => f.Subject));
        Assert.Contains("Website visits", Assert.Single(forTeam, f => f.Rule == rule).Message);
        Assert.Contains(forCompany, f => f.Rule == rule && f.Subject == bare.Id);
        Assert.DoesNotContain(forCompany, f => f.Subject == guarded.Id || f.Subject == watched.Id);
        Assert.Contains(report.Findings, f => f.RuleId == rule && f.Subject.Id == bare.Id);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ATeamWithElevenKpisIsFlaggedAndATeamWithTenIsNot(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var crowded = await app.Admin.CreateTeamAsync($"Crowded {Guid.NewGuid():N}");
        var focused = await app.Admin.CreateTeamAsync($"Focused {Guid.NewGuid():N}");
        for (var i = 0; i < 11; i++)
        {
            await KpiAsync(app, crowded.Id, $"Crowded {i}", warningLower: 1);
            if (i < 10)
            {
                await KpiAsync(app, focused.Id, $"Focused {i}", warningLower: 1);
            }
        }

        const string rule = "team-too-many-kpis";
        Assert.Contains("11 KPIs", Assert.Single(await LintAsync(app, $"?team={crowded.Id}"), f => f.Rule == rule && f.Subject == crowded.Id).Message);
        Assert.DoesNotContain(await LintAsync(app, $"?team={focused.Id}"), f => f.Rule == rule);
        var forCompany = await LintAsync(app, "");
        Assert.Contains(forCompany, f => f.Rule == rule && f.Subject == crowded.Id);
        Assert.DoesNotContain(forCompany, f => f.Rule == rule && f.Subject == focused.Id);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AKeyResultItsKpiHasPassedOrWhoseTrendReachesItByCycleEndIsFlaggedAndAStretchBeyondIsNot(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync("Lint trends");
        var team = await app.Admin.CreateTeamAsync($"Sales {Guid.NewGuid():N}");
        var kpi = await KpiAsync(app, team.Id, "Weekly leads", warningLower: 50);
        // Ten Mondays up to a week ago, rising by 10 a week from 100 to 190: the cycle's last week (from Monday 29 March)
        // is seven weeks after the newest, so the straight line reaches 260 there (a little less where clocks go forward
        // in between, as the line runs through the periods' first instants).
        var now = app.Clock.GetUtcNow();
        await app.Admin.AddValuesAsync(kpi.Id, Enumerable.Range(0, 10).Select(i => new KpiValueInput(now.AddDays(-7 * (10 - i)), 100 + 10 * i)).ToList());
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Fill the pipeline");
        async Task<KeyResultDto> FollowingAsync(string title, double target) =>
            await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results",
                new KeyResultRequest(objective.Id, title, app.AdminId, KeyResultType.IncreaseTo, "leads", 100, target, null, null, null, null, null, kpi.Id));
        var passed = await FollowingAsync("Grow weekly leads to 150", 150);
        var onTrend = await FollowingAsync("Grow weekly leads to 240", 240);
        var stretch = await FollowingAsync("Grow weekly leads to 400", 400);

        var findings = await LintAsync(app, $"?objective={objective.Id}");
        var forCycle = await LintAsync(app, $"?cycle={cycle.Id}");

        const string rule = "key-result-reached-by-trend";
        Assert.Contains("already at 190", Assert.Single(findings, f => f.Rule == rule && f.Subject == passed.Id).Message);
        Assert.Matches(@"trend reaches (259\.9\d?|260) ", Assert.Single(findings, f => f.Rule == rule && f.Subject == onTrend.Id).Message);
        Assert.DoesNotContain(findings, f => f.Rule == rule && f.Subject == stretch.Id);
        Assert.Equal(findings.Where(f => f.Rule == rule).Select(f => f.Subject).Order(), forCycle.Where(f => f.Rule == rule).Select(f => f.Subject).Order());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheTrendsOfManyKpisAreReadInAsManyStatementsAsOne(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync("Lint cost");
        var team = await app.Admin.CreateTeamAsync($"Cost {Guid.NewGuid():N}");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Grow everywhere");
        var now = app.Clock.GetUtcNow();
        async Task FollowAsync(int n)
        {
            var kpi = await KpiAsync(app, team.Id, $"Signals {n}", warningLower: 1);
            await app.Admin.AddValuesAsync(kpi.Id, Enumerable.Range(0, 4).Select(i => new KpiValueInput(now.AddDays(-7 * (4 - i)), 10 + i)).ToList());
            await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results",
                new KeyResultRequest(objective.Id, $"Grow signals {n} to 99", app.AdminId, KeyResultType.IncreaseTo, "signals", 10, 99, null, null, null, null, null, kpi.Id));
        }

        var url = $"/api/v1/lint?objective={objective.Id}";
        await FollowAsync(0);
        var one = await app.StatementsOfAsync(app.Admin, c => c.GetAsync(url));
        for (var n = 1; n < 5; n++)
        {
            await FollowAsync(n);
        }

        var five = await app.StatementsOfAsync(app.Admin, c => c.GetAsync(url));
        Assert.Equal(one.Count, five.Count);
    }
}
