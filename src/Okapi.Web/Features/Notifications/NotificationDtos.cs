using System.ComponentModel.DataAnnotations;
using Okapi.Core.Alerts;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Notifications;

/// <summary>
/// A channel to create or replace. <c>target</c>: comma-separated addresses for email, the URL for webhook, slack
/// and teams, nothing for inApp. <c>events</c>: the kinds it hears (by default <c>["alerts"]</c>); <c>teamIds</c>:
/// the teams whose events it hears (by default none: every team's, and events of no team such as a company close).
/// </summary>
/// <param name="Name">The channel's name, shown to admins and in alert rules; required, at most 100 characters.</param>
/// <param name="Kind">Required: `inApp` (a notification in Okapi for the owners of what it is about), `email`, `webhook` (a JSON POST), `slack` or `teams` (their incoming webhooks).</param>
/// <param name="Target">
/// Email: one or more addresses separated by commas, at most 50. Webhook, Slack and Teams: an absolute http or https
/// URL that the server's outbound rules allow (no loopback or private address unless an admin allowed its host). In-app:
/// nothing. At most 2,000 characters.
/// </param>
/// <param name="Enabled">Whether the channel sends; true by default.</param>
/// <param name="Events">
/// The event kinds the channel hears: `alerts` (of the alert rules that name it), `checkInCreated`,
/// `objectiveActivated`, `reviewRequested`, `reviewAnswered`, `teamClosed`, `cycleClosed`; at least one, `["alerts"]` by default.
/// </param>
/// <param name="TeamIds">The teams whose OKR events the channel hears, at most 100 existing teams; empty (the default) hears every team's and those of no team.</param>
/// <param name="BodyFormat">
/// A generic webhook's body: <c>okapi</c> (Okapi's own JSON, the default) or <c>alertmanager</c> (the body
/// Alertmanager's webhook_config sends; such a channel hears of alerts firing and resolved, and its test, only).
/// Other kinds take only <c>okapi</c> or nothing.
/// </param>
public sealed record ChannelRequest(
    [property: Required, StringLength(Channel.MaxNameLength)] string Name,
    [property: Required] ChannelKind? Kind,
    [property: StringLength(Channel.MaxTargetLength)] string? Target,
    bool? Enabled,
    List<ChannelEvent>? Events = null,
    List<Guid>? TeamIds = null,
    WebhookBodyFormat? BodyFormat = null);

/// <summary>A channel; the target of webhook kinds (it may hold a secret token) is shown to admins only.</summary>
/// <param name="Id">The channel's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Kind">`inApp`, `email`, `webhook`, `slack` or `teams`.</param>
/// <param name="Target">The addresses or URL it sends to; null for in-app channels, and for webhook kinds unless the caller is an admin.</param>
/// <param name="Enabled">Whether it sends.</param>
/// <param name="Events">The event kinds it hears.</param>
/// <param name="TeamIds">The teams whose OKR events it hears; empty for every team's.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="Signed">
/// Whether a generic webhook's requests carry a Standard Webhooks signature; false for a webhook made before signing
/// existed until an admin rotates its secret (<c>POST /api/v1/channels/{id}/secret</c>), and for other kinds.
/// </param>
/// <param name="BodyFormat">A generic webhook's body: <c>okapi</c> or <c>alertmanager</c>; <c>okapi</c> for other kinds.</param>
/// <param name="Secret">
/// The generic webhook's signing secret (<c>whsec_…</c>), only in the answer that created the channel or rotated its
/// secret: it is never shown again.
/// </param>
public sealed record ChannelDto(
    Guid Id, string Name, ChannelKind Kind, string? Target, bool Enabled, IReadOnlyList<ChannelEvent> Events, IReadOnlyList<Guid> TeamIds,
    int Version, DateTime CreatedAt, DateTime UpdatedAt, bool Signed, WebhookBodyFormat BodyFormat, string? Secret = null) : IHasVersion
{
    public static ChannelDto From(Channel c, bool showTarget) =>
        new(c.Id, c.Name, c.Kind, showTarget || !ChannelRules.IsWebhook(c.Kind) ? c.Target : null, c.Enabled, c.Events, c.TeamIds, c.Version, c.CreatedAt, c.UpdatedAt,
            c.ProtectedSecret is not null, c.BodyFormat);
}

