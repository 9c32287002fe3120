namespace Okapi.Core.Alerts;

/// <summary>Where a channel sends: `inApp` (a notification in Okapi), `email`, `webhook` (a generic JSON POST), `slack` or `teams` (their incoming-webhook payloads).</summary>
public enum ChannelKind
{
    /// <summary>A notification in Okapi for the KPI's owner (the person, or the owner team's members).</summary>
    InApp,

    /// <summary>An email over SMTP to the addresses in <see cref="Channel.Target"/>.</summary>
    Email,

    /// <summary>A generic JSON POST to the URL in <see cref="Channel.Target"/>.</summary>
    Webhook,

    /// <summary>A Slack-compatible incoming-webhook payload.</summary>
    Slack,

    /// <summary>A Microsoft Teams-compatible webhook payload.</summary>
    Teams,
}

/// <summary>What a generic webhook's body looks like.</summary>
public enum WebhookBodyFormat
{
    /// <summary>Okapi's own JSON: the notification as it was queued.</summary>
    Okapi,

    /// <summary>The body Alertmanager's webhook_config sends, for receivers made for Alertmanager; alerts only.</summary>
    Alertmanager,
}

/// <summary>Where notifications go.</summary>
public sealed class Channel : Entity
{
    public const int MaxNameLength = 100;
    public const int MaxTargetLength = 2000;

    public required string Name { get; set; }
    public ChannelKind Kind { get; set; }

    /// <summary>Email: comma-separated addresses; webhook kinds: the URL; in-app: unused.</summary>
    public string? Target { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>The kinds of notification it hears (<see cref="ChannelSubscription.Hears"/>).</summary>
    public List<ChannelEvent> Events { get; set; } = [.. ChannelSubscription.Default];

    /// <summary>The teams whose events it hears; empty for every team's.</summary>
    public List<Guid> TeamIds { get; set; } = [];

    /// <summary>
    /// A generic webhook's signing secret, encrypted with the app's data-protection keys; null for other kinds and for
    /// webhooks made before signing existed, which are sent unsigned until an admin rotates the secret.
    /// </summary>
    public string? ProtectedSecret { get; set; }
    public const int MaxProtectedSecretLength = 1000;

    /// <summary>A generic webhook's body; other kinds have their own shape and keep <see cref="WebhookBodyFormat.Okapi"/>.</summary>
    public WebhookBodyFormat BodyFormat { get; set; } = WebhookBodyFormat.Okapi;

    /// <summary>
    /// Whether notifications of <paramref name="notification"/> go to this channel: an Alertmanager-format webhook takes
    /// what Alertmanager sends, alerts firing (again) and resolved, and the channel's test; its receiver would refuse
    /// anything else.
    /// </summary>
    public bool Takes(NotificationEvent notification) =>
        BodyFormat != WebhookBodyFormat.Alertmanager
        || notification is NotificationEvent.AlertFiring or NotificationEvent.AlertRepeat or NotificationEvent.AlertResolved or NotificationEvent.Test;
}

/// <summary>A host (with optional port) that an admin allows outbound calls to although it is loopback or private.</summary>
public sealed class AllowedHost : IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }

    /// <summary>"host" or "host:port", lowercase, e.g. "127.0.0.1:9093" or "alertmanager.internal".</summary>
    public required string Host { get; set; }
    public DateTime CreatedAt { get; set; }
}
