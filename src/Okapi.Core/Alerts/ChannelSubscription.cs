namespace Okapi.Core.Alerts;

/// <summary>What a channel can subscribe to: every alert notification as one kind, and the OKR events one by one.</summary>
public enum ChannelEvent
{
    /// <summary>An alert of a rule that names the channel: pending, firing, repeated, resolved, acknowledged.</summary>
    Alerts,
    CheckInCreated,
    ObjectiveActivated,
    ReviewRequested,
    ReviewAnswered,

    /// <summary>A cycle closed for one team.</summary>
    TeamClosed,

    /// <summary>A cycle closed for the company; it belongs to no team.</summary>
    CycleClosed,
}

/// <summary>Which notifications a channel wants: the one rule the outbox asks before queueing anything for a channel.</summary>
public static class ChannelSubscription
{
    public const int MaxTeams = 100;

    /// <summary>What a channel hears unless told otherwise: alerts, as every channel did before it could choose.</summary>
    public static IReadOnlyList<ChannelEvent> Default { get; } = [ChannelEvent.Alerts];

    /// <summary>The kind a channel subscribes to for <paramref name="notification"/>, or null when channels never hear it (a reminder for one person).</summary>
    public static ChannelEvent? KindOf(NotificationEvent notification) => notification switch
    {
        NotificationEvent.AlertPending or NotificationEvent.AlertFiring or NotificationEvent.AlertRepeat
            or NotificationEvent.AlertResolved or NotificationEvent.AlertAcknowledged => ChannelEvent.Alerts,
        NotificationEvent.CheckInCreated => ChannelEvent.CheckInCreated,
        NotificationEvent.ObjectiveActivated => ChannelEvent.ObjectiveActivated,
        NotificationEvent.ReviewRequested => ChannelEvent.ReviewRequested,
        NotificationEvent.ReviewAnswered => ChannelEvent.ReviewAnswered,
        NotificationEvent.TeamClosed => ChannelEvent.TeamClosed,
        NotificationEvent.CycleClosed => ChannelEvent.CycleClosed,
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="channel"/> wants <paramref name="notification"/> of <paramref name="teamId"/> (the owner team
    /// of the objective or KPI; null when it belongs to no team). An enabled channel hears the kinds it subscribes to, of
    /// the teams it names, or of every team when it names none; an event of no team reaches only channels without a team
    /// filter. Nothing of a private objective leaves Okapi: <paramref name="confidential"/> events go to in-app channels only.
    /// A channel whose body has a fixed shape takes only what that shape carries (<see cref="Channel.Takes"/>).
    /// </summary>
    public static bool Hears(this Channel channel, NotificationEvent notification, Guid? teamId, bool confidential = false) =>
        channel.Enabled
        && KindOf(notification) is { } kind && channel.Events.Contains(kind)
        && (channel.TeamIds.Count == 0 || (teamId is { } team && channel.TeamIds.Contains(team)))
        && (!confidential || channel.Kind == ChannelKind.InApp)
        && channel.Takes(notification);
}
