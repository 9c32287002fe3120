namespace Okapi.Core;

/// <summary>A row that belongs to one organisation (the tenant).</summary>
public interface IOrganisationOwned
{
    Guid OrganisationId { get; set; }
}

/// <summary>A row whose writes are guarded by an ETag built from <see cref="Version"/>.</summary>
public interface IVersioned
{
    int Version { get; set; }
}

/// <summary>Base of the tenant-owned, versioned entities that the API edits.</summary>
public abstract class Entity : IOrganisationOwned, IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    public int Version { get; set; } = 1;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
