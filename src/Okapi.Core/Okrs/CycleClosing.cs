namespace Okapi.Core.Okrs;

/// <summary>
/// The close of a cycle for one team (or, with no team, for the company): who closed it and when. Its
/// <see cref="ClosedScore"/> rows are the immutable snapshot that the closed cycle's pages and reports show.
/// </summary>
public sealed class CycleClosing : IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    public Guid CycleId { get; set; }

    /// <summary>The team closed; null for the company close, which closes the cycle itself.</summary>
    public Guid? TeamId { get; set; }
    public DateTime ClosedAt { get; set; }
    public Guid? ClosedById { get; set; }
    public string? ClosedByName { get; set; }
}

/// <summary>
/// One objective (<see cref="KeyResultId"/> null) or key result as it stood when its cycle closed. Titles and
/// owners are copied, not referenced, so that the snapshot stays what it was whatever happens later.
/// </summary>
public sealed class ClosedScore : IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    public Guid ClosingId { get; set; }
    public Guid CycleId { get; set; }
    public Guid ObjectiveId { get; set; }
    public Guid? KeyResultId { get; set; }

    /// <summary>Order within the snapshot, for stable display.</summary>
    public int Position { get; set; }
    public required string Title { get; set; }
    public Guid? OwnerTeamId { get; set; }
    public Guid? OwnerPersonId { get; set; }
    public string? OwnerName { get; set; }
    public double Weight { get; set; } = 1;

    /// <summary>Progress in [0, 1] at the close.</summary>
    public double Progress { get; set; }

    /// <summary>The grade given: the progress's grade, or an override.</summary>
    public double Grade { get; set; }

    /// <summary>The reason of an overridden grade; null when the grade is the progress's.</summary>
    public string? OverrideReason { get; set; }

    /// <summary>Key results: values at the close.</summary>
    public KeyResultType? Type { get; set; }
    public string? Unit { get; set; }
    public double? Start { get; set; }
    public double? Target { get; set; }
    public double? Current { get; set; }

    /// <summary>Objectives: the retrospective note written at the close.</summary>
    public string? Retrospective { get; set; }
}
