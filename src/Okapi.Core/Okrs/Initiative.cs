namespace Okapi.Core.Okrs;

public enum InitiativeState
{
    Todo,
    Doing,
    Done,
}

/// <summary>An action that should move a key result; it does not change progress by itself.</summary>
public sealed class Initiative : Entity
{
    public required string Title { get; set; }
    public Guid ObjectiveId { get; set; }
    public Guid? KeyResultId { get; set; }
    public Guid? OwnerPersonId { get; set; }
    public InitiativeState State { get; set; } = InitiativeState.Todo;
    public DateOnly? DueDate { get; set; }
}

/// <summary>A Markdown comment on an objective or a key result, optionally a reply in a thread.</summary>
public sealed class Comment : Entity
{
    public Guid ObjectiveId { get; set; }
    public Guid? KeyResultId { get; set; }
    public Guid? ParentCommentId { get; set; }

    /// <summary>The check-in this comment discusses, if any (it then also names the check-in's key result).</summary>
    public Guid? CheckInId { get; set; }
    public Guid? AuthorId { get; set; }
    public required string Body { get; set; }

    /// <summary>The people @mentioned in the body, as resolved when it was written.</summary>
    public List<Guid> MentionedPersonIds { get; set; } = [];
}
