using System.ComponentModel.DataAnnotations;
using Okapi.Core.Okrs;
using Okapi.Core.Scoring;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public sealed record ForecastDto(double Value, double Low, double High, ForecastMethod Method)
{
    public static ForecastDto From(Forecast f) => new(f.Value, f.Low, f.High, f.Method);
}

public sealed record KeyResultDto(
    Guid Id, Guid ObjectiveId, string Title, Guid? OwnerPersonId, KeyResultType Type, string? Unit,
    double Start, double Target, double? Commit, double? Stretch, double Current, double Weight, int UpdateRhythmDays,
    IReadOnlyList<ChecklistItem> Checklist, int Version, int Position,
    double Progress, double Attainment, double ExpectedPace, ForecastDto Forecast, OkrStatus? Status, bool Stale,
    double Grade, GradeColour GradeColour, Confidence? LastConfidence, bool ConfidenceDisagrees, double? ShareSatisfied,
    DateTimeOffset? LastCheckInAt, DateTime CreatedAt, DateTime UpdatedAt,
    bool CanCheckIn, Guid? KpiId = null, IReadOnlyList<InitiativeDto>? Initiatives = null) : IHasVersion
{
    /// <param name="canCheckIn">Whether the caller may check in on and edit this key result.</param>
    public static KeyResultDto From(KeyResult k, KeyResultScore s, bool canCheckIn) => new(
        k.Id, k.ObjectiveId, k.Title, k.OwnerPersonId, k.Type, k.Unit, k.Start, k.Target, k.Commit, k.Stretch,
        k.CurrentValue, k.Weight, k.UpdateRhythmDays, k.Checklist, k.Version, k.Position,
        s.Progress, s.Attainment, s.ExpectedPace, ForecastDto.From(s.Forecast), s.Status, s.Stale,
        s.Grade, s.GradeColour, s.LastConfidence, s.ConfidenceDisagrees, s.ShareSatisfied, s.LastCheckInAt,
        k.CreatedAt, k.UpdatedAt, canCheckIn, k.KpiId);

    /// <summary>The request that saves the key result as it is, for a change of one part (its checklist) made with <c>with</c>.</summary>
    public KeyResultRequest ToRequest() =>
        new(ObjectiveId, Title, OwnerPersonId, Type, Unit, Start, Target, Commit, Stretch, Weight, UpdateRhythmDays, [.. Checklist], KpiId);
}

public sealed record AlignmentLinkDto(Guid Id, Guid? ParentObjectiveId, Guid? ParentKeyResultId, double Weight, bool RollsUp)
{
    public static AlignmentLinkDto From(ObjectiveLink l) => new(l.Id, l.ParentObjectiveId, l.ParentKeyResultId, l.Weight, l.RollsUp);
}

/// <summary>One alignment link of an objective and what it points at: an objective, or a key result (<c>KeyResultTitle</c>) of it.</summary>
public sealed record AlignedParent(AlignmentLinkDto Link, Guid ParentObjectiveId, string ObjectiveTitle, string? KeyResultTitle);

/// <summary>
/// An objective with its computed fields; <c>review</c> is its newest review (pending, or answered: who acknowledged it when, with which note).
/// <c>initiatives</c> come with an objective or key result fetched by id, and are absent from lists.
/// </summary>
public sealed record ObjectiveDto(
    Guid Id, Guid CycleId, string Title, string? Description, Guid? OwnerTeamId, Guid? OwnerPersonId,
    ObjectiveState State, Visibility Visibility, IReadOnlyList<string> Tags, Guid? ContinuedFromId, int Version,
    double Progress, double Forecast, OkrStatus? Status, double Grade, GradeColour GradeColour,
    IReadOnlyList<AlignmentLinkDto> Parents, IReadOnlyList<KeyResultDto> KeyResults,
    DateTime CreatedAt, DateTime UpdatedAt,
    bool CanEdit, ReviewDto? Review = null, string? Retrospective = null, IReadOnlyList<InitiativeDto>? Initiatives = null) : IHasVersion
{
    /// <summary>When the objective was archived; null while it is in use.</summary>
    public DateTime? ArchivedAt { get; init; }

    /// <summary>Whether the caller may restore the archived objective now.</summary>
    public bool CanRestore { get; init; }
}

public sealed record ObjectiveRequest(
    [property: Required, StringLength(Objective.MaxTitleLength)] string Title,
    [property: StringLength(Objective.MaxDescriptionLength)] string? Description,
    Guid CycleId,
    Guid? OwnerTeamId,
    Guid? OwnerPersonId,
    ObjectiveState? State,
    Visibility? Visibility,
    List<string>? Tags);

public sealed record AlignmentLinkRequest(Guid? ParentObjectiveId, Guid? ParentKeyResultId, [property: Range(0.0001, 1000)] double? Weight, bool? RollsUp);

/// <summary>Where to move a key result among its objective's key results: 0 is first; past the end is last.</summary>
public sealed record KeyResultMove([property: Required, Range(0, int.MaxValue)] int? Position);

