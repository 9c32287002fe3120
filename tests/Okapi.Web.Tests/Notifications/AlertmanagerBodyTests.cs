using System.Net;
using System.Text.Json;
using Okapi.Core.Alerts;
using Okapi.Data;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Alerts;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;
using StandardWebhooks;

namespace Okapi.Web.Tests.Notifications;

/// <summary>A generic webhook that sends alerts as Alertmanager's webhook_config does, for receivers made for Alertmanager.</summary>
public sealed class AlertmanagerBodyTests(WallClockApps apps) : IClassFixture<WallClockApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task AFiringThenResolvedAlertArriveAsAlertmanagerBodies(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await NotificationTests.AllowAsync(app, listener.HostAndPort);
        var channel = await app.Admin.PostAsync<ChannelDto>("/api/v1/channels",
            new { name = "Alertmanager receiver", kind = "webhook", target = listener.UrlFor("/am").ToString(), bodyFormat = "alertmanager" });
        Assert.Equal(WebhookBodyFormat.Alertmanager, channel.BodyFormat);
        Assert.Equal(WebhookBodyFormat.Alertmanager, (await app.Admin.GetAsync<ChannelDto>($"/api/v1/channels/{channel.Id}")).BodyFormat);
        var team = await app.Admin.CreateTeamAsync($"Growth {Guid.NewGuid():N}"[..20]);
        var key = $"signups-{Guid.NewGuid():N}"[..30];
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Signups", team.Id, key: key, criticalLower: 1.5, unit: "%"));
        await app.Admin.CreateRuleAsync(AlertArrangements.Rule(kpi.Id, name: "Signups too low", channelIds: [channel.Id]));
        var firedAt = app.Clock.GetUtcNow();
        await app.StoreValueAsync(kpi.Id, 0.5);
        var firing = await listener.WaitForAsync("/am");
        // Signed like every generic webhook (checked before the clock moves on, as a receiver checks the time too).
        new StandardWebhook(channel.Secret!).Verify(firing.Body, firing.Headers);

        app.Clock.Advance(TimeSpan.FromHours(1));
        var resolvedAt = app.Clock.GetUtcNow();
        await app.StoreValueAsync(kpi.Id, 3);
        var resolved = await listener.WaitForAsync("/am", 2);

        var labels = new Dictionary<string, string> { ["alertname"] = "Signups too low", ["kpi"] = key, ["severity"] = "critical", ["team"] = team.Name };
        string? fingerprint = null;
        foreach (var (request, status) in new[] { (firing, "firing"), (resolved, "resolved") })
        {
            var message = JsonDocument.Parse(request.Body).RootElement;
            Assert.Equal("4", message.GetProperty("version").GetString());
            Assert.Equal(status, message.GetProperty("status").GetString());
            Assert.Equal("Alertmanager receiver", message.GetProperty("receiver").GetString());
            Assert.Equal($"{{}}:{{alertname=\"Signups too low\", kpi=\"{key}\"}}", message.GetProperty("groupKey").GetString());
            Assert.Equal(new Dictionary<string, string> { ["alertname"] = "Signups too low", ["kpi"] = key }, Strings(message.GetProperty("groupLabels")));
            Assert.Equal(labels, Strings(message.GetProperty("commonLabels")));
            Assert.Equal(WallClockApps.PublicUrl, message.GetProperty("externalURL").GetString());

            var alert = Assert.Single(message.GetProperty("alerts").EnumerateArray());
            Assert.Equal(status, alert.GetProperty("status").GetString());
            Assert.Equal(labels, Strings(alert.GetProperty("labels")));
            Assert.Equal(Strings(message.GetProperty("commonAnnotations")), Strings(alert.GetProperty("annotations")));
            Assert.Equal("Signups is critical at 0.5 %.", alert.GetProperty("annotations").GetProperty("summary").GetString());
            Assert.StartsWith(status == "firing" ? "Signups is critical at 0.5 %." : "Resolved: Signups is now 3 %.", alert.GetProperty("annotations").GetProperty("description").GetString());
            Assert.Equal(firedAt, DateTimeOffset.Parse(alert.GetProperty("startsAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(1));
            Assert.Equal($"{WallClockApps.PublicUrl}/kpis/{kpi.Id}", alert.GetProperty("generatorURL").GetString());
            Assert.Matches("^[0-9a-f]{16}$", alert.GetProperty("fingerprint").GetString());
            fingerprint ??= alert.GetProperty("fingerprint").GetString();
            Assert.Equal(fingerprint, alert.GetProperty("fingerprint").GetString());
            if (status == "firing")
            {
                Assert.Equal(AlertmanagerMessage.ZeroTime, alert.GetProperty("endsAt").GetString());
            }
            else
            {
                Assert.Equal(resolvedAt, DateTimeOffset.Parse(alert.GetProperty("endsAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(1));
            }
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task OnlyAGenericWebhookTakesTheAlertmanagerBodyAndItsTestIsAnAlertmanagerMessage(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await NotificationTests.AllowAsync(app, listener.HostAndPort);
        using (var slack = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/channels",
            new { name = "Slack as Alertmanager", kind = "slack", target = listener.UrlFor("/slack-am").ToString(), bodyFormat = "alertmanager" }))
        {
            var problem = await Api.AssertProblemAsync(slack, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("bodyFormat", out _), problem.ToString());
        }

        var channel = await app.Admin.PostAsync<ChannelDto>("/api/v1/channels",
            new { name = "Alertmanager test", kind = "webhook", target = listener.UrlFor("/am-test").ToString(), bodyFormat = "alertmanager" });
        await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted);
        var message = JsonDocument.Parse((await listener.WaitForAsync("/am-test")).Body).RootElement;
        Assert.Equal("4", message.GetProperty("version").GetString());
        // Resolved, so that an on-call tool opens no incident that nothing would ever close.
        var alert = Assert.Single(message.GetProperty("alerts").EnumerateArray());
        Assert.Equal("resolved", alert.GetProperty("status").GetString());
        Assert.Equal("OkapiTest", alert.GetProperty("labels").GetProperty("alertname").GetString());

        // Back to Okapi's JSON: the same channel sends its own body again.
        var okapi = await app.Admin.PutAsync<ChannelDto>($"/api/v1/channels/{channel.Id}",
            new { name = "Alertmanager test", kind = "webhook", target = listener.UrlFor("/am-test").ToString() }, $"\"{channel.Version}\"");
        Assert.Equal(WebhookBodyFormat.Okapi, okapi.BodyFormat);
        await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted);
        Assert.Equal("test", JsonDocument.Parse((await listener.WaitForAsync("/am-test", 2)).Body).RootElement.GetProperty("event").GetString());
    }

    private static Dictionary<string, string> Strings(JsonElement json) =>
        json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
}
