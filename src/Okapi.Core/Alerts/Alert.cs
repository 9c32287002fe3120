namespace Okapi.Core.Alerts;

/// <summary>An alert's state: `pending` (its condition holds, not yet long enough), `firing` or `resolved`.</summary>
public enum AlertState
{
    Pending,
    Firing,
    Resolved,
}

/// <summary>
/// One incident of a rule: pending while the condition holds for less than the rule's pending period, firing after,
/// resolved once the condition clears. A rule has at most one open (pending or firing) alert at a time.
/// </summary>
public sealed class Alert : IOrganisationOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    public int Version { get; set; } = 1;
    public Guid RuleId { get; set; }
    public Guid KpiId { get; set; }
    public AlertState State { get; set; } = AlertState.Pending;
    public AlertSeverity Severity { get; set; }

    /// <summary>When the condition was first seen (the alert became pending).</summary>
    public DateTime StartedAt { get; set; }
    public DateTime? FiredAt { get; set; }
    public DateTime? ResolvedAt { get; set; }

    /// <summary>The value that started the alert; null for a no-data alert.</summary>
    public double? ValueAtStart { get; set; }
    public double? LastValue { get; set; }

    /// <summary>What the condition is, in words, e.g. "Conversion rate 1.2 % is below the critical threshold 1.5 %".</summary>
    public string Summary { get; set; } = "";
    public Guid? AcknowledgedById { get; set; }
    public DateTime? AcknowledgedAt { get; set; }
    public string? AcknowledgementNote { get; set; }

    /// <summary>When a notification last went out for this alert, for the rule's repeat interval.</summary>
    public DateTime? LastNotifiedAt { get; set; }

    public bool IsOpen => State != AlertState.Resolved;
}
