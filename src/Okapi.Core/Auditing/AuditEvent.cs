namespace Okapi.Core.Auditing;

/// <summary>What a recorded change did to its record: `create`, `update` or `delete`.</summary>
public enum AuditAction
{
    Create,
    Update,
    Delete,
}

/// <summary>One recorded change: who changed what, when, and which fields (before and after).</summary>
public sealed class AuditEvent : IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    public DateTime At { get; set; }
    public Guid? ActorId { get; set; }
    public string? ActorName { get; set; }
    public required string EntityType { get; set; }
    public Guid EntityId { get; set; }
    public AuditAction Action { get; set; }

    /// <summary>JSON object: field name → { "before": …, "after": … }.</summary>
    public string Changes { get; set; } = "{}";

    /// <summary>Why the change was made, where the actor said so (e.g. a grade override).</summary>
    public string? Reason { get; set; }
}
