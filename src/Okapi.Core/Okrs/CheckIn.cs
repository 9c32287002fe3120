namespace Okapi.Core.Okrs;

public enum Confidence
{
    OnTrack,
    AtRisk,
    OffTrack,
}

public enum CheckInSource
{
    Person,
    Kpi,
    Api,
    Import,
}

/// <summary>One update of a key result's value.</summary>
public sealed class CheckIn : IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    public Guid KeyResultId { get; set; }
    public double Value { get; set; }
    public Confidence? Confidence { get; set; }
    public string? Note { get; set; }
    public Guid? AuthorId { get; set; }
    public DateTime At { get; set; }
    public CheckInSource Source { get; set; } = CheckInSource.Person;
}
