using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Notifications;

public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        var channels = api.MapGroup("/channels").WithTags("Channels");
        channels.MapGet("/", ListChannels).WithSummary("List the channels alert rules notify.").WithDescription("Anyone who may read; a webhook's target is shown to admins only. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        channels.MapGet("/{id:guid}", GetChannel).WithSummary("Get a channel by id, with its ETag.").WithDescription("Anyone who may read; a webhook's target is shown to admins only.");
        channels.MapPost("/", CreateChannel).RequireAuthorization(ApiPolicies.Admins).WithSummary("Create an in-app, email, webhook, Slack or Teams channel (admins).").WithDescription("Admins only (403 otherwise); a target on a loopback or private address is a validation problem unless its host is allowed.");
        channels.MapPut("/{id:guid}", UpdateChannel).RequireAuthorization(ApiPolicies.Admins).WithSummary("Replace a channel (admins).").WithDescription("Admins only (403 otherwise). 412 when If-Match is stale.");
        channels.MapDelete("/{id:guid}", DeleteChannel).RequireAuthorization(ApiPolicies.Admins).WithSummary("Delete a channel and its delivery log (admins).").WithDescription("Admins only (403 otherwise). 412 when If-Match is stale.");
        channels.MapPost("/{id:guid}/secret", RotateChannelSecret).RequireAuthorization(ApiPolicies.Admins)
            .WithSummary("Give a generic webhook a new signing secret, shown in this answer only; the old one stops working (admins).").WithDescription("Admins only (403 otherwise); 409 for Slack, Teams and email channels, which have no secret.").ProducesProblem(StatusCodes.Status409Conflict);
        channels.MapPost("/{id:guid}/test", TestChannel).RequireAuthorization(ApiPolicies.Admins).WithSummary("Send a test notification through the channel (admins).").WithDescription("Admins only (403 otherwise); 409 when the channel is disabled. The answer is 202: the test is queued like any delivery.").ProducesProblem(StatusCodes.Status409Conflict);

        var deliveries = api.MapGroup("/deliveries").WithTags("Channels").RequireAuthorization(ApiPolicies.Admins);
        deliveries.MapGet("/", ListDeliveries).WithSummary("The outbox: each notification to each channel, its state, attempts and last error (admins).").WithDescription("Admins only; filter by channel, state, alert and since. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        deliveries.MapGet("/{id:guid}", GetDelivery).WithSummary("Get a delivery by id.").WithDescription("Admins only (403 otherwise); 404 when the delivery does not exist.");
        deliveries.MapPost("/{id:guid}/retry", RetryDelivery).WithSummary("Send a failed delivery again, due now (admins); 409 when it is not failed.").WithDescription("Admins only; 409 when the delivery is not failed (already delivered or still pending) or when its channel is disabled.").ProducesProblem(StatusCodes.Status409Conflict);

        var hosts = api.MapGroup("/allowed-hosts").WithTags("Channels").RequireAuthorization(ApiPolicies.Admins);
        hosts.MapGet("/", ListAllowedHosts).WithSummary("Hosts that webhooks and pull sources may call although they are loopback or private (admins).").WithDescription("Admins only (403 otherwise).");
        hosts.MapPost("/", AllowHost).WithSummary("Allow a host (\"host\" or \"host:port\") past the outbound guard (admins).").WithDescription("Admins only; 409 when the host is already allowed.").ProducesProblem(StatusCodes.Status409Conflict);
        hosts.MapDelete("/{id:guid}", RemoveAllowedHost).WithSummary("Remove a host from the list that channels may send to.").WithDescription("Admins only (403 otherwise); 404 when the host is not on the list.");

        var notifications = api.MapGroup("/notifications").WithTags("Notifications").RequireAuthorization(ApiPolicies.OwnData);
        notifications.MapGet("/", ListNotifications).WithSummary("The caller's in-app notifications, newest first, with the unread count.").WithDescription("Only the caller's own notifications; unread=true for unread ones only. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        notifications.MapPost("/{id:guid}/read", MarkRead).WithSummary("Mark one of the caller's notifications as read.").WithDescription("Only the caller's own notifications (404 for anyone else's); marking a read one again is harmless.");
        notifications.MapPost("/read", MarkAllRead).WithSummary("Mark all the caller's notifications read.").WithDescription("Only the caller's own notifications; viewers may call it too.");
        return api;
    }

    public static async Task<Ok<Page<ChannelDto>>> ListChannels(ChannelService channels, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await channels.ListAsync(page, ct));

    public static async Task<Results<Ok<ChannelDto>, NotFound>> GetChannel(Guid id, ChannelService channels, HttpContext http, CancellationToken ct) =>
        (await channels.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<ChannelDto>, ValidationProblem, ProblemHttpResult>> CreateChannel(ChannelRequest request, ChannelService channels, HttpContext http, CancellationToken ct) =>
        (await channels.CreateAsync(request, ct)).ToCreated(http, c => $"/api/v1/channels/{c.Id}");

    public static async Task<Results<Ok<ChannelDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateChannel(Guid id, ChannelRequest request, ChannelService channels, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await channels.UpdateAsync(id, request, ifMatch, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteChannel(Guid id, ChannelService channels, IfMatch ifMatch, CancellationToken ct) =>
        (await channels.DeleteAsync(id, ifMatch, ct)).ToNoContent();

    public static async Task<Results<Ok<ChannelDto>, NotFound, ProblemHttpResult>> RotateChannelSecret(Guid id, ChannelService channels, HttpContext http, CancellationToken ct) =>
        (await channels.RotateSecretAsync(id, ct)).ToOk(http);

    public static async Task<Results<Accepted<ChannelTestDto>, NotFound, ProblemHttpResult>> TestChannel(Guid id, ChannelService channels, CancellationToken ct) =>
        (await channels.TestAsync(id, ct)).To(queued =>
            TypedResults.Accepted(queued.Delivery is { } d ? $"/api/v1/deliveries/{d.Id}" : "/api/v1/notifications", queued));

    public static async Task<Results<Ok<Page<DeliveryDto>>, ProblemHttpResult>> ListDeliveries(ChannelService channels, [AsParameters] DeliveryFilter filter, [AsParameters] PageRequest page, HttpContext http, CancellationToken ct) =>
        (await channels.ListDeliveriesAsync(filter, page, ct)).ToOk(http);

    public static async Task<Results<Ok<DeliveryDto>, NotFound, ProblemHttpResult>> GetDelivery(Guid id, ChannelService channels, HttpContext http, CancellationToken ct) =>
        (await channels.GetDeliveryAsync(id, ct)).ToOk(http);

    public static async Task<Results<Ok<DeliveryDto>, NotFound, ProblemHttpResult>> RetryDelivery(Guid id, ChannelService channels, HttpContext http, CancellationToken ct) =>
        (await channels.RetryDeliveryAsync(id, ct)).ToOk(http);

    public static async Task<Results<Ok<List<AllowedHostDto>>, ProblemHttpResult>> ListAllowedHosts(ChannelService channels, HttpContext http, CancellationToken ct) =>
        (await channels.ListAllowedHostsAsync(ct)).ToOk(http);

    public static async Task<Results<Created<AllowedHostDto>, ValidationProblem, ProblemHttpResult>> AllowHost(AllowedHostRequest request, ChannelService channels, HttpContext http, CancellationToken ct) =>
        (await channels.AllowHostAsync(request, ct)).ToCreated(http, h => $"/api/v1/allowed-hosts/{h.Id}");

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RemoveAllowedHost(Guid id, ChannelService channels, CancellationToken ct) =>
        (await channels.RemoveAllowedHostAsync(id, ct)).ToNoContent();

    public static async Task<Ok<NotificationList>> ListNotifications(NotificationService notifications, bool? unread, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await notifications.ListAsync(unread, page, ct));

    public static async Task<Results<NoContent, NotFound>> MarkRead(Guid id, NotificationService notifications, CancellationToken ct) =>
        (await notifications.MarkReadAsync(id, ct)).ToNoContent();

    public static async Task<NoContent> MarkAllRead(NotificationService notifications, CancellationToken ct)
    {
        await notifications.MarkAllReadAsync(ct);
        return TypedResults.NoContent();
    }
}
