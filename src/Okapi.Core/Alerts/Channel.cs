namespace Okapi.Core.Alerts;

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

    /// <summary>
    /// A generic webhook's signing secret, encrypted with the app's data-protection keys; null for other kinds and for
    /// webhooks made before signing existed, which are sent unsigned until an admin rotates the secret.
    /// </summary>
    public string? ProtectedSecret { get; set; }
    public const int MaxProtectedSecretLength = 1000;
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
