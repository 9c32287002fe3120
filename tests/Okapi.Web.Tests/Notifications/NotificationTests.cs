using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Access;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Alerts;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;

namespace Okapi.Web.Tests.Notifications;

public sealed class NotificationTests(SmtpApps apps) : IClassFixture<SmtpApps>
{
    private const string RuleName = "Conversion rate below critical threshold";
    private const string Summary = "Conversion rate 1.2 % is below the critical threshold 1.5 %";
    private const string MarkupName = "<!here> & <b>";
    private const string MarkupRule = "Ping [everyone](https://evil.example) <https://evil.example|here>";

    [Theory]
    [OnEveryDatabase]
    public async Task FiringAlertIsEmailedThroughTheSmtpServer(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var channel = await CreateChannelAsync(app, "On-call email", "email", "oncall@example.com, lead@example.com");
        var (kpiId, alertId) = await FireAlertAsync(app, [channel.Id]);

        var email = await app.Smtp.WaitForAsync(m => m.TextBody?.Contains(kpiId.ToString(), StringComparison.Ordinal) == true);
        Assert.Equal($"[FIRING] {RuleName}", email.Subject);
        Assert.Equal(["oncall@example.com", "lead@example.com"], email.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("okapi@okapi.test", email.From.Mailboxes.Single().Address);
        Assert.Contains(Summary, email.TextBody);
        Assert.Contains($"{SmtpSink.PublicUrl}/kpis/{kpiId}", email.TextBody);
        Assert.Contains($"href=\"{SmtpSink.PublicUrl}/kpis/{kpiId}\"", email.HtmlBody);
        Assert.Contains("Conversion rate: 1.2 %", email.HtmlBody);

        var delivery = await DeliveredAsync(app, channel.Id, alertId);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(NotificationEvent.AlertFiring, delivery.Event);
        Assert.Null(delivery.LastError);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task WebhookReceivesTheAlertAsJson(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await AllowAsync(app, listener.HostAndPort);
        var channel = await CreateChannelAsync(app, "Ops webhook", "webhook", listener.UrlFor("/okapi").ToString());
        var (kpiId, alertId) = await FireAlertAsync(app, [channel.Id]);

        var request = await listener.WaitForAsync("/okapi");
        Assert.Equal("application/json", request.ContentType?.Split(';')[0]);
        Assert.Equal("alertFiring", request.Event);
        var json = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("alertFiring", json.GetProperty("event").GetString());
        Assert.Equal($"[FIRING] {RuleName}", json.GetProperty("title").GetString());
        // Absolute under Okapi:PublicUrl, as in email, Slack and Teams: a receiver cannot open a bare path.
        Assert.Equal($"{SmtpSink.PublicUrl}/kpis/{kpiId}", json.GetProperty("link").GetString());
        var alert = json.GetProperty("alert");
        Assert.Equal(alertId, alert.GetProperty("id").GetGuid());
        Assert.Equal("firing", alert.GetProperty("state").GetString());
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal(Summary, alert.GetProperty("summary").GetString());
        Assert.Equal(1.2, alert.GetProperty("value").GetDouble());
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, alert.GetProperty("startedAt").GetDateTime().ToUniversalTime());
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("resolvedAt").ValueKind);
        Assert.Equal(RuleName, json.GetProperty("rule").GetProperty("name").GetString());
        var kpi = json.GetProperty("kpi");
        Assert.Equal(kpiId, kpi.GetProperty("id").GetGuid());
        Assert.Equal("Conversion rate", kpi.GetProperty("name").GetString());
        Assert.StartsWith("conversion-", kpi.GetProperty("key").GetString());
        Assert.Equal("%", kpi.GetProperty("unit").GetString());

        var delivery = await DeliveredAsync(app, channel.Id, alertId);
        Assert.Equal(delivery.Id.ToString(), request.DeliveryId);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task SlackAndTeamsGetTheirOwnMessageShapes(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await AllowAsync(app, listener.HostAndPort);
        var slack = await CreateChannelAsync(app, "Slack #ops", "slack", listener.UrlFor("/slack").ToString());
        var teams = await CreateChannelAsync(app, "Teams ops", "teams", listener.UrlFor("/teams").ToString());
        var (kpiId, _) = await FireAlertAsync(app, [slack.Id, teams.Id]);

        var slackMessage = JsonDocument.Parse((await listener.WaitForAsync("/slack")).Body).RootElement;
        Assert.StartsWith($"[FIRING] {RuleName}: {Summary}", slackMessage.GetProperty("text").GetString());
        var blocks = slackMessage.GetProperty("blocks");
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal($"[FIRING] {RuleName}", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("section", blocks[1].GetProperty("type").GetString());
        Assert.Contains($"<{SmtpSink.PublicUrl}/kpis/{kpiId}|Open in Okapi>", blocks[1].GetProperty("text").GetProperty("text").GetString());

        // A Teams Workflows webhook takes a message whose attachment is an Adaptive Card; MessageCards are refused.
        var card = AdaptiveCard((await listener.WaitForAsync("/teams")).Body);
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.True(Version.Parse(card.GetProperty("version").GetString()!) >= new Version(1, 4));
        var body = card.GetProperty("body").EnumerateArray().ToList();
        Assert.All(body, b => Assert.Equal("TextBlock", b.GetProperty("type").GetString()));
        Assert.Equal(@"\[FIRING\] Conversion rate below critical threshold", body[0].GetProperty("text").GetString());
        Assert.Equal("Attention", body[0].GetProperty("color").GetString());
        Assert.Equal([Summary, "Conversion rate: 1.2 %"], body.Skip(1).Select(b => b.GetProperty("text").GetString()));
        var open = Assert.Single(card.GetProperty("actions").EnumerateArray());
        Assert.Equal("Action.OpenUrl", open.GetProperty("type").GetString());
        Assert.Equal($"{SmtpSink.PublicUrl}/kpis/{kpiId}", open.GetProperty("url").GetString());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AKpiNamedLikeMarkupArrivesEscapedInSlackAndTeamsSoItCannotPingOrLink(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await AllowAsync(app, listener.HostAndPort);
        var slack = await CreateChannelAsync(app, "Slack markup", "slack", listener.UrlFor("/slack-markup").ToString());
        var teams = await CreateChannelAsync(app, "Teams markup", "teams", listener.UrlFor("/teams-markup").ToString());
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request(MarkupName, personId: app.AdminId, key: $"markup-{Guid.NewGuid():N}"[..30], criticalLower: 1.5, unit: "%"));
        await app.Admin.CreateRuleAsync(AlertArrangements.Rule(kpi.Id, name: MarkupRule, channelIds: [slack.Id, teams.Id]));
        await app.StoreValueAsync(kpi.Id, 0.5);

        var slackMessage = JsonDocument.Parse((await listener.WaitForAsync("/slack-markup")).Body).RootElement;
        var header = slackMessage.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()!;
        var section = slackMessage.GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString()!;
        var notificationText = slackMessage.GetProperty("text").GetString()!;
        Assert.Equal("[FIRING] Ping [everyone](https://evil.example) &lt;https://evil.example|here&gt;", header);
        Assert.Equal($"{header}: &lt;!here&gt; &amp; &lt;b&gt; is critical at 0.5 %.", notificationText);
        Assert.Equal($"&lt;!here&gt; &amp; &lt;b&gt; is critical at 0.5 %.\n&lt;!here&gt; &amp; &lt;b&gt;: 0.5 %\n<{SmtpSink.PublicUrl}/kpis/{kpi.Id}|Open in Okapi>", section);
        // The link Okapi adds is the only markup left.
        Assert.Single(section, c => c == '<');
        Assert.All(new[] { header, section, notificationText }, t => Assert.DoesNotContain("<!here>", t));

        var body = AdaptiveCard((await listener.WaitForAsync("/teams-markup")).Body).GetProperty("body").EnumerateArray().Select(b => b.GetProperty("text").GetString()!).ToList();
        Assert.Equal(
        [
            @"\[FIRING\] Ping \[everyone\](https://evil.example) \<https://evil.example|here\>",
            @"\<!here\> & \<b\> is critical at 0.5 %.",
            @"\<!here\> & \<b\>: 0.5 %",
        ], body);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AResolvedAlertSaysItIsResolvedWithTheKpisCurrentValueInEveryChannel(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await AllowAsync(app, listener.HostAndPort);
        var email = await CreateChannelAsync(app, "Resolved mail", "email", "resolved@example.com");
        var slack = await CreateChannelAsync(app, "Slack resolved", "slack", listener.UrlFor("/slack-resolved").ToString());
        var teams = await CreateChannelAsync(app, "Teams resolved", "teams", listener.UrlFor("/teams-resolved").ToString());
        var webhook = await CreateChannelAsync(app, "Webhook resolved", "webhook", listener.UrlFor("/webhook-resolved").ToString());
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Signups", personId: app.AdminId, key: $"signups-{Guid.NewGuid():N}"[..30], criticalLower: 1.5, unit: "%"));
        await app.Admin.CreateRuleAsync(AlertArrangements.Rule(kpi.Id, name: "Signups too low", channelIds: [email.Id, slack.Id, teams.Id, webhook.Id]));
        await app.StoreValueAsync(kpi.Id, 0.5);

        // Evaluated by ingestion, as in production: the value recovers and the alert resolves.
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.StoreValueAsync(kpi.Id, 3);
        const string Resolved = "Resolved: Signups is now 3 %.";
        const string WhenItFired = "When it fired: Signups is critical at 0.5 %.";

        var slackMessage = JsonDocument.Parse((await ResolvedAsync(listener, "/slack-resolved")).Body).RootElement;
        Assert.Equal($"[RESOLVED] Signups too low: {Resolved}", slackMessage.GetProperty("text").GetString());
        Assert.StartsWith($"{Resolved}\n{WhenItFired}\n", slackMessage.GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString());

        var card = AdaptiveCard((await ResolvedAsync(listener, "/teams-resolved")).Body);
        var body = card.GetProperty("body").EnumerateArray().ToList();
        Assert.Equal(@"\[RESOLVED\] Signups too low", body[0].GetProperty("text").GetString());
        Assert.Equal("Good", body[0].GetProperty("color").GetString());
        Assert.Equal([Resolved, WhenItFired], body.Skip(1).Select(b => b.GetProperty("text").GetString()));

        var json = JsonDocument.Parse((await ResolvedAsync(listener, "/webhook-resolved")).Body).RootElement;
        Assert.Equal("alertResolved", json.GetProperty("event").GetString());
        Assert.Equal($"{Resolved}\n{WhenItFired}", json.GetProperty("text").GetString());
        Assert.Equal("resolved", json.GetProperty("alert").GetProperty("state").GetString());
        Assert.Equal(3, json.GetProperty("alert").GetProperty("value").GetDouble());

        var mail = await app.Smtp.WaitForAsync(m => m.Subject == "[RESOLVED] Signups too low" && m.To.Mailboxes.Any(a => a.Address == "resolved@example.com"));
        Assert.StartsWith($"{Resolved}\n{WhenItFired}\n", (mail.TextBody ?? "").ReplaceLineEndings("\n"));
        Assert.Contains($"{SmtpSink.PublicUrl}/kpis/{kpi.Id}", mail.TextBody);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task FailedWebhookIsRetriedWithBackoffUntilTheEndpointComesBack(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        listener.Status = StatusCodes.Status503ServiceUnavailable;
        await AllowAsync(app, listener.HostAndPort);
        var channel = await CreateChannelAsync(app, "Flaky webhook", "webhook", listener.UrlFor("/flaky").ToString());

        var test = await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted);
        var queued = test.Delivery!;
        Assert.Equal(NotificationEvent.Test, queued.Event);
        var failed = await Eventually.FindAsync(async () =>
            await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{queued.Id}") is { Attempts: 1 } d ? d : null, "the first attempt");
        Assert.Equal(DeliveryState.Pending, failed.State);
        Assert.Contains("503", failed.LastError);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        Assert.InRange(failed.NextAttemptAt, now + TimeSpan.FromSeconds(5), now + TimeSpan.FromSeconds(5.5));
        Assert.Null(failed.DeliveredAt);
        Assert.Single(listener.Requests);

        // Nothing is retried before the backoff has passed.
        await DeliverDueAsync(app);
        Assert.Equal(1, (await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{queued.Id}")).Attempts);

        listener.Status = StatusCodes.Status200OK;
        app.Clock.Advance(TimeSpan.FromSeconds(6));
        await DeliverDueAsync(app);
        var delivered = await Eventually.FindAsync(async () =>
            await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{queued.Id}") is { State: DeliveryState.Delivered } d ? d : null, "the retry to succeed");
        Assert.Equal(2, delivered.Attempts);
        Assert.Null(delivered.LastError);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, delivered.DeliveredAt);
        var requests = listener.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(queued.Id.ToString(), r.DeliveryId));
        Assert.All(requests, r => Assert.Equal("test", r.Event));

        var log = await app.Admin.GetAsync<Page<DeliveryDto>>($"/api/v1/deliveries?channel={channel.Id}&state=delivered");
        Assert.Equal([queued.Id], log.Items.Select(d => d.Id));
        Assert.Empty((await app.Admin.GetAsync<Page<DeliveryDto>>($"/api/v1/deliveries?channel={channel.Id}&state=pending")).Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AWebhookThatRefusesTheRequestFailsAtOnceWhileTooManyRequestsIsRetried(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await AllowAsync(app, listener.HostAndPort);
        foreach (var (status, state) in new[] { (StatusCodes.Status404NotFound, DeliveryState.Failed), (StatusCodes.Status429TooManyRequests, DeliveryState.Pending) })
        {
            listener.Status = status;
            var channel = await CreateChannelAsync(app, $"Webhook answering {status}", "webhook", listener.UrlFor($"/answers/{status}").ToString());
            var id = (await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted)).Delivery!.Id;
            var seen = await Eventually.FindAsync(async () =>
                await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{id}") is { Attempts: 1 } d ? d : null, $"the attempt answered {status}");
            Assert.Equal(state, seen.State);
            Assert.Contains(status.ToString(), seen.LastError);
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task DeliveryIsGivenUpAfterTenAttempts(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        listener.Status = StatusCodes.Status500InternalServerError;
        await AllowAsync(app, listener.HostAndPort);
        var channel = await CreateChannelAsync(app, "Broken webhook", "webhook", listener.UrlFor("/broken").ToString());
        var id = (await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted)).Delivery!.Id;
        for (var attempt = 1; attempt <= Delivery.MaxAttempts; attempt++)
        {
            var seen = await Eventually.FindAsync(async () =>
                await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{id}") is { } d && d.Attempts == attempt ? d : null, $"attempt {attempt}");
            Assert.Equal(attempt < Delivery.MaxAttempts ? DeliveryState.Pending : DeliveryState.Failed, seen.State);
            Assert.Contains("500", seen.LastError);
            app.Clock.Advance(TimeSpan.FromHours(1.2));
            await DeliverDueAsync(app);
        }

        Assert.Equal(Delivery.MaxAttempts, listener.Requests.Count);
        Assert.Equal(DeliveryState.Failed, (await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{id}")).State);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task WorkersRunningTogetherSendEachDeliveryOnce(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await AllowAsync(app, listener.HostAndPort);
        var channelId = (await CreateChannelAsync(app, "Busy webhook", "webhook", listener.UrlFor("/busy").ToString())).Id;
        var ids = new List<Guid>();
        using (var scope = app.Services.CreateScope())
        {
            // Queued without waking the worker, so that the passes below race for the same rows.
            var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            db.OrganisationId = app.OrganisationId;
            var channel = await db.Channels.SingleAsync(c => c.Id == channelId);
            var now = app.Clock.GetUtcNow().UtcDateTime;
            for (var i = 0; i < 12; i++)
            {
                var delivery = new Delivery { ChannelId = channelId, Event = NotificationEvent.Test, Payload = NotificationPayload.ForTest(channel, now).ToJson(), CreatedAt = now, NextAttemptAt = now };
                db.Deliveries.Add(delivery);
                ids.Add(delivery.Id);
            }

            await db.SaveChangesAsync();
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => DeliverDueAsync(app))));
        await Eventually.FindAsync(async () => await app.QueryAsync(db => db.Deliveries.CountAsync(d => d.ChannelId == channelId && d.State == DeliveryState.Delivered)) == ids.Count ? "all" : null, "every delivery to be sent");
        var received = listener.Requests.Select(r => Guid.Parse(r.DeliveryId!)).ToList();
        Assert.Equal(ids.Order(), received.Order());
        Assert.All(await app.QueryAsync(db => db.Deliveries.Where(d => d.ChannelId == channelId).ToListAsync()), d => Assert.Equal(1, d.Attempts));
    }

    [Theory]
    [OnEveryDatabase("http://127.0.0.1:{port}/hook")]
    [OnEveryDatabase("http://169.254.169.254/latest/meta-data/")]
    [OnEveryDatabase("http://10.0.0.1/")]
    [OnEveryDatabase("http://192.168.1.20:8080/")]
    [OnEveryDatabase("http://100.64.0.1/")]
    [OnEveryDatabase("http://[::1]/")]
    [OnEveryDatabase("http://[::ffff:127.0.0.1]/")]
    [OnEveryDatabase("http://[fd00::1]/")]
    [OnEveryDatabase("http://0.0.0.0/")]
    [OnEveryDatabase("ftp://example.com/")]
    [OnEveryDatabase("not a url")]
    public async Task WebhookToAnInternalAddressIsRefusedAndNothingIsStored(DatabaseProvider provider, string target)
    {
        var app = await apps.StartAsync(provider);
        var name = $"Internal {Guid.NewGuid():N}";
        using var response = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/channels",
            new { name, kind = "webhook", target = target.Replace("{port}", "9", StringComparison.Ordinal) });
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("target", out _), problem.ToString());
        Assert.False(await app.QueryAsync(db => db.Channels.AnyAsync(c => c.Name == name)));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task LoopbackWebhookIsAcceptedOnceAnAdminAllowsTheHostAndRefusedAtSendTimeOnceRemoved(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        var url = listener.UrlFor("/allowed").ToString();
        using (var refused = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/channels", new { name = "Local", kind = "webhook", target = url }))
        {
            var problem = await Api.AssertProblemAsync(refused, HttpStatusCode.BadRequest);
            Assert.Contains("loopback", problem.GetProperty("errors").GetProperty("target")[0].GetString());
        }

        var allowed = await AllowAsync(app, listener.HostAndPort);
        Assert.Contains(await app.Admin.GetAsync<List<AllowedHostDto>>("/api/v1/allowed-hosts"), h => h.Host == listener.HostAndPort);
        var channel = await CreateChannelAsync(app, "Local", "webhook", url);
        Assert.Equal(url, channel.Target);

        // The guard runs again at send time: once the allowance is gone, the delivery fails with the reason.
        await app.Admin.DeleteOkAsync($"/api/v1/allowed-hosts/{allowed.Id}");
        var test = await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted);
        var failed = await Eventually.FindAsync(async () =>
            await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{test.Delivery!.Id}") is { Attempts: 1 } d ? d : null, "the refused attempt");
        Assert.StartsWith("refused:", failed.LastError);
        Assert.Empty(listener.Requests);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task GuardedClientChecksTheAddressItConnectsTo(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();

        // As after a DNS change: the client itself refuses the connection, whatever was checked when the URL was saved.
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => PostThroughGuardAsync(app, listener.UrlFor("/direct")));
        Assert.Contains("refused:", refused.Message + refused.InnerException?.Message);
        var byName = await Assert.ThrowsAsync<HttpRequestException>(() => PostThroughGuardAsync(app, new Uri($"http://localhost:{listener.BaseUrl.Port}/by-name")));
        Assert.Contains("loopback", byName.Message + byName.InnerException?.Message);
        Assert.Empty(listener.Requests);

        await AllowAsync(app, listener.HostAndPort);
        Assert.Equal(HttpStatusCode.OK, await PostThroughGuardAsync(app, listener.UrlFor("/direct")));
        Assert.Single(listener.Requests);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AllowedHostsAreValidatedAndForAdminsOnly(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        using (var bad = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/allowed-hosts", new { host = "http://evil.example/path" }))
        {
            await Api.AssertProblemAsync(bad, HttpStatusCode.BadRequest);
        }

        var member = await MemberAsync(app);
        using var forbidden = await member.SendJsonAsync(HttpMethod.Post, "/api/v1/allowed-hosts", new { host = "127.0.0.1:5099" });
        await Api.AssertProblemAsync(forbidden, HttpStatusCode.Forbidden);
        using var list = await member.GetAsync("/api/v1/allowed-hosts");
        await Api.AssertProblemAsync(list, HttpStatusCode.Forbidden);
        Assert.False(await app.QueryAsync(db => db.AllowedHosts.AnyAsync(h => h.Host == "127.0.0.1:5099")));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task InAppNotificationReachesTheKpiOwnerAndTheOwnerTeam(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var owner = await app.Admin.CreatePersonAsync("Olivia Owner", Role.Member);
        var teammate = await app.Admin.CreatePersonAsync("Theo Teammate", Role.Viewer);
        var team = await app.Admin.CreateTeamAsync($"Growth {Guid.NewGuid():N}", new TeamMemberDto(teammate.Id, false), new TeamMemberDto(owner.Id, true));
        var channel = await CreateChannelAsync(app, "In Okapi", "inApp", null);
        var (kpiId, alertId) = await FireAlertAsync(app, [channel.Id], ownerPersonId: owner.Id);
        var ownerClient = await app.ClientForAsync(owner.Id, TokenScope.Write);

        var mine = await ownerClient.GetAsync<NotificationList>("/api/v1/notifications");
        var notification = Assert.Single(mine.Items);
        Assert.Equal(1, mine.Unread);
        Assert.Equal($"[FIRING] {RuleName}", notification.Title);
        Assert.Contains(Summary, notification.Body);
        Assert.Equal($"/kpis/{kpiId}", notification.Link);
        Assert.Equal(alertId, notification.AlertId);
        Assert.DoesNotContain((await app.Admin.GetAsync<NotificationList>("/api/v1/notifications")).Items, n => n.AlertId == alertId);
        Assert.False(await app.QueryAsync(db => db.Deliveries.AnyAsync(d => d.ChannelId == channel.Id)));

        using (var read = await ownerClient.PostAsync($"/api/v1/notifications/{notification.Id}/read", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        }

        var after = await ownerClient.GetAsync<NotificationList>("/api/v1/notifications?unread=true");
        Assert.Equal(0, after.Unread);
        Assert.Empty(after.Items);
        using (var othersRead = await app.Admin.PostAsync($"/api/v1/notifications/{notification.Id}/read", null))
        {
            await Api.AssertProblemAsync(othersRead, HttpStatusCode.NotFound);
        }

        // A KPI owned by a team notifies each of its members once.
        await FireAlertAsync(app, [channel.Id], ownerTeamId: team.Id, resolved: true);
        var teammateClient = await app.ClientForAsync(teammate.Id, TokenScope.Read);
        var teamNotification = Assert.Single((await teammateClient.GetAsync<NotificationList>("/api/v1/notifications")).Items);
        Assert.Equal($"[RESOLVED] {RuleName}", teamNotification.Title);
        Assert.Equal(2, (await ownerClient.GetAsync<NotificationList>("/api/v1/notifications")).Total);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task OnlyAdminsChangeChannelsAndMembersReadThemWithoutWebhookSecrets(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await AllowAsync(app, listener.HostAndPort);
        var secretUrl = listener.UrlFor("/services/T000/B000/secret").ToString();
        var channel = await CreateChannelAsync(app, "Slack secret", "slack", secretUrl);
        var member = await MemberAsync(app);

        using (var create = await member.SendJsonAsync(HttpMethod.Post, "/api/v1/channels", new { name = "Mine", kind = "email", target = "me@example.com" }))
        {
            await Api.AssertProblemAsync(create, HttpStatusCode.Forbidden);
        }

        using (var test = await member.PostAsync($"/api/v1/channels/{channel.Id}/test", null))
        {
            await Api.AssertProblemAsync(test, HttpStatusCode.Forbidden);
        }

        using (var deliveries = await member.GetAsync("/api/v1/deliveries"))
        {
            await Api.AssertProblemAsync(deliveries, HttpStatusCode.Forbidden);
        }

        Assert.False(await app.QueryAsync(db => db.Channels.AnyAsync(c => c.Name == "Mine")));
        var seen = await member.GetAsync<ChannelDto>($"/api/v1/channels/{channel.Id}");
        Assert.Equal("Slack secret", seen.Name);
        Assert.Equal(ChannelKind.Slack, seen.Kind);
        Assert.Null(seen.Target);
        Assert.Contains((await member.GetAsync<Page<ChannelDto>>("/api/v1/channels?pageSize=200")).Items, c => c.Id == channel.Id && c.Target is null);
        Assert.Equal(secretUrl, (await app.Admin.GetAsync<ChannelDto>($"/api/v1/channels/{channel.Id}")).Target);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ChannelsAreValidatedAndChangedWithIfMatch(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { name = "Mail", kind = "email", target = "not-an-address" }, "target"),
            (new { name = "Mail", kind = "email", target = "" }, "target"),
            (new { name = new string('n', 101), kind = "email", target = "ops@example.com" }, "name"),
            (new { name = "Hook", kind = "webhook" }, "target"),
            (new { name = "In app", kind = "inApp", target = "someone@example.com" }, "target"),
        })
        {
            using var response = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/channels", body);
            var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _) || problem.GetProperty("errors").TryGetProperty(char.ToUpperInvariant(field[0]) + field[1..], out _), problem.ToString());
        }

        using (var unknownKind = await app.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/channels", """{"name":"Fax","kind":"fax","target":"x"}"""))
        {
            await Api.AssertProblemAsync(unknownKind, HttpStatusCode.BadRequest);
        }

        var channel = await CreateChannelAsync(app, "Team mail", "email", " ops@example.com ;lead@example.com");
        Assert.Equal("ops@example.com, lead@example.com", channel.Target);
        using (var get = await app.Admin.GetAsync($"/api/v1/channels/{channel.Id}"))
        {
            Assert.Equal($"\"{channel.Version}\"", get.Headers.ETag?.Tag);
        }

        var updated = await app.Admin.PutAsync<ChannelDto>($"/api/v1/channels/{channel.Id}", new { name = "Team mail", kind = "email", target = "ops@example.com", enabled = false }, $"\"{channel.Version}\"");
        Assert.False(updated.Enabled);
        using (var stale = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/channels/{channel.Id}", new { name = "Lost", kind = "email", target = "x@example.com" }, $"\"{channel.Version}\""))
        {
            await Api.AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        }

        Assert.Equal("Team mail", (await app.Admin.GetAsync<ChannelDto>($"/api/v1/channels/{channel.Id}")).Name);
        using (var disabledTest = await app.Admin.PostAsync($"/api/v1/channels/{channel.Id}/test", null))
        {
            await Api.AssertProblemAsync(disabledTest, HttpStatusCode.Conflict);
        }

        await app.Admin.DeleteOkAsync($"/api/v1/channels/{channel.Id}");
        using var gone = await app.Admin.GetAsync($"/api/v1/channels/{channel.Id}");
        await Api.AssertProblemAsync(gone, HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ChannelTestEmailsTheChannel(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var channel = await CreateChannelAsync(app, "Test mail", "email", "tester@example.com");
        var test = await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted);
        var email = await app.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == "tester@example.com"));
        Assert.Equal("[TEST] Test notification from Okapi", email.Subject);
        Assert.Contains("Test mail", email.TextBody);
        await Eventually.FindAsync(async () =>
            await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{test.Delivery!.Id}") is { State: DeliveryState.Delivered } d ? d : null, "the test delivery");
    }

    internal static async Task<ChannelDto> CreateChannelAsync(OkapiApp app, string name, string kind, string? target) =>
        await app.Admin.PostAsync<ChannelDto>("/api/v1/channels", new { name, kind, target, enabled = true });

    internal static Task<AllowedHostDto> AllowAsync(OkapiApp app, string host) => app.Admin.PostAsync<AllowedHostDto>("/api/v1/allowed-hosts", new { host });

    private static Task<ReceivedRequest> ResolvedAsync(WebhookListener listener, string path) =>
        Eventually.FindAsync(() => listener.Requests.FirstOrDefault(r => r.Path == path && r.Event == "alertResolved"), $"the resolved alert at {path}");

    /// <summary>The Adaptive Card of a Teams message, checking that the message is shaped as Teams Workflows take it.</summary>
    internal static JsonElement AdaptiveCard(string body)
    {
        var message = JsonDocument.Parse(body).RootElement;
        Assert.Equal("message", message.GetProperty("type").GetString());
        var attachment = Assert.Single(message.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        return attachment.GetProperty("content");
    }

    private async Task<HttpClient> MemberAsync(OkapiApp app)
    {
        var member = await app.Admin.CreatePersonAsync("Mia Member", Role.Member);
        return await app.ClientForAsync(member.Id, TokenScope.Write);
    }

    private async Task<HttpStatusCode> PostThroughGuardAsync(OkapiApp app, Uri url)
    {
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<OkapiDbContext>().OrganisationId = app.OrganisationId;
        using var client = scope.ServiceProvider.GetRequiredService<OutboundGuard>().CreateClient();
        using var response = await client.PostAsync(url, new StringContent("{}"));
        return response.StatusCode;
    }

    private async Task DeliverDueAsync(OkapiApp app)
    {
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DeliveryWorker>().DeliverDueAsync(CancellationToken.None);
    }

    private Task<DeliveryDto> DeliveredAsync(OkapiApp app, Guid channelId, Guid alertId) => Eventually.FindAsync(async () =>
        (await app.Admin.GetAsync<Page<DeliveryDto>>($"/api/v1/deliveries?channel={channelId}&alert={alertId}")).Items
            .FirstOrDefault(d => d.State == DeliveryState.Delivered), "the delivery to be marked delivered");

    /// <summary>
    /// A KPI (through the API), a rule notifying the channels and its firing (or resolved) alert, queued through the
    /// outbox in the same save as the alert, as alert evaluation does; then the worker is woken.
    /// </summary>
    internal static async Task<(Guid KpiId, Guid AlertId)> FireAlertAsync(OkapiApp app, Guid[] channelIds, Guid? ownerPersonId = null, Guid? ownerTeamId = null, bool resolved = false)
    {
        var created = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Conversion rate", ownerTeamId, ownerPersonId ?? (ownerTeamId is null ? app.AdminId : null),
            key: $"conversion-{Guid.NewGuid():N}"[..30], criticalLower: 1.5, unit: "%"));
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        db.OrganisationId = app.OrganisationId;
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var kpi = await db.Kpis.AsNoTracking().SingleAsync(k => k.Id == created.Id);
        var rule = new AlertRule { KpiId = kpi.Id, Name = RuleName, Severity = AlertSeverity.Critical, ChannelIds = [.. channelIds] };
        var alert = new Alert
        {
            RuleId = rule.Id,
            KpiId = kpi.Id,
            State = resolved ? AlertState.Resolved : AlertState.Firing,
            Severity = AlertSeverity.Critical,
            StartedAt = now,
            FiredAt = now,
            ResolvedAt = resolved ? now : null,
            ValueAtStart = 1.2,
            LastValue = 1.2,
            Summary = Summary,
        };
        db.AddRange(rule, alert);
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        await outbox.QueueAsync(rule, alert, kpi, resolved ? NotificationEvent.AlertResolved : NotificationEvent.AlertFiring, CancellationToken.None);
        await db.SaveChangesAsync();
        outbox.Wake();
        return (kpi.Id, alert.Id);
    }
}

/// <summary>Without <c>Okapi:Smtp</c>, email deliveries fail with a reason an admin can act on.</summary>
public sealed class EmailWithoutSmtpTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task EmailDeliveryFailsWithAClearErrorWhenSmtpIsNotConfigured(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var channel = await app.Admin.PostAsync<ChannelDto>("/api/v1/channels", new { name = "Unsent mail", kind = "email", target = "ops@example.com" });
        var id = (await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted)).Delivery!.Id;
        var failed = await Eventually.FindAsync(async () =>
            await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{id}") is { Attempts: 1 } d ? d : null, "the attempt");
        // Sending again cannot succeed until someone configures email: the delivery fails for good, at once.
        Assert.Equal(DeliveryState.Failed, failed.State);
        Assert.StartsWith("email is not configured: set Okapi:Smtp:Host", failed.LastError);
        Assert.Equal([id], (await app.Admin.GetAsync<Page<DeliveryDto>>($"/api/v1/deliveries?channel={channel.Id}&state=failed")).Items.Select(d => d.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheAdminPageShowsAdminsTheDeliveriesThatFailedAndHidesThemFromOthers(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var recipient = $"ops.{Guid.NewGuid():N}@example.com";
        var channel = await app.Admin.PostAsync<ChannelDto>("/api/v1/channels", new { name = $"Unsent {recipient}", kind = "email", target = recipient });
        var id = (await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted)).Delivery!.Id;
        await Eventually.FindAsync(async () =>
            await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{id}") is { State: DeliveryState.Failed } d ? d : null, "the failure");

        var adminPage = await SignedInPageAsync(app, Role.Admin, "/admin");
        Assert.Contains("data-testid=\"failed-deliveries\"", adminPage);
        Assert.Contains("could not be delivered in the last 7 days", adminPage);
        // A channel's delivery names its channel; a delivery to one person names their address.
        Assert.Contains(channel.Id.ToString(), adminPage);
        Assert.Contains("email is not configured", adminPage);

        var memberPage = await SignedInPageAsync(app, Role.Member, "/admin");
        Assert.DoesNotContain("failed-deliveries", memberPage);
        Assert.DoesNotContain(channel.Id.ToString(), memberPage);
    }

    private const string Password = "a-long-password-1";

    private static async Task<string> SignedInPageAsync(OkapiApp app, Role role, string url)
    {
        var email = $"{role}.{Guid.NewGuid():N}@okapi.test".ToLowerInvariant();
        await app.Admin.PostAsync<PersonDto>("/api/v1/people", new PersonRequest($"Page {role}", email, role, null, Password));
        using var browser = app.CreateClient(new() { HandleCookies = true });
        using (var signIn = await browser.PostAsJsonAsync("/account/sign-in", new SignInRequest(email, Password)))
        {
            Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        }

        return await browser.GetStringAsync(url);
    }
}

/// <summary>Okapi with an SMTP listener but no <c>Okapi:PublicUrl</c>: it does not know where people reach it.</summary>
public sealed class NoPublicUrlApps : OkapiApps
{
    protected override AppOptions Options => new() { WithSmtp = true, Configure = b => b.UseSetting("Okapi:PublicUrl", "") };
}

/// <summary>A path alone is no link a mail or chat client can open: without a public URL, notifications carry none.</summary>
public sealed class NotificationsWithoutPublicUrlTests(NoPublicUrlApps apps) : IClassFixture<NoPublicUrlApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task SlackTeamsAndEmailSendNoLinkWithoutAPublicUrl(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await NotificationTests.AllowAsync(app, listener.HostAndPort);
        var email = await NotificationTests.CreateChannelAsync(app, "Linkless mail", "email", "linkless@example.com");
        var slack = await NotificationTests.CreateChannelAsync(app, "Linkless Slack", "slack", listener.UrlFor("/slack").ToString());
        var teams = await NotificationTests.CreateChannelAsync(app, "Linkless Teams", "teams", listener.UrlFor("/teams").ToString());
        var (kpiId, _) = await NotificationTests.FireAlertAsync(app, [email.Id, slack.Id, teams.Id]);

        var slackBody = (await listener.WaitForAsync("/slack")).Body;
        var section = JsonDocument.Parse(slackBody).RootElement.GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString();
        Assert.DoesNotContain("<", section);
        Assert.DoesNotContain("Open in Okapi", section);
        Assert.DoesNotContain($"/kpis/{kpiId}", slackBody);

        var teamsBody = (await listener.WaitForAsync("/teams")).Body;
        var card = NotificationTests.AdaptiveCard(teamsBody);
        Assert.False(card.TryGetProperty("actions", out _), card.ToString());
        Assert.Contains(card.GetProperty("body").EnumerateArray(), b => b.GetProperty("text").GetString() == "Conversion rate: 1.2 %");
        Assert.DoesNotContain($"/kpis/{kpiId}", teamsBody);

        var mail = await app.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == "linkless@example.com"));
        Assert.Contains("Conversion rate: 1.2 %", mail.TextBody);
        Assert.DoesNotContain($"/kpis/{kpiId}", mail.TextBody);
        Assert.DoesNotContain($"/kpis/{kpiId}", mail.HtmlBody);
        Assert.DoesNotContain("<a ", mail.HtmlBody);
        Assert.DoesNotContain("Open in Okapi", mail.HtmlBody);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AGenericWebhookSendsNoLinkWithoutAPublicUrl(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await NotificationTests.AllowAsync(app, listener.HostAndPort);
        var webhook = await NotificationTests.CreateChannelAsync(app, "Linkless webhook", "webhook", listener.UrlFor("/linkless").ToString());
        var (kpiId, alertId) = await NotificationTests.FireAlertAsync(app, [webhook.Id]);

        var request = await listener.WaitForAsync("/linkless");
        var json = JsonDocument.Parse(request.Body).RootElement;
        Assert.False(json.TryGetProperty("link", out _), request.Body);
        Assert.Equal(alertId, json.GetProperty("alert").GetProperty("id").GetGuid());
        Assert.Equal(kpiId, json.GetProperty("kpi").GetProperty("id").GetGuid());
        Assert.DoesNotContain($"/kpis/{kpiId}", request.Body);
    }
}
