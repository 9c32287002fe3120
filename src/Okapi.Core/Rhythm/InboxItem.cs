namespace Okapi.Core.Rhythm;

/// <summary>What an inbox item asks: `checkInDue`, `mention`, `alert` or `reviewRequest`.</summary>
public enum InboxItemKind
{
    CheckInDue,
    Mention,
    Alert,
    ReviewRequest,
}

/// <summary>An inbox item's state: `open`, `done` or `dismissed`.</summary>
public enum InboxItemState
{
    Open,
    Done,
    Dismissed,
}

/// <summary>Something one person must do now: a check-in due, a mention, an alert on their KPI, a review asked of them.</summary>
public sealed class InboxItem : IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    public Guid PersonId { get; set; }
    public InboxItemKind Kind { get; set; }

    /// <summary>What the item is about: the key result, comment, alert or review.</summary>
    public Guid SubjectId { get; set; }
    public required string Title { get; set; }
    public string? Body { get; set; }

    /// <summary>A path in the web app, e.g. /objectives/{id}.</summary>
    public string? Link { get; set; }
    public InboxItemState State { get; set; } = InboxItemState.Open;
    public DateTime CreatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
}
