using System.Net;
using Microsoft.AspNetCore.Http;
using Okapi.Core.Access;
using Okapi.Core.Alerts;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Notifications;

/// <summary>An admin sends again what the outbox gave up, through <c>POST /api/v1/deliveries/{id}/retry</c>.</summary>
public sealed class DeliveryRetryTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task AFailedDeliveryRetriedOnceTheReceiverAnswersIsDelivered(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        var failed = await FailedDeliveryAsync(app, listener, "/gone");

        listener.Status = StatusCodes.Status200OK;
        var retried = await app.Admin.PostAsync<DeliveryDto>($"/api/v1/deliveries/{failed.Id}/retry", new { }, HttpStatusCode.OK);
        // Due now, with a fresh schedule; the last error stays until the next attempt says otherwise.
        Assert.Equal((DeliveryState.Pending, 0, app.Clock.GetUtcNow().UtcDateTime, false), (retried.State, retried.Attempts, retried.NextAttemptAt, retried.CanRetry));
        Assert.Contains("404", retried.LastError);

        var delivered = await Eventually.FindAsync(async () =>
            await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{failed.Id}") is { State: DeliveryState.Delivered } d ? d : null, "the retried delivery");
        Assert.Equal((1, (string?)null, app.Clock.GetUtcNow().UtcDateTime), (delivered.Attempts, delivered.LastError, delivered.DeliveredAt));
        var requests = listener.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(failed.Id.ToString(), r.DeliveryId));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ADeliveredDeliveryIsNotRetriedAndNothingChanges(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await AllowAsync(app, listener);
        var channel = await app.Admin.PostAsync<ChannelDto>("/api/v1/channels", new { name = $"Working {Guid.NewGuid():N}", kind = "webhook", target = listener.UrlFor("/ok").ToString() });
        var id = (await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted)).Delivery!.Id;
        var delivered = await Eventually.FindAsync(async () =>
            await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{id}") is { State: DeliveryState.Delivered } d ? d : null, "the delivery");
        Assert.False(delivered.CanRetry);

        using (var refused = await app.Admin.PostAsync($"/api/v1/deliveries/{id}/retry", null))
        {
            var problem = await Api.AssertProblemAsync(refused, HttpStatusCode.Conflict);
            Assert.Contains("delivered", problem.GetProperty("detail").GetString());
        }

        Assert.Equal(delivered, await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{id}"));
        Assert.Single(listener.Requests);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task OnlyAdminsRetryAndAnUnknownDeliveryIsNotFound(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        var failed = await FailedDeliveryAsync(app, listener, "/refused");
        listener.Status = StatusCodes.Status200OK;
        var member = await app.ClientForAsync((await app.Admin.CreatePersonAsync("Mo Member", Role.Member)).Id, TokenScope.Write);

        using (var refused = await member.PostAsync($"/api/v1/deliveries/{failed.Id}/retry", null))
        {
            await Api.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        }

        Assert.Equal(failed, await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{failed.Id}"));
        Assert.Single(listener.Requests);

        using var unknown = await app.Admin.PostAsync($"/api/v1/deliveries/{Guid.NewGuid()}/retry", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AFailedDeliveryOfADisabledChannelIsNotRetried(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        var failed = await FailedDeliveryAsync(app, listener, "/paused");
        var channel = await app.Admin.GetAsync<ChannelDto>($"/api/v1/channels/{failed.ChannelId}");
        await app.Admin.PutAsync<ChannelDto>($"/api/v1/channels/{channel.Id}", new { name = channel.Name, kind = "webhook", target = channel.Target, enabled = false });

        using (var refused = await app.Admin.PostAsync($"/api/v1/deliveries/{failed.Id}/retry", null))
        {
            var problem = await Api.AssertProblemAsync(refused, HttpStatusCode.Conflict);
            Assert.Contains("disabled", problem.GetProperty("detail").GetString());
        }

        Assert.Equal(failed, await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{failed.Id}"));
    }

    /// <summary>Lets the app call the listener; a port an earlier test's listener had may be allowed already.</summary>
    private static async Task AllowAsync(OkapiApp app, WebhookListener listener)
    {
        using var allowed = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/allowed-hosts", new { host = listener.HostAndPort });
        Assert.Contains(allowed.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
    }

    /// <summary>A webhook channel whose receiver answers 404, which the outbox gives up at the first attempt.</summary>
    private static async Task<DeliveryDto> FailedDeliveryAsync(OkapiApp app, WebhookListener listener, string path)
    {
        listener.Status = StatusCodes.Status404NotFound;
        await AllowAsync(app, listener);
        var channel = await app.Admin.PostAsync<ChannelDto>("/api/v1/channels", new { name = $"Receiver {Guid.NewGuid():N}", kind = "webhook", target = listener.UrlFor(path).ToString() });
        var id = (await app.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted)).Delivery!.Id;
        var failed = await Eventually.FindAsync(async () =>
            await app.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{id}") is { State: DeliveryState.Failed } d ? d : null, "the delivery to fail");
        Assert.True(failed.CanRetry);
        Assert.Single(listener.Requests);
        return failed;
    }
}