public sealed record KeyResultRequest(
    Guid ObjectiveId,
    [property: Required, StringLength(KeyResult.MaxTitleLength)] string Title,
    Guid? OwnerPersonId,
    [property: Required] KeyResultType? Type,
    [property: StringLength(KeyResult.MaxUnitLength)] string? Unit,
    double? Start,
    [property: Required] double? Target,
    double? Commit,
    double? Stretch,
    double? Weight,
    [property: Range(1, 92)] int? UpdateRhythmDays,
    List<ChecklistItem>? Checklist,
    Guid? KpiId = null);

public sealed record CheckInRequest([property: Required] double? Value, Confidence? Confidence, [property: StringLength(CheckIn.MaxNoteLength)] string? Note, DateTimeOffset? At);

public sealed record CheckInDto(Guid Id, Guid KeyResultId, double Value, Confidence? Confidence, string? Note, Guid? AuthorId, DateTime At, CheckInSource Source)
{
    public static CheckInDto From(CheckIn c) => new(c.Id, c.KeyResultId, c.Value, c.Confidence, c.Note, c.AuthorId, c.At, c.Source);
}

public sealed record InitiativeRequest(
    Guid ObjectiveId, Guid? KeyResultId, [property: Required, StringLength(Initiative.MaxTitleLength)] string Title, Guid? OwnerPersonId,
    InitiativeState? State, DateOnly? DueDate);

public sealed record InitiativeDto(Guid Id, Guid ObjectiveId, Guid? KeyResultId, string Title, Guid? OwnerPersonId, InitiativeState State, DateOnly? DueDate, int Version, DateTime CreatedAt, DateTime UpdatedAt) : IHasVersion
{
    public static InitiativeDto From(Initiative i) => new(i.Id, i.ObjectiveId, i.KeyResultId, i.Title, i.OwnerPersonId, i.State, i.DueDate, i.Version, i.CreatedAt, i.UpdatedAt);
}

/// <summary>
/// A comment on an objective, one of its key results or one of their check-ins; a reply names its parent.
/// Mention people in the body as <c>@[Name](person:id)</c> or <c>@name@example.com</c>: each newly mentioned person who
/// may see the objective is notified.
/// </summary>
public sealed record CommentRequest(Guid ObjectiveId, Guid? KeyResultId, Guid? ParentCommentId, [property: Required, StringLength(Comment.MaxBodyLength)] string Body, Guid? CheckInId = null);

public sealed record CommentUpdateRequest([property: Required, StringLength(Comment.MaxBodyLength)] string Body);

/// <summary>A comment; <c>parentCommentId</c> makes threads, <c>mentionedPersonIds</c> are the people its body @mentions.</summary>
public sealed record CommentDto(Guid Id, Guid ObjectiveId, Guid? KeyResultId, Guid? ParentCommentId, Guid? AuthorId, string Body, string BodyHtml, int Version, DateTime CreatedAt, DateTime UpdatedAt,
    Guid? CheckInId = null, IReadOnlyList<Guid>? MentionedPersonIds = null) : IHasVersion;

public sealed record AlignmentEdgeDto(Guid ChildObjectiveId, Guid ParentObjectiveId, Guid? ParentKeyResultId, double Weight, bool RollsUp);

/// <summary>
/// Part of a cycle's alignment: objectives and the links between them. <c>roots</c> are where the tree starts (the
/// top's roots, or the objective asked for); <c>childCounts</c> says for every objective how many objectives the caller
/// may see are aligned to it or to one of its key results, loaded or not. <c>unaligned</c> is one page of the objectives
/// outside the company level that are aligned to nothing (among <c>objectives</c>), <c>unalignedTotal</c> how many there are.
/// </summary>
public sealed record AlignmentDto(
    IReadOnlyList<ObjectiveDto> Objectives, IReadOnlyList<AlignmentEdgeDto> Links, IReadOnlyList<Guid> Unaligned,
    IReadOnlyList<Guid> Roots, IReadOnlyDictionary<Guid, int> ChildCounts, int UnalignedTotal);

/// <summary>
/// A review of a draft objective and its answer: who was asked, by whom and when, and who answered when with which
/// note. <c>canAnswer</c> and <c>canWithdraw</c> say what the caller may do with it.
/// </summary>
public sealed record ReviewDto(
    Guid Id, Guid ObjectiveId, string ObjectiveTitle, Guid ReviewerId, Guid? RequestedById, DateTime RequestedAt, ReviewState State,
    string? Message, string? Note, DateTime? AnsweredAt, int Version, bool CanAnswer, bool CanWithdraw) : IHasVersion
{
    public static ReviewDto From(ObjectiveReview r, string objectiveTitle, Caller caller)
    {
        var open = r.State == ReviewState.Requested && caller.CanWrite;
        return new(r.Id, r.ObjectiveId, objectiveTitle, r.ReviewerId, r.RequestedById, r.RequestedAt, r.State, r.Message, r.Note, r.AnsweredAt, r.Version,
            open && r.ReviewerId == caller.PersonId, open && (r.RequestedById == caller.PersonId || caller.IsAdmin));
    }
}
