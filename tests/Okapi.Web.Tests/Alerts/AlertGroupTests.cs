using Okapi.Core.Access;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Alerts;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;
using static Okapi.Web.Tests.Alerts.AlertArrangements;

namespace Okapi.Web.Tests.Alerts;

/// <summary>Alerts grouped by rule, so that a flapping rule is one row with how often it fired and when it last changed.</summary>
public sealed class AlertGroupTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private static string Since(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    /// <summary>Fires and resolves the KPI's critical rule <paramref name="times"/> times, an hour apart.</summary>
    private static async Task FlapAsync(OkapiApp app, Guid kpiId, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await app.StoreValueAsync(kpiId, 0.5);
            app.Clock.Advance(TimeSpan.FromHours(1));
            await app.StoreValueAsync(kpiId, 3);
            app.Clock.Advance(TimeSpan.FromHours(1));
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AFlappingRuleIsOneGroupThatCountsItsFiringsAndShowsItsOpenAlert(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync($"Growth {Guid.NewGuid():N}");
        var kpi = await app.CreateKpiAsync(team.Id);
        var rule = await app.Admin.CreateRuleAsync(Rule(kpi.Id, name: "Conversion flaps"));

        await FlapAsync(app, kpi.Id, 2);
        await app.StoreValueAsync(kpi.Id, 0.5);

        var group = Assert.Single((await app.Admin.GetAsync<Page<AlertGroupDto>>($"/api/v1/alerts/groups?kpi={kpi.Id}")).Items);
        Assert.Equal((rule.Id, "Conversion flaps", kpi.Id, kpi.Name, AlertSeverity.Critical, AlertState.Firing, 3, 3),
            (group.RuleId, group.RuleName, group.KpiId, group.KpiName, group.Severity, group.State, group.FiredCount, group.AlertCount));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, group.LastChangeAt);
        var open = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id, "&open=true"));
        Assert.Equal(open.Id, group.Open?.Id);
        Assert.True(group.Open!.CanAcknowledge);

        // Its alerts, newest first, are those of the rule.
        var alerts = await app.Admin.AlertsOfAsync(kpi.Id, $"&rule={rule.Id}");
        Assert.Equal([AlertState.Firing, AlertState.Resolved, AlertState.Resolved], alerts.Select(a => a.State));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AGroupCountsOnlyTheAlertsOfItsPeriodAndOpenGroupsComeFirst(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync($"Growth {Guid.NewGuid():N}");
        var quiet = await app.CreateKpiAsync(team.Id, name: "Quiet");
        var quietRule = await app.Admin.CreateRuleAsync(Rule(quiet.Id, name: "Quiet once flapped"));
        await FlapAsync(app, quiet.Id, 2);
        var oldFlapsEnded = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromDays(8));
        await FlapAsync(app, quiet.Id, 1);
        var resolvedAt = app.Clock.GetUtcNow().AddHours(-1).UtcDateTime;
        var busy = await app.CreateKpiAsync(team.Id, name: "Busy");
        var busyRule = await app.Admin.CreateRuleAsync(Rule(busy.Id, name: "Busy fires"));
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.StoreValueAsync(busy.Id, 0.5);

        // A week back by default: the two older firings are out of the period.
        var recent = Assert.Single((await app.Admin.GetAsync<Page<AlertGroupDto>>($"/api/v1/alerts/groups?kpi={quiet.Id}")).Items);
        Assert.Equal((quietRule.Id, AlertState.Resolved, 1, 1, resolvedAt, (Guid?)null), (recent.RuleId, recent.State, recent.FiredCount, recent.AlertCount, recent.LastChangeAt, recent.Open?.Id));
        var longer = Assert.Single((await app.Admin.GetAsync<Page<AlertGroupDto>>($"/api/v1/alerts/groups?kpi={quiet.Id}&since={Since(oldFlapsEnded.AddDays(-1))}")).Items);
        Assert.Equal((3, 3), (longer.FiredCount, longer.AlertCount));
        Assert.Single(await app.Admin.AlertsOfAsync(quiet.Id, $"&rule={quietRule.Id}&since={Since(oldFlapsEnded.AddDays(1))}"));
        Assert.Empty((await app.Admin.GetAsync<Page<AlertGroupDto>>($"/api/v1/alerts/groups?kpi={quiet.Id}&since={Since(app.Clock.GetUtcNow())}")).Items);

        var all = (await app.Admin.GetAsync<Page<AlertGroupDto>>("/api/v1/alerts/groups?pageSize=200")).Items.Select(g => g.RuleId).ToList();
        Assert.True(all.IndexOf(busyRule.Id) < all.IndexOf(quietRule.Id), "a firing group comes before a resolved one");
    }

    [Theory]
    [OnEveryDatabase]
    public async Task GroupsOfPrivateKpisStayHiddenFromThoseWhoMayNotSeeThem(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync($"Secret {Guid.NewGuid():N}");
        var kpi = await app.CreateKpiAsync(team.Id, visibility: Visibility.Private);
        var rule = await app.Admin.CreateRuleAsync(Rule(kpi.Id));
        await app.StoreValueAsync(kpi.Id, 0.5);
        Assert.Single((await app.Admin.GetAsync<Page<AlertGroupDto>>($"/api/v1/alerts/groups?kpi={kpi.Id}")).Items);

        var outsider = await app.Admin.CreatePersonAsync("Otto Outsider", Role.Member);
        using var client = await app.ClientForAsync(outsider.Id, TokenScope.Read);
        Assert.DoesNotContain(rule.Id, (await client.GetAsync<Page<AlertGroupDto>>("/api/v1/alerts/groups?pageSize=200")).Items.Select(g => g.RuleId));
    }
}
