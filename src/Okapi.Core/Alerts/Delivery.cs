namespace Okapi.Core.Alerts;

/// <summary>A delivery's state: `pending`, `delivered` or `failed` (gave up after the last retry).</summary>
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
    CheckInCreated,
    ObjectiveActivated,

    /// <summary>A cycle closed for one team (<see cref="CycleClosed"/> is the company's close).</summary>
    TeamClosed,
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

    /// <summary>After this many failed attempts the delivery is given up.</summary>
    public const int MaxAttempts = 10;
    public const int MaxErrorLength = 2000;

    /// <summary>
    /// The wait before retry number <paramref name="attempts"/> + 1: 5 s × 2^(attempts − 1) plus up to 10 % jitter
    /// (<paramref name="jitter"/> in [0, 1), so that many failed deliveries do not retry in lockstep), at most an hour.
    /// </summary>
    public static TimeSpan Backoff(int attempts, double jitter)
    {
        var seconds = 5 * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30)) * (1 + (0.1 * Math.Clamp(jitter, 0, 1)));
        return TimeSpan.FromSeconds(Math.Min(seconds, 3600));
    }

    /// <summary>
    /// Whether an HTTP answer with <paramref name="status"/> says that sending again cannot succeed: a client error,
    /// except a timeout (408) and too many requests (429), which a later attempt may get past.
    /// </summary>
    public static bool IsPermanentFailure(int status) => status is >= 400 and < 500 and not 408 and not 429;

    /// <summary>
    /// Records one attempt to send: delivered when <paramref name="error"/> is null; otherwise the error is kept and the
    /// delivery retried after <see cref="Backoff"/>, or given up when <paramref name="giveUp"/> or after <see cref="MaxAttempts"/>.
    /// The claim on it ends either way.
    /// </summary>
    public void RecordAttempt(DateTime now, string? error, bool giveUp, double jitter)
    {
        Attempts++;
        LockedUntil = null;
        if (error is null)
        {
            State = DeliveryState.Delivered;
            DeliveredAt = now;
            LastError = null;
            return;
        }

        LastError = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        if (giveUp || Attempts >= MaxAttempts)
        {
            State = DeliveryState.Failed;
        }
        else
        {
            NextAttemptAt = now + Backoff(Attempts, jitter);
        }
    }

    /// <summary>
    /// Whether an admin may send it again by hand: only once the outbox has given it up. A pending delivery is still
    /// the worker's (it may be claimed and sending at this moment), and a delivered one has reached its receiver.
    /// </summary>
    public bool CanRetry => State == DeliveryState.Failed;

    /// <summary>
    /// Puts a given-up delivery back in the outbox, due at once. The attempts start again from zero, so the retry gets
    /// the whole backoff schedule a new notification gets: an admin retries after fixing the cause, and a receiver
    /// that has just come back may still refuse the first call; keeping the count would give a delivery that failed
    /// ten times a single try. The last error stays until the next attempt replaces it, so the log still says why it
    /// had failed. Returns false, changing nothing, when <see cref="CanRetry"/> is false.
    /// </summary>
    public bool Retry(DateTime now)
    {
        if (!CanRetry)
        {
            return false;
        }

        State = DeliveryState.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        LockedUntil = null;
        return true;
    }
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
