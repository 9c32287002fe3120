using Okapi.Core.Kpis;

namespace Okapi.Core.Okrs;

/// <summary>The author's confidence that the key result will be met: `onTrack`, `atRisk` or `offTrack`.</summary>
public enum Confidence
{
    OnTrack,
    AtRisk,
    OffTrack,
}

/// <summary>Where a check-in came from: `person`, `kpi` (its linked KPI's value), `api` or `import`.</summary>
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

    /// <summary>As much as the column holds, so that every stored note survives an export and a re-import.</summary>
    public const int MaxNoteLength = 10_000;

    /// <summary>How far ahead of the server's clock a check-in may be dated: clocks of clients drift.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How far ahead of the server's clock this check-in may be dated. One from a KPI carries the instant of the KPI's
    /// newest value, which may be as far ahead as a KPI value may be; others only the drift of a client's clock.
    /// </summary>
    public TimeSpan MaxAhead => Source == CheckInSource.Kpi ? KpiValue.MaxAhead : ClockSkew;

    /// <summary>The rules a check-in must satisfy at <paramref name="now"/>, for the API, the KPI follower and the importer.</summary>
    public ValidationErrors Validate(DateTime now) => new ValidationErrors()
        .Finite(Value, "value")
        .Text(Note, "note", MaxNoteLength, required: false)
        .Require(At <= now + MaxAhead, "at", "A check-in cannot be in the future.")
        .Require(At.Year >= 2000, "at", "A check-in must be after the year 2000.")
        .Require(Confidence is null || Enum.IsDefined(Confidence.Value), "confidence", "must be onTrack, atRisk or offTrack.")
        .Require(Enum.IsDefined(Source), "source", "must be person, kpi, api or import.");
}
