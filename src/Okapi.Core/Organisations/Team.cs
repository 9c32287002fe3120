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

    public const int MaxNameLength = 200;
    public const int MaxMissionLength = 4000;

    /// <summary>The rules a team must satisfy, for the API, the pages and the importer; its parent and members need the database.</summary>
    public ValidationErrors Validate() => new ValidationErrors()
        .Text(Name, "name", MaxNameLength)
        .Text(Mission, "mission", MaxMissionLength, required: false);
}

/// <summary>A person in a team; a person may belong to several teams and lead some of them.</summary>
public sealed class TeamMembership : IOrganisationOwned
{
    public Guid OrganisationId { get; set; }
    public Guid TeamId { get; set; }
    public Guid PersonId { get; set; }
    public bool IsLead { get; set; }
}
