namespace Okapi.Core.Alerts;

public enum DeliveryState
{
    Pending,
    Delivered,

    /// <summary>Gave up after the last retry.</summary>
    Failed,
}

/// <summary>What a notification is about.</summary>
public enum NotificationEvent
{
    AlertPending,
    AlertFiring,
    AlertRepeat,
    AlertResolved,
    AlertAcknowledged,
    Test,
    CheckInReminder,
    WeeklyDigest,
    Mention,
    ReviewRequested,
    ReviewAnswered,
    CycleClosed,
}

/// <summary>
/// One notification to one channel, written in the same transaction as the alert transition that caused it
/// (the outbox), then sent by a background worker with retries and exponential backoff.
/// </summary>
public sealed class Delivery : IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    /// <summary>The channel it goes to; null for an email to one person (<see cref="Recipient"/>).</summary>
    public Guid? ChannelId { get; set; }

    /// <summary>The email address of the one person it goes to, when it is not for a channel.</summary>
    public string? Recipient { get; set; }
    public Guid? AlertId { get; set; }
    public NotificationEvent Event { get; set; }

    /// <summary>The notification's content as JSON, fixed when it was queued.</summary>
    public required string Payload { get; set; }
    public DeliveryState State { get; set; } = DeliveryState.Pending;
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>Until when a worker has claimed this delivery; others leave it alone until then.</summary>
    public DateTime? LockedUntil { get; set; }
}

/// <summary>An in-app notification for one person.</summary>
public sealed class Notification : IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    public Guid PersonId { get; set; }
    public required string Title { get; set; }
    public string? Body { get; set; }

    /// <summary>A path in the web app, e.g. /kpis/{id}.</summary>
    public string? Link { get; set; }
    public Guid? AlertId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}