/// <summary>One notification to one channel and how sending it went; <c>canRetry</c> when an admin may send it again.</summary>
/// <param name="Id">The delivery's id.</param>
/// <param name="ChannelId">The channel it goes to; null for an email to one person.</param>
/// <param name="Recipient">The email address of the one person it goes to; null for a channel's delivery.</param>
/// <param name="AlertId">The alert it is about, if any.</param>
/// <param name="Event">What it is about, e.g. `alertFiring`, `alertResolved`, `test`, `checkInReminder`, `weeklyDigest`.</param>
/// <param name="State">`pending` (not sent yet, or waiting for a retry), `delivered` or `failed` (gave up after the last retry).</param>
/// <param name="Attempts">How many times sending it was tried.</param>
/// <param name="LastError">Why the last attempt failed; null after a success.</param>
/// <param name="CreatedAt">When it was queued (UTC).</param>
/// <param name="NextAttemptAt">When it is tried next (UTC), while pending.</param>
/// <param name="DeliveredAt">When it was delivered (UTC), if it was.</param>
/// <param name="CanRetry">Whether an admin may send it again: it failed.</param>
public sealed record DeliveryDto(
    Guid Id, Guid? ChannelId, string? Recipient, Guid? AlertId, NotificationEvent Event, DeliveryState State, int Attempts, string? LastError,
    DateTime CreatedAt, DateTime NextAttemptAt, DateTime? DeliveredAt, bool CanRetry)
{
    public static DeliveryDto From(Delivery d) =>
        new(d.Id, d.ChannelId, d.Recipient, d.AlertId, d.Event, d.State, d.Attempts, d.LastError, d.CreatedAt, d.NextAttemptAt, d.DeliveredAt, d.CanRetry);
}

/// <summary>Which deliveries to list; <c>since</c> keeps those created at or after that moment.</summary>
public sealed record DeliveryFilter(Guid? Channel, EnumQuery<DeliveryState>? State, Guid? Alert, DateTimeOffset? Since = null);

/// <summary>What a channel test queued: a delivery to watch, or for an in-app channel the caller's notification.</summary>
/// <param name="Delivery">The queued delivery, for an external channel; null for an in-app channel.</param>
/// <param name="Notification">The caller's notification, for an in-app channel; null otherwise.</param>
public sealed record ChannelTestDto(DeliveryDto? Delivery, NotificationDto? Notification);

/// <summary><c>host</c> is "host" or "host:port", e.g. "127.0.0.1:9093" or "alertmanager.internal".</summary>
/// <param name="Host">The host, as `host` or `host:port`, that webhooks and pull sources may reach although it is loopback or private; at most 300 characters, without scheme, path or user.</param>
public sealed record AllowedHostRequest([property: Required, StringLength(300)] string Host);

/// <summary>A host that webhooks and pull sources may reach although it is loopback or private.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="Host">The host, as `host` or `host:port`.</param>
/// <param name="CreatedAt">When it was allowed (UTC).</param>
public sealed record AllowedHostDto(Guid Id, string Host, DateTime CreatedAt)
{
    public static AllowedHostDto From(AllowedHost h) => new(h.Id, h.Host, h.CreatedAt);
}

/// <summary>An in-app notification of the caller.</summary>
/// <param name="Id">The notification's id.</param>
/// <param name="Title">What happened, in a line.</param>
/// <param name="Body">More detail, if any.</param>
/// <param name="Link">Where in the app to look, if anywhere.</param>
/// <param name="AlertId">The alert it is about, if any.</param>
/// <param name="CreatedAt">When it was made (UTC).</param>
/// <param name="ReadAt">When the caller read it (UTC); null while unread.</param>
public sealed record NotificationDto(Guid Id, string Title, string? Body, string? Link, Guid? AlertId, DateTime CreatedAt, DateTime? ReadAt)
{
    public static NotificationDto From(Notification n) => new(n.Id, n.Title, n.Body, n.Link, n.AlertId, n.CreatedAt, n.ReadAt);
}

/// <summary>The caller's in-app notifications, newest first, and how many of all of them are unread.</summary>
/// <param name="Items">The notifications on this page, newest first.</param>
/// <param name="PageNumber">The page number, from 1.</param>
/// <param name="PageSize">Notifications per page.</param>
/// <param name="Total">How many notifications match the filter (all, or only the unread ones), over all pages.</param>
/// <param name="Unread">How many of all of them are unread.</param>
public sealed record NotificationList(IReadOnlyList<NotificationDto> Items, int PageNumber, int PageSize, int Total, int Unread);
