namespace Okapi.Core.Okrs;

/// <summary>An initiative's state: `todo`, `doing` or `done`.</summary>
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

    public const int MaxTitleLength = 200;

    /// <summary>The rules an initiative must satisfy; its key result and owner need the database.</summary>
    public ValidationErrors Validate() => new ValidationErrors()
        .Text(Title, "title", MaxTitleLength)
        .Require(Enum.IsDefined(State), "state", "must be todo, doing or done.");
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

    public const int MaxBodyLength = 20_000;

    /// <summary>The rules a comment must satisfy; what it refers to needs the database.</summary>
    public ValidationErrors Validate() => new ValidationErrors().Text(Body, "body", MaxBodyLength);
}
