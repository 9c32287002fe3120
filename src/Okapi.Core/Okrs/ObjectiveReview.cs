namespace Okapi.Core.Okrs;

/// <summary>A review's state: `requested`, `acknowledged` (the objective became active), `changesRequested` (sent back to draft with a note) or `withdrawn` (taken back before an answer).</summary>
public enum ReviewState
{
    Requested,

    /// <summary>The reviewer acknowledged the objective; it became active.</summary>
    Acknowledged,

    /// <summary>The reviewer sent it back to draft with a note.</summary>
    ChangesRequested,

    /// <summary>The author took it back before an answer.</summary>
    Withdrawn,
}

/// <summary>A draft objective sent to a team lead for review, and the reviewer's answer.</summary>
public sealed class ObjectiveReview : Entity
{
    public Guid ObjectiveId { get; set; }
    public Guid ReviewerId { get; set; }
    public Guid? RequestedById { get; set; }
    public DateTime RequestedAt { get; set; }
    public ReviewState State { get; set; } = ReviewState.Requested;

    /// <summary>The request's message, then the reviewer's note (Markdown).</summary>
    public string? Message { get; set; }
    public string? Note { get; set; }
    public DateTime? AnsweredAt { get; set; }
}
