using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Access;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Alerts;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;
using static Okapi.Web.Tests.Alerts.AlertArrangements;

namespace Okapi.Web.Tests.Alerts;

public sealed class AlertApiTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private async Task<(KpiDto Kpi, Channel Channel)> KpiWithChannelAsync(OkapiApp app, Cadence cadence = Cadence.Daily)
    {
        var team = await app.Admin.CreateTeamAsync($"Growth {Guid.NewGuid():N}");
        return (await app.CreateKpiAsync(team.Id, cadence), await app.CreateChannelAsync());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ThresholdRuleFiresOnACriticalValueAndResolvesWhenTheValueRecovers(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, channel) = await KpiWithChannelAsync(app);
        var rule = await app.Admin.CreateRuleAsync(Rule(kpi.Id, channelIds: channel.Id));
        await app.StoreValueAsync(kpi.Id, 1.5);
        Assert.Empty(await app.Admin.AlertsOfAsync(kpi.Id));

        // Storing the value evaluates the rule at once: no timer pass is needed without a pending period.
        await app.StoreValueAsync(kpi.Id, 0.5);
        var firing = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id, "&open=true"));
        Assert.Equal((AlertState.Firing, rule.Id, "Conversion needs attention", 0.5), (firing.State, firing.RuleId, firing.RuleName, firing.ValueAtStart));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, firing.FiredAt);
        Assert.Equal("Conversion is critical at 0.5 %.", firing.Summary);
        Assert.Equal([(NotificationEvent.AlertFiring, channel.Id)], await app.DeliveriesAsync(firing.Id));

        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.StoreValueAsync(kpi.Id, 3);
        var resolved = await app.Admin.GetAsync<AlertDto>($"/api/v1/alerts/{firing.Id}");
        Assert.Equal((AlertState.Resolved, app.Clock.GetUtcNow().UtcDateTime, 3.0), (resolved.State, resolved.ResolvedAt, resolved.LastValue));
        Assert.Empty(await app.Admin.AlertsOfAsync(kpi.Id, "&open=true"));
        Assert.Equal([NotificationEvent.AlertFiring, NotificationEvent.AlertResolved], (await app.DeliveriesAsync(firing.Id)).Select(d => d.Event));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task WarningLevelRuleFiresOnAWarningValueWhereACriticalRuleStaysQuiet(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, _) = await KpiWithChannelAsync(app);
        var warning = await app.Admin.CreateRuleAsync(Rule(kpi.Id, name: "Warning", thresholdLevel: KpiHealth.Warning));
        await app.Admin.CreateRuleAsync(Rule(kpi.Id, name: "Critical", thresholdLevel: KpiHealth.Critical));

        await app.StoreValueAsync(kpi.Id, 1.5);

        var alert = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id));
        Assert.Equal(warning.Id, alert.RuleId);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task PendingAlertFiresOnlyAfterThePendingPeriod(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, channel) = await KpiWithChannelAsync(app);
        await app.Admin.CreateRuleAsync(Rule(kpi.Id, pendingSeconds: 300, channelIds: channel.Id));

        await app.StoreValueAsync(kpi.Id, 0.5);
        var pending = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id));
        Assert.Equal((AlertState.Pending, null), (pending.State, pending.FiredAt));

        app.Clock.Advance(TimeSpan.FromSeconds(299));
        await app.EvaluateAllAsync();
        Assert.Equal(AlertState.Pending, (await app.Admin.GetAsync<AlertDto>($"/api/v1/alerts/{pending.Id}")).State);

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await app.EvaluateAllAsync();
        var firing = await app.Admin.GetAsync<AlertDto>($"/api/v1/alerts/{pending.Id}");
        Assert.Equal((AlertState.Firing, app.Clock.GetUtcNow().UtcDateTime, pending.StartedAt), (firing.State, firing.FiredAt, firing.StartedAt));
        Assert.Equal([NotificationEvent.AlertFiring], (await app.DeliveriesAsync(pending.Id)).Select(d => d.Event));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task PendingAlertWhoseValueRecoversIsResolvedWithoutEverFiring(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, channel) = await KpiWithChannelAsync(app);
        await app.Admin.CreateRuleAsync(Rule(kpi.Id, pendingSeconds: 600, channelIds: channel.Id));
        await app.StoreValueAsync(kpi.Id, 0.5);

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await app.StoreValueAsync(kpi.Id, 4);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await app.EvaluateAllAsync();

        var alert = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id));
        Assert.Equal((AlertState.Resolved, null), (alert.State, alert.FiredAt));
        Assert.Empty(await app.DeliveriesAsync(alert.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ChangeRuleFiresOnADropAgainstThePreviousPeriod(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, _) = await KpiWithChannelAsync(app);
        await app.Admin.CreateRuleAsync(Rule(kpi.Id, AlertRuleKind.Change, changePercent: 20, direction: ChangeDirection.Drop));
        var now = app.Clock.GetUtcNow();
        await app.StoreValuesAsync(kpi.Id, evaluate: true, (now.AddDays(-1), 100));
        Assert.Empty(await app.Admin.AlertsOfAsync(kpi.Id));

        await app.StoreValuesAsync(kpi.Id, evaluate: true, (now, 85));
        Assert.Empty(await app.Admin.AlertsOfAsync(kpi.Id));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.StoreValuesAsync(kpi.Id, evaluate: true, (app.Clock.GetUtcNow(), 70));

        var alert = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id));
        Assert.Equal((AlertState.Firing, 70.0), (alert.State, alert.ValueAtStart));
        Assert.Equal("Conversion dropped 30 % to 70 % against the previous period's 100 %.", alert.Summary);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ChangeRuleFiresOnARiseAgainstTheTrailingAverage(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, _) = await KpiWithChannelAsync(app, Cadence.Weekly);
        var now = app.Clock.GetUtcNow();
        // The four weeks before this one average 100; older weeks (10 and 100) are outside the window.
        await app.StoreValuesAsync(kpi.Id, evaluate: true,
            (now.AddDays(-42), 10), (now.AddDays(-35), 100), (now.AddDays(-28), 90), (now.AddDays(-21), 110), (now.AddDays(-14), 95), (now.AddDays(-7), 105));
        var fires = await app.Admin.CreateRuleAsync(Rule(kpi.Id, AlertRuleKind.Change, name: "Rise of 30 %", changePercent: 30, direction: ChangeDirection.Rise,
            baseline: ChangeBaseline.TrailingAverage, windowPeriods: 4));
        await app.Admin.CreateRuleAsync(Rule(kpi.Id, AlertRuleKind.Change, name: "Rise of 40 %", changePercent: 40, direction: ChangeDirection.Rise,
            baseline: ChangeBaseline.TrailingAverage, windowPeriods: 4));

        await app.StoreValueAsync(kpi.Id, 135);

        var alert = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id));
        Assert.Equal(fires.Id, alert.RuleId);
        Assert.Equal("Conversion rose 35 % to 135 % against the average 100 % of the 4 periods before.", alert.Summary);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task NoDataRuleFiresAfterItsCadencesWithoutAValueAndResolvesWhenOneArrives(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, channel) = await KpiWithChannelAsync(app);
        await app.StoreValueAsync(kpi.Id, 5);
        await app.Admin.CreateRuleAsync(Rule(kpi.Id, AlertRuleKind.NoData, noDataCadences: 2, channelIds: channel.Id));

        app.Clock.Advance(TimeSpan.FromHours(47));
        await app.EvaluateAllAsync();
        Assert.Empty(await app.Admin.AlertsOfAsync(kpi.Id));

        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.Services.GetRequiredService<AlertWorker>().RunPassAsync(CancellationToken.None);
        var alert = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id, "&state=firing"));
        Assert.Null(alert.ValueAtStart);
        Assert.StartsWith("Conversion has had no value since", alert.Summary);

        await app.StoreValueAsync(kpi.Id, 6);
        Assert.Equal(AlertState.Resolved, (await app.Admin.GetAsync<AlertDto>($"/api/v1/alerts/{alert.Id}")).State);
        Assert.Equal([NotificationEvent.AlertFiring, NotificationEvent.AlertResolved], (await app.DeliveriesAsync(alert.Id)).Select(d => d.Event));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheWorkerFiresAPendingAlertOnItsOwnTimerAndTheKpiCountsIt(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, _) = await KpiWithChannelAsync(app);
        await app.Admin.CreateRuleAsync(Rule(kpi.Id, pendingSeconds: 60));
        await app.StoreValueAsync(kpi.Id, 0.5);
        var pending = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id));
        Assert.Equal(AlertState.Pending, pending.State);

        // No explicit pass: the worker waits on the fake clock, so moving it past the pending period runs one.
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var state = AlertState.Pending;
        for (var i = 0; i < 100 && state != AlertState.Firing; i++)
        {
            await Task.Delay(100);
            state = (await app.Admin.GetAsync<AlertDto>($"/api/v1/alerts/{pending.Id}")).State;
        }

        Assert.Equal(AlertState.Firing, state);
        Assert.Equal(1, (await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{kpi.Id}")).OpenAlerts);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task FiringAlertNotifiesAgainEveryRepeatInterval(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, channel) = await KpiWithChannelAsync(app);
        await app.Admin.CreateRuleAsync(Rule(kpi.Id, repeatMinutes: 30, channelIds: channel.Id));
        await app.StoreValueAsync(kpi.Id, 0.5);
        var alert = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id));

        app.Clock.Advance(TimeSpan.FromMinutes(29));
        await app.EvaluateAllAsync();
        Assert.Equal([NotificationEvent.AlertFiring], (await app.DeliveriesAsync(alert.Id)).Select(d => d.Event));

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.EvaluateAllAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        await app.EvaluateAllAsync();
        await app.EvaluateAllAsync();
        Assert.Equal([NotificationEvent.AlertFiring, NotificationEvent.AlertRepeat, NotificationEvent.AlertRepeat],
            (await app.DeliveriesAsync(alert.Id)).Select(d => d.Event));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AlertIsAcknowledgedWithANoteButNotOnceResolved(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, channel) = await KpiWithChannelAsync(app);
        await app.Admin.CreateRuleAsync(Rule(kpi.Id, channelIds: channel.Id));
        await app.StoreValueAsync(kpi.Id, 0.5);
        var alert = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id));
        Assert.True(alert.CanAcknowledge);

        var acknowledged = await app.Admin.PostAsync<AlertDto>($"/api/v1/alerts/{alert.Id}/acknowledge", new AcknowledgeRequest("Checkout is down; on it."), HttpStatusCode.OK);
        Assert.Equal((app.AdminId, app.Clock.GetUtcNow().UtcDateTime, "Checkout is down; on it."),
            (acknowledged.AcknowledgedById, acknowledged.AcknowledgedAt, acknowledged.AcknowledgementNote));
        Assert.Equal(AlertState.Firing, acknowledged.State);
        Assert.Equal([NotificationEvent.AlertFiring, NotificationEvent.AlertAcknowledged], (await app.DeliveriesAsync(alert.Id)).Select(d => d.Event));

        var viewer = await app.Admin.CreatePersonAsync("Vera Viewer", Role.Viewer);
        using var viewerClient = await app.ClientForAsync(viewer.Id, TokenScope.Read, TokenScope.Write);
        Assert.False(Assert.Single(await viewerClient.AlertsOfAsync(kpi.Id)).CanAcknowledge);
        using var refused = await viewerClient.SendJsonAsync(HttpMethod.Post, $"/api/v1/alerts/{alert.Id}/acknowledge", new AcknowledgeRequest("me too"));
        await Api.AssertProblemAsync(refused, HttpStatusCode.Forbidden);

        await app.StoreValueAsync(kpi.Id, 5);
        using var late = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/alerts/{alert.Id}/acknowledge", new AcknowledgeRequest("too late"));
        await Api.AssertProblemAsync(late, HttpStatusCode.Conflict);
        var resolved = await app.Admin.GetAsync<AlertDto>($"/api/v1/alerts/{alert.Id}");
        Assert.Equal("Checkout is down; on it.", resolved.AcknowledgementNote);
        Assert.Equal(3, (await app.DeliveriesAsync(alert.Id)).Count);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TwoRacingEvaluationPassesNotifyExactlyOncePerTransition(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, channel) = await KpiWithChannelAsync(app);
        var rule = await app.Admin.CreateRuleAsync(Rule(kpi.Id, channelIds: channel.Id));
        for (var round = 0; round < 20; round++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            await app.StoreValuesAsync(kpi.Id, evaluate: false, (app.Clock.GetUtcNow(), 0.5));
            await Task.WhenAll(Task.Run(app.EvaluateAllAsync), Task.Run(app.EvaluateAllAsync));
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            await app.StoreValuesAsync(kpi.Id, evaluate: false, (app.Clock.GetUtcNow(), 5));
            await Task.WhenAll(Task.Run(app.EvaluateAllAsync), Task.Run(app.EvaluateAllAsync));
        }

        var alerts = (await app.Admin.GetAsync<Page<AlertDto>>($"/api/v1/alerts?kpi={kpi.Id}&pageSize=100")).Items;
        Assert.Equal(20, alerts.Count);
        Assert.All(alerts, a => Assert.Equal((AlertState.Resolved, rule.Id), (a.State, a.RuleId)));
        foreach (var alert in alerts)
        {
            Assert.Equal([NotificationEvent.AlertFiring, NotificationEvent.AlertResolved], (await app.DeliveriesAsync(alert.Id)).Select(d => d.Event));
        }

        Assert.Equal(alerts.OrderByDescending(a => a.StartedAt).Select(a => a.Id), alerts.Select(a => a.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task RulesAreCreatedReadUpdatedWithIfMatchAndDeleted(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, channel) = await KpiWithChannelAsync(app);
        var created = await app.Admin.CreateRuleAsync(Rule(kpi.Id, AlertRuleKind.Change, changePercent: 15, direction: ChangeDirection.Either, channelIds: channel.Id));
        Assert.Equal((AlertRuleKind.Change, 15.0, ChangeBaseline.PreviousPeriod, 4, true, true), (created.Kind, created.ChangePercent, created.ChangeBaseline, created.WindowPeriods, created.Enabled, created.CanEdit));

        using var get = await app.Admin.GetAsync($"/api/v1/alert-rules/{created.Id}");
        Assert.Equal($"\"{created.Version}\"", get.Headers.ETag?.Tag);
        Assert.Equal([created.Id], (await app.Admin.GetAsync<Page<AlertRuleDto>>($"/api/v1/alert-rules?kpi={kpi.Id}")).Items.Select(r => r.Id));

        var updated = await app.Admin.PutAsync<AlertRuleDto>($"/api/v1/alert-rules/{created.Id}",
            Rule(kpi.Id, AlertRuleKind.NoData, name: "Silent", noDataCadences: 3), ifMatch: $"\"{created.Version}\"");
        Assert.Equal((AlertRuleKind.NoData, "Silent", 3, created.Version + 1), (updated.Kind, updated.Name, updated.NoDataCadences, updated.Version));
        Assert.Empty(updated.ChannelIds);

        using var stale = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/alert-rules/{created.Id}", Rule(kpi.Id, name: "Lost update"), ifMatch: $"\"{created.Version}\"");
        await Api.AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.Equal("Silent", (await app.Admin.GetAsync<AlertRuleDto>($"/api/v1/alert-rules/{created.Id}")).Name);

        await app.Admin.DeleteOkAsync($"/api/v1/alert-rules/{created.Id}");
        await Api.AssertProblemAsync(await app.Admin.GetAsync($"/api/v1/alert-rules/{created.Id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task InvalidRulesGetAValidationProblemAndNothingIsStored(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, _) = await KpiWithChannelAsync(app);

        using var response = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/alert-rules",
            Rule(kpi.Id, AlertRuleKind.Change, changePercent: 0, windowPeriods: 53, pendingSeconds: 8 * 24 * 3600, repeatMinutes: 0, channelIds: Guid.NewGuid()));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "changePercent", "windowPeriods", "pendingSeconds", "repeatMinutes", "channelIds" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        using var unknownKpi = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/alert-rules", Rule(Guid.NewGuid()));
        Assert.True((await Api.AssertProblemAsync(unknownKpi, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("kpiId", out _));
        using var badKind = await app.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/alert-rules", $"{{\"kpiId\":\"{kpi.Id}\",\"name\":\"x\",\"kind\":\"sometimes\"}}");
        await Api.AssertProblemAsync(badKind, HttpStatusCode.BadRequest);
        Assert.Empty((await app.Admin.GetAsync<Page<AlertRuleDto>>($"/api/v1/alert-rules?kpi={kpi.Id}")).Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task BadAlertQueriesAndOverlongNotesGet400AndChangeNothing(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, channel) = await KpiWithChannelAsync(app);
        await app.Admin.CreateRuleAsync(Rule(kpi.Id, channelIds: channel.Id));
        await app.StoreValueAsync(kpi.Id, 0.5);
        var alert = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id));

        await Api.AssertProblemAsync(await app.Admin.GetAsync($"/api/v1/alerts?kpi={kpi.Id}&state=exploded"), HttpStatusCode.BadRequest);
        using var tooLong = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/alerts/{alert.Id}/acknowledge", new AcknowledgeRequest(new string('x', 2001)));
        await Api.AssertProblemAsync(tooLong, HttpStatusCode.BadRequest);
        await Api.AssertProblemAsync(await app.Admin.GetAsync($"/api/v1/alerts/{Guid.NewGuid()}"), HttpStatusCode.NotFound);

        var unchanged = await app.Admin.GetAsync<AlertDto>($"/api/v1/alerts/{alert.Id}");
        Assert.Equal((null, alert.Version), (unchanged.AcknowledgedAt, unchanged.Version));
        Assert.Equal([NotificationEvent.AlertFiring], (await app.DeliveriesAsync(alert.Id)).Select(d => d.Event));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task OnlyEditorsOfTheKpiManageItsRules(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, _) = await KpiWithChannelAsync(app);
        var member = await app.Admin.CreatePersonAsync("Mo Member", Role.Member);
        using var client = await app.ClientForAsync(member.Id, TokenScope.Write);

        using var refused = await client.SendJsonAsync(HttpMethod.Post, "/api/v1/alert-rules", Rule(kpi.Id));
        await Api.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        var rule = await app.Admin.CreateRuleAsync(Rule(kpi.Id));
        Assert.False((await client.GetAsync<AlertRuleDto>($"/api/v1/alert-rules/{rule.Id}")).CanEdit);
        using var delete = await client.DeleteAsync($"/api/v1/alert-rules/{rule.Id}");
        await Api.AssertProblemAsync(delete, HttpStatusCode.Forbidden);

        var team = await app.Admin.CreateTeamAsync($"Mo's team {Guid.NewGuid():N}", new TeamMemberDto(member.Id, false));
        var own = await app.CreateKpiAsync(team.Id);
        Assert.True((await client.CreateRuleAsync(Rule(own.Id))).CanEdit);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AlertsOfPrivateKpisStayHiddenFromThoseWhoMayNotSeeThem(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync($"Secret {Guid.NewGuid():N}");
        var kpi = await app.CreateKpiAsync(team.Id, visibility: Visibility.Private);
        var rule = await app.Admin.CreateRuleAsync(Rule(kpi.Id));
        await app.StoreValueAsync(kpi.Id, 0.5);
        var alert = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id));

        var outsider = await app.Admin.CreatePersonAsync("Otto Outsider", Role.Member);
        using var client = await app.ClientForAsync(outsider.Id, TokenScope.Write);
        Assert.DoesNotContain(alert.Id, (await client.GetAsync<Page<AlertDto>>("/api/v1/alerts?pageSize=200")).Items.Select(a => a.Id));
        Assert.Empty(await client.AlertsOfAsync(kpi.Id));
        await Api.AssertProblemAsync(await client.GetAsync($"/api/v1/alerts/{alert.Id}"), HttpStatusCode.NotFound);
        using var ack = await client.SendJsonAsync(HttpMethod.Post, $"/api/v1/alerts/{alert.Id}/acknowledge", new AcknowledgeRequest(null));
        await Api.AssertProblemAsync(ack, HttpStatusCode.NotFound);
        await Api.AssertProblemAsync(await client.GetAsync($"/api/v1/alert-rules/{rule.Id}"), HttpStatusCode.NotFound);
        Assert.DoesNotContain(rule.Id, (await client.GetAsync<Page<AlertRuleDto>>("/api/v1/alert-rules?pageSize=200")).Items.Select(r => r.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task DisablingARuleResolvesItsOpenAlert(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, _) = await KpiWithChannelAsync(app);
        var rule = await app.Admin.CreateRuleAsync(Rule(kpi.Id));
        await app.StoreValueAsync(kpi.Id, 0.5);

        await app.Admin.PutAsync<AlertRuleDto>($"/api/v1/alert-rules/{rule.Id}", Rule(kpi.Id, enabled: false), ifMatch: $"\"{rule.Version}\"");

        Assert.Equal(AlertState.Resolved, Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id)).State);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ARuleChangedThroughTheApiDecidesTheVeryNextValue(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, _) = await KpiWithChannelAsync(app);
        var rule = await app.Admin.CreateRuleAsync(Rule(kpi.Id, thresholdLevel: KpiHealth.Critical));
        // A healthy value after the rule: the evaluation after ingestion now knows the KPI's rules.
        await app.StoreValueAsync(kpi.Id, 3);
        Assert.Empty(await app.Admin.AlertsOfAsync(kpi.Id));

        await app.Admin.PutAsync<AlertRuleDto>($"/api/v1/alert-rules/{rule.Id}", Rule(kpi.Id, thresholdLevel: KpiHealth.Warning), ifMatch: $"\"{rule.Version}\"");
        Assert.Empty(await app.Admin.AlertsOfAsync(kpi.Id));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.StoreValueAsync(kpi.Id, 1.5);

        // A warning value fires the rule as it now reads, not as it read before the change.
        var alert = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id));
        Assert.Equal((rule.Id, AlertState.Firing), (alert.RuleId, alert.State));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ARuleCreatedOnAKpiAlreadyInTroubleFiresAtOnce(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (kpi, _) = await KpiWithChannelAsync(app);
        await app.StoreValuesAsync(kpi.Id, evaluate: true, (app.Clock.GetUtcNow(), 0.2));

        await app.Admin.CreateRuleAsync(Rule(kpi.Id));

        Assert.Equal(AlertState.Firing, Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id)).State);
    }
}
