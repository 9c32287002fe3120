namespace Okapi.Core.Organisations;

/// <summary>An organisational unit in a tree; the company is the root.</summary>
public sealed class Team : Entity
{
    public required string Name { get; set; }
    public Guid? ParentTeamId { get; set; }
    public string? Mission { get; set; }

    /// <summary>Stable key in exported documents, unique in the organisation; null until exported or imported.</summary>
    public string? Key { get; set; }
    public List<TeamMembership> Members { get; set; } = [];
}

/// <summary>A person in a team; a person may belong to several teams and lead some of them.</summary>
public sealed class TeamMembership : IOrganisationOwned
{
    public Guid OrganisationId { get; set; }
    public Guid TeamId { get; set; }
    public Guid PersonId { get; set; }
    public bool IsLead { get; set; }
}
