using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Okapi.Web.Tests.Notifications;

/// <summary>
/// Okapi whose clock starts at the real time: a Standard Webhooks receiver refuses a request whose timestamp is more
/// than five minutes from its own clock, and the test verifies as such a receiver does.
/// </summary>
public sealed class WallClockApps : OkapiApps
{
    public const string PublicUrl = "https://okapi.example";

    protected override AppOptions Options => new()
    {
        ClockStart = DateTimeOffset.UtcNow,
        Configure = b => b.UseSetting("Okapi:PublicUrl", PublicUrl),
    };
}

public sealed class WebhookSigningTests(WallClockApps apps) : IClassFixture<WallClockApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task AGenericWebhookIsSignedSoThatAReceiverVerifiesItWithTheSecretShownOnceAtCreation(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await NotificationTests.AllowAsync(app, listener.HostAndPort);
        var created = await NotificationTests.CreateChannelAsync(app, "Signed webhook", "webhook", listener.UrlFor("/signed").ToString());
        var secret = created.Secret!;
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.True(created.Signed);

        // Never again: not in a read, not in the list, and not in clear in the database.
        var read = await app.Admin.GetAsync<ChannelDto>($"/api/v1/channels/{created.Id}");
        Assert.True(read.Signed);
        Assert.Null(read.Secret);
        Assert.All((await app.Admin.GetAsync<Page<ChannelDto>>("/api/v1/channels?pageSize=200")).Items, c => Assert.Null(c.Secret));
        var stored = await app.QueryAsync(db => db.Channels.Where(c => c.Id == created.Id).Select(c => c.ProtectedSecret).SingleAsync());
        Assert.DoesNotContain(secret["whsec_".Length..], stored);
        Assert.DoesNotContain(await app.QueryAsync(db => db.AuditEvents.Select(e => e.Changes).ToListAsync()), c => c.Contains(stored!, StringComparison.Ordinal));

        var (_, alertId) = await NotificationTests.FireAlertAsync(app, [created.Id]);
        var request = await listener.WaitForAsync("/signed");
        var delivery = Assert.Single((await app.Admin.GetAsync<Page<DeliveryDto>>($"/api/v1/deliveries?channel={created.Id}&alert={alertId}")).Items);
        Assert.Equal(delivery.Id.ToString(), request.Headers["webhook-id"]);
        Assert.Equal(app.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), request.Headers["webhook-timestamp"]);
        Assert.StartsWith("v1,", request.Headers["webhook-signature"].ToString());
        Assert.StartsWith("Okapi/", request.Headers.UserAgent.ToString());

        // As a receiver does: the raw body and the headers, checked with the secret it was given.
        new StandardWebhook(secret).Verify(request.Body, request.Headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(secret).Verify(request.Body.Replace("FIRING", "RESOLVED", StringComparison.Ordinal), request.Headers));
        var other = WebhookSecrets.Prefix + Convert.ToBase64String(new byte[32]);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(other).Verify(request.Body, request.Headers));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ARetryKeepsTheWebhookIdAndIsSignedAgainForItsOwnTime(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        listener.Status = StatusCodes.Status503ServiceUnavailable;
        await NotificationTests.AllowAsync(app, listener.HostAndPort);
        var channel = await NotificationTests.CreateChannelAsync(app, "Retried signed webhook", "webhook", listener.UrlFor("/retried").ToString());
        var id = (await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted)).Delivery!.Id;
        var first = await listener.WaitForAsync("/retried");
        await Eventually.FindAsync(async () =>
            await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{id}") is { Attempts: 1 } d ? d : null, "the first attempt to be recorded");

        listener.Status = StatusCodes.Status200OK;
        app.Clock.Advance(TimeSpan.FromSeconds(6));
        await DeliverDueAsync(app);
        var second = await listener.WaitForAsync("/retried", 2);

        Assert.All(new[] { first, second }, r => Assert.Equal(id.ToString(), r.Headers["webhook-id"]));
        Assert.Equal(6, long.Parse(second.Headers["webhook-timestamp"]!, CultureInfo.InvariantCulture) - long.Parse(first.Headers["webhook-timestamp"]!, CultureInfo.InvariantCulture));
        Assert.NotEqual(first.Headers["webhook-signature"], second.Headers["webhook-signature"]);
        new StandardWebhook(channel.Secret!).Verify(second.Body, second.Headers);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task SlackAndTeamsRequestsSayTheyComeFromOkapiAndCarryNoSignature(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await NotificationTests.AllowAsync(app, listener.HostAndPort);
        var slack = await NotificationTests.CreateChannelAsync(app, "Agent Slack", "slack", listener.UrlFor("/agent-slack").ToString());
        var teams = await NotificationTests.CreateChannelAsync(app, "Agent Teams", "teams", listener.UrlFor("/agent-teams").ToString());
        Assert.All(new[] { slack, teams }, c => Assert.Multiple(() => Assert.False(c.Signed), () => Assert.Null(c.Secret)));
        await NotificationTests.FireAlertAsync(app, [slack.Id, teams.Id]);

        foreach (var path in new[] { "/agent-slack", "/agent-teams" })
        {
            var request = await listener.WaitForAsync(path);
            Assert.Matches(@"^Okapi/\d+(\.\d+)*", request.Headers.UserAgent.ToString());
            Assert.False(request.Headers.ContainsKey("webhook-signature"));
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnAdminRotatesTheSecretAndOnlyTheNewOneVerifiesWhileAWebhookWithoutOneIsSentUnsigned(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await NotificationTests.AllowAsync(app, listener.HostAndPort);
        var channel = await NotificationTests.CreateChannelAsync(app, "Rotated webhook", "webhook", listener.UrlFor("/rotated").ToString());

        // As a webhook made before signing existed: no secret, sent unsigned, and the API says so.
        await app.QueryAsync(db => db.Channels.Where(c => c.Id == channel.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.ProtectedSecret, (string?)null)));
        Assert.False((await app.Admin.GetAsync<ChannelDto>($"/api/v1/channels/{channel.Id}")).Signed);
        var unsigned = await TestAsync(app, listener, channel.Id, "/rotated", 1);
        Assert.False(unsigned.Headers.ContainsKey("webhook-signature"));
        Assert.Equal(unsigned.DeliveryId, unsigned.Headers["webhook-id"]);

        var member = await app.Admin.CreatePersonAsync("Rhea Rotator", Role.Member);
        var memberClient = await app.ClientForAsync(member.Id, TokenScope.Write);
        using (var forbidden = await memberClient.PostAsync($"/api/v1/channels/{channel.Id}/secret", null))
        {
            await Api.AssertProblemAsync(forbidden, HttpStatusCode.Forbidden);
        }

        var slack = await NotificationTests.CreateChannelAsync(app, "Unsignable Slack", "slack", listener.UrlFor("/unsignable").ToString());
        using (var notWebhook = await app.Admin.PostAsync($"/api/v1/channels/{slack.Id}/secret", null))
        {
            await Api.AssertProblemAsync(notWebhook, HttpStatusCode.Conflict);
        }

        var first = (await app.Admin.PostAsync<ChannelDto>($"/api/v1/channels/{channel.Id}/secret", new { }, HttpStatusCode.OK)).Secret!;
        Assert.True((await app.Admin.GetAsync<ChannelDto>($"/api/v1/channels/{channel.Id}")).Signed);
        new StandardWebhook(first).Verify((await TestAsync(app, listener, channel.Id, "/rotated", 2)).Body, listener.Requests.Last().Headers);

        var second = (await app.Admin.PostAsync<ChannelDto>($"/api/v1/channels/{channel.Id}/secret", new { }, HttpStatusCode.OK)).Secret!;
        Assert.NotEqual(first, second);
        var signed = await TestAsync(app, listener, channel.Id, "/rotated", 3);
        new StandardWebhook(second).Verify(signed.Body, signed.Headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(first).Verify(signed.Body, signed.Headers));
        Assert.Null((await app.Admin.GetAsync<ChannelDto>($"/api/v1/channels/{channel.Id}")).Secret);
    }

    private static async Task<ReceivedRequest> TestAsync(OkapiApp app, WebhookListener listener, Guid channelId, string path, int count)
    {
        await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channelId}/test", new { }, HttpStatusCode.Accepted);
        return await listener.WaitForAsync(path, count);
    }

    private static async Task DeliverDueAsync(OkapiApp app)
    {
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DeliveryWorker>().DeliverDueAsync(CancellationToken.None);
    }
}
