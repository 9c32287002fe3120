using System.ComponentModel.DataAnnotations;
using Okapi.Core.Okrs;
using Okapi.Core.Scoring;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

/// <summary>The key result's projected progress at the cycle's end, with an uncertainty band.</summary>
/// <param name="Value">The projected progress at the cycle's end, 0 to 1.</param>
/// <param name="Low">The low end of the band.</param>
/// <param name="High">The high end of the band.</param>
/// <param name="Method">`trend` (a robust line through three or more check-ins), `pace` (fewer check-ins: progress over the expected pace) or `final` (the cycle has not started or has ended: the progress itself).</param>
public sealed record ForecastDto(double Value, double Low, double High, ForecastMethod Method)
{
    public static ForecastDto From(Forecast f) => new(f.Value, f.Low, f.High, f.Method);
}

/// <summary>A key result with what is computed about it now.</summary>
/// <param name="Id">The key result's id.</param>
/// <param name="ObjectiveId">The objective it belongs to.</param>
/// <param name="Title">The measurable outcome.</param>
/// <param name="OwnerPersonId">The person who answers for it.</param>
/// <param name="Type">How progress is measured: `increaseTo`, `decreaseTo`, `stayAbove`, `stayBelow`, `milestone` or `commitTargetStretch`.</param>
/// <param name="Unit">The unit of its values, if any.</param>
/// <param name="Start">The value progress is measured from.</param>
/// <param name="Target">The value that means full progress.</param>
/// <param name="Commit">The committed value of a commit-target-stretch key result; null for other types.</param>
/// <param name="Stretch">The stretch value of a commit-target-stretch key result; null for other types.</param>
/// <param name="Current">The value of its newest check-in, or the start before any.</param>
/// <param name="Weight">How much it counts in its objective's progress.</param>
/// <param name="UpdateRhythmDays">How often, in days, a check-in is expected.</param>
/// <param name="Checklist">A milestone's items and whether each is done.</param>
/// <param name="Position">Its place among its objective's key results, 0 first.</param>
/// <param name="Progress">Progress of the current value, 0 to 1.</param>
/// <param name="Attainment">How much of the way from start to target is covered, not capped (1.2 is 120 %).</param>
/// <param name="ExpectedPace">The share of the cycle that has passed, 0 to 1: the progress expected by now.</param>
/// <param name="Forecast">The projected progress at the cycle's end.</param>
/// <param name="Status">From the forecast: `onTrack` (0.7 or more), `atRisk` (0.4 or more) or `offTrack`; null before the cycle starts.</param>
/// <param name="Stale">Whether no check-in arrived within the update rhythm while the cycle runs.</param>
/// <param name="Grade">The grade given at the close, or else the progress rounded to one decimal.</param>
/// <param name="GradeColour">The grade's band: `red` (0.0 to 0.3), `yellow` (0.4 to 0.6) or `green` (0.7 to 1.0).</param>
/// <param name="LastConfidence">The confidence of the newest check-in that gave one.</param>
/// <param name="ConfidenceDisagrees">Whether that confidence says on track while the status says off track, or the other way round.</param>
/// <param name="ShareSatisfied">Stay-above and stay-below key results: the share of check-ins that met the target; null otherwise or without check-ins.</param>
/// <param name="LastCheckInAt">When the newest check-in was dated; null without check-ins.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="CanCheckIn">Whether the caller may check in on and edit this key result.</param>
/// <param name="KpiId">The KPI it follows, whose new values become check-ins; null when none.</param>
/// <param name="Initiatives">Its initiatives, when fetched by id; absent from lists.</param>
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

/// <summary>An alignment link: the objective contributes to a parent objective or to a parent key result.</summary>
/// <param name="Id">The link's id.</param>
/// <param name="ParentObjectiveId">The parent objective; null when the parent is a key result.</param>
/// <param name="ParentKeyResultId">The parent key result; null when the parent is an objective.</param>
/// <param name="Weight">How much the child counts in the parent's rollup.</param>
/// <param name="RollsUp">Whether the child's progress counts in the parent's progress.</param>
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
/// <param name="Id">The objective's id.</param>
/// <param name="CycleId">The cycle it belongs to.</param>
/// <param name="Title">What it sets out to achieve.</param>
/// <param name="Description">Why it matters, in Markdown.</param>
/// <param name="OwnerTeamId">The team that owns it, if any.</param>
/// <param name="OwnerPersonId">The person who owns it, if any.</param>
/// <param name="State">`draft`, `inReview`, `active` or `closed`.</param>
/// <param name="Visibility">`public` (everyone in the organisation) or `private` (its owners and admins).</param>
/// <param name="Tags">Its free tags.</param>
/// <param name="ContinuedFromId">The objective it continues, when it was carried over from an earlier cycle.</param>
/// <param name="Progress">Progress, 0 to 1: the weighted mean of its key results, or without any, of the children that roll up into it; for a closed objective, as it stood at the close.</param>
/// <param name="Forecast">The projected progress at the cycle's end, 0 to 1, weighted as the progress is.</param>
/// <param name="Status">From the forecast: `onTrack` (0.7 or more), `atRisk` (0.4 or more) or `offTrack`; null before the cycle starts.</param>
/// <param name="Grade">The grade, 0 to 1 in steps of 0.1: given at the close, or the progress rounded.</param>
/// <param name="GradeColour">The grade's band: `red`, `yellow` or `green`.</param>
/// <param name="Parents">The objective's alignment links to its parents.</param>
/// <param name="KeyResults">Its key results, in their order.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="CanEdit">Whether the caller may edit the objective.</param>
/// <param name="Review">Its newest review, if it was ever sent for review.</param>
/// <param name="Retrospective">The retrospective note kept at the close, if any.</param>
/// <param name="Initiatives">Its initiatives, when fetched by id; absent from lists.</param>
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

/// <summary>
/// An objective to create or replace. Without an owner, the creator becomes its owner person; members may only give
/// objectives to themselves or to their own teams. The cycle (or the owner team's part of it) must not be closed.
/// </summary>
/// <param name="Title">What the objective sets out to achieve; required, at most 200 characters.</param>
/// <param name="Description">Why it matters and what it covers, in Markdown; at most 20,000 characters.</param>
/// <param name="CycleId">The cycle the objective belongs to; it must exist.</param>
/// <param name="OwnerTeamId">The team that owns the objective; it must exist. A team-owned objective created without an owner person gets none.</param>
/// <param name="OwnerPersonId">The person who owns the objective; it must exist. Left out together with the team on create, the creator is the owner.</param>
/// <param name="State">
/// `draft`, `active` or `closed`; left out, a new objective is `active` and a replaced one keeps its state. `inReview`
/// is refused: a draft goes into review by a review request, and while a review is pending the state cannot change.
/// </param>
/// <param name="Visibility">Who may see the objective: `public`, everyone in the organisation; `private`, its owner person, its owner team's members and admins. Left out, `public` on create and unchanged on a replace.</param>
/// <param name="Tags">Free tags, e.g. an AARRR stage: at most 20, each at most 40 characters; blanks are dropped, duplicates kept once. Left out, none.</param>
public sealed record ObjectiveRequest(
    [property: Required, StringLength(Objective.MaxTitleLength)] string Title,
    [property: StringLength(Objective.MaxDescriptionLength)] string? Description,
    Guid CycleId,
    Guid? OwnerTeamId,
    Guid? OwnerPersonId,
    ObjectiveState? State,
    Visibility? Visibility,
    List<string>? Tags);

/// <summary>
/// Aligns the objective to a parent: give exactly one of `parentObjectiveId` and `parentKeyResultId`. A link that
/// would close a loop, or that already exists, is refused, and neither objective may be closed.
/// </summary>
/// <param name="ParentObjectiveId">The objective this one contributes to; one the caller may see.</param>
/// <param name="ParentKeyResultId">The key result this one contributes to; one whose objective the caller may see.</param>
/// <param name="Weight">How much the child counts in the parent's rollup, against its other children; greater than 0 and at most 1000, 1 by default.</param>
/// <param name="RollsUp">Whether the child's progress counts in the parent's progress (a parent without key results of its own); true by default.</param>
public sealed record AlignmentLinkRequest(Guid? ParentObjectiveId, Guid? ParentKeyResultId, [property: Range(0.0001, 1000)] double? Weight, bool? RollsUp);

/// <summary>Where to move a key result among its objective's key results: 0 is first; past the end is last.</summary>
/// <param name="Position">Required: the new position, 0 or more.</param>
public sealed record KeyResultMove([property: Required, Range(0, int.MaxValue)] int? Position);

/// <summary>
/// A key result to create or replace. The meaning of `start`, `target`, `commit` and `stretch` depends on `type`; a
/// replace sends every field, and one left out takes its default (a missing `start` keeps or takes the current one only
/// as described below).
/// </summary>
/// <param name="ObjectiveId">The objective the key result belongs to; the caller must be allowed to edit it, and it must not be closed.</param>
/// <param name="Title">The measurable outcome; required, at most 200 characters.</param>
/// <param name="OwnerPersonId">The person who answers for it; it must exist. Left out on create, the creator.</param>
/// <param name="Type">
/// Required. `increaseTo` (target greater than start), `decreaseTo` (target less than start), `stayAbove` or
/// `stayBelow` (the value must stay at or beyond the target), `milestone` (done or not, or its checklist's share done),
/// `commitTargetStretch` (start, commit, target and stretch strictly increasing or strictly decreasing).
/// </param>
/// <param name="Unit">The unit of its values, shown beside them, e.g. `%`; at most 40 characters.</param>
/// <param name="Start">
/// The value progress is measured from; a finite number. Required unless the key result follows a KPI (`kpiId`):
/// then it defaults to the KPI's value at the cycle's start, and is refused as missing if the KPI had none.
/// </param>
/// <param name="Target">Required: the value that means full progress; a finite number, on the side of `start` that `type` asks for.</param>
/// <param name="Commit">Commit-target-stretch only, and required there: the value the owner commits to, between start and target.</param>
/// <param name="Stretch">Commit-target-stretch only, and required there: the ambitious value beyond the target.</param>
/// <param name="Weight">How much the key result counts in its objective's progress, against the others; greater than 0 and at most 1000, 1 by default.</param>
/// <param name="UpdateRhythmDays">How often, in days, a check-in is expected before the key result counts as stale and its owner is reminded; 1 to 92, 7 by default.</param>
/// <param name="Checklist">A milestone's items, each a title (at most 200 characters) and whether it is done; at most 100. Empty by default.</param>
/// <param name="KpiId">A KPI the key result follows: its new values become check-ins. It must exist and be visible to the caller. Left out, none.</param>
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

/// <summary>A check-in: the key result's value now (or at `at`), with how confident its owner is.</summary>
/// <param name="Value">Required: the key result's value, in its unit; a finite number. For a milestone without a checklist, 1 is done and 0 not done.</param>
/// <param name="Confidence">How likely the key result is to be met: `onTrack`, `atRisk` or `offTrack`; optional.</param>
/// <param name="Note">What happened and what comes next, in Markdown; at most 10,000 characters.</param>
/// <param name="At">
/// When the value was true, as an ISO 8601 instant (UTC without an offset); now by default. At most 5 minutes ahead of
/// the server's clock and not before the year 2000. A check-in older than the newest one fills in history without
/// changing the current value.
/// </param>
public sealed record CheckInRequest([property: Required] double? Value, Confidence? Confidence, [property: StringLength(CheckIn.MaxNoteLength)] string? Note, DateTimeOffset? At);

/// <summary>A check-in: a key result's value at an instant, with its author's confidence and note.</summary>
/// <param name="Id">The check-in's id.</param>
/// <param name="KeyResultId">The key result checked in on.</param>
/// <param name="Value">The value, in the key result's unit.</param>
/// <param name="Confidence">`onTrack`, `atRisk` or `offTrack`, if given.</param>
/// <param name="Note">The note in Markdown, if any.</param>
/// <param name="AuthorId">The person who made it; null for one made from a KPI.</param>
/// <param name="At">The instant the value is for (UTC).</param>
/// <param name="Source">Where it came from: `person` (the app), `api` (a token), `kpi` (a followed KPI's value) or `import`.</param>
public sealed record CheckInDto(Guid Id, Guid KeyResultId, double Value, Confidence? Confidence, string? Note, Guid? AuthorId, DateTime At, CheckInSource Source)
{
    public static CheckInDto From(CheckIn c) => new(c.Id, c.KeyResultId, c.Value, c.Confidence, c.Note, c.AuthorId, c.At, c.Source);
}

/// <summary>An initiative to create or replace: an action meant to move an objective or one of its key results; it does not change progress itself.</summary>
/// <param name="ObjectiveId">The objective it serves; the caller must be allowed to edit it. A replace cannot move it to another objective.</param>
/// <param name="KeyResultId">The key result it serves, which must belong to the objective; left out, the objective as a whole.</param>
/// <param name="Title">What is to be done; required, at most 200 characters.</param>
/// <param name="OwnerPersonId">The person who does it; it must exist. Optional.</param>
/// <param name="State">`todo`, `doing` or `done`; left out, `todo` on create and unchanged on a replace.</param>
/// <param name="DueDate">The date it is due, as `yyyy-MM-dd`; optional.</param>
public sealed record InitiativeRequest(
    Guid ObjectiveId, Guid? KeyResultId, [property: Required, StringLength(Initiative.MaxTitleLength)] string Title, Guid? OwnerPersonId,
    InitiativeState? State, DateOnly? DueDate);

/// <summary>An initiative: an action meant to move an objective or one of its key results.</summary>
/// <param name="Id">The initiative's id.</param>
/// <param name="ObjectiveId">The objective it serves.</param>
/// <param name="KeyResultId">The key result it serves; null for the objective as a whole.</param>
/// <param name="Title">What is to be done.</param>
/// <param name="OwnerPersonId">The person who does it, if any.</param>
/// <param name="State">`todo`, `doing` or `done`.</param>
/// <param name="DueDate">The date it is due, if any.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record InitiativeDto(Guid Id, Guid ObjectiveId, Guid? KeyResultId, string Title, Guid? OwnerPersonId, InitiativeState State, DateOnly? DueDate, int Version, DateTime CreatedAt, DateTime UpdatedAt) : IHasVersion
{
    public static InitiativeDto From(Initiative i) => new(i.Id, i.ObjectiveId, i.KeyResultId, i.Title, i.OwnerPersonId, i.State, i.DueDate, i.Version, i.CreatedAt, i.UpdatedAt);
}

/// <summary>
/// A comment on an objective, one of its key results or one of their check-ins; a reply names its parent.
/// Mention people in the body as <c>@[Name](person:id)</c> or <c>@name@example.com</c>: each newly mentioned person who
/// may see the objective is notified.
/// </summary>
/// <param name="ObjectiveId">The objective commented on; one the caller may see. Viewers cannot comment.</param>
/// <param name="KeyResultId">The key result of that objective the comment is about; left out, the objective itself.</param>
/// <param name="ParentCommentId">The comment on the same objective this one replies to; left out, it starts a thread.</param>
/// <param name="Body">The comment in Markdown, with mentions as above; required, at most 20,000 characters.</param>
/// <param name="CheckInId">The check-in the comment is about, on this objective (and on `keyResultId` if given); the comment is then also about its key result. Optional.</param>
public sealed record CommentRequest(Guid ObjectiveId, Guid? KeyResultId, Guid? ParentCommentId, [property: Required, StringLength(Comment.MaxBodyLength)] string Body, Guid? CheckInId = null);

/// <summary>A comment's new body; people newly mentioned in it are notified.</summary>
/// <param name="Body">The comment in Markdown; required, at most 20,000 characters.</param>
public sealed record CommentUpdateRequest([property: Required, StringLength(Comment.MaxBodyLength)] string Body);

/// <summary>A comment; <c>parentCommentId</c> makes threads, <c>mentionedPersonIds</c> are the people its body @mentions.</summary>
/// <param name="Id">The comment's id.</param>
/// <param name="ObjectiveId">The objective it is on.</param>
/// <param name="KeyResultId">The key result it is about, if any.</param>
/// <param name="ParentCommentId">The comment it replies to; null when it starts a thread.</param>
/// <param name="AuthorId">The person who wrote it.</param>
/// <param name="Body">The comment as written, in Markdown.</param>
/// <param name="BodyHtml">The body rendered to safe HTML, mentions as links.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="CheckInId">The check-in it is about, if any.</param>
/// <param name="MentionedPersonIds">The people its body mentions.</param>
public sealed record CommentDto(Guid Id, Guid ObjectiveId, Guid? KeyResultId, Guid? ParentCommentId, Guid? AuthorId, string Body, string BodyHtml, int Version, DateTime CreatedAt, DateTime UpdatedAt,
    Guid? CheckInId = null, IReadOnlyList<Guid>? MentionedPersonIds = null) : IHasVersion;

/// <summary>An alignment link: a child objective contributing to a parent objective, or to one of its key results.</summary>
/// <param name="ChildObjectiveId">The contributing objective.</param>
/// <param name="ParentObjectiveId">The objective it contributes to.</param>
/// <param name="ParentKeyResultId">The parent's key result it contributes to, if aligned to one.</param>
/// <param name="Weight">How much the child counts in the parent's rollup.</param>
/// <param name="RollsUp">Whether the child's progress counts in the parent's progress.</param>
public sealed record AlignmentEdgeDto(Guid ChildObjectiveId, Guid ParentObjectiveId, Guid? ParentKeyResultId, double Weight, bool RollsUp);

/// <summary>
/// Part of a cycle's alignment: objectives and the links between them. <c>roots</c> are where the tree starts (the
/// top's roots, or the objective asked for); <c>childCounts</c> says for every objective how many objectives the caller
/// may see are aligned to it or to one of its key results, loaded or not. <c>unaligned</c> is one page of the objectives
/// outside the company level that are aligned to nothing (among <c>objectives</c>), <c>unalignedTotal</c> how many there are.
/// </summary>
/// <param name="Objectives">The objectives loaded.</param>
/// <param name="Links">The links between them.</param>
/// <param name="Unaligned">One page of the ids of objectives outside the company level aligned to nothing.</param>
/// <param name="Roots">Where the tree starts: the top's roots, or the objective asked for.</param>
/// <param name="ChildCounts">For every objective's id, how many objectives the caller may see are aligned to it or to one of its key results, loaded or not.</param>
/// <param name="UnalignedTotal">How many unaligned objectives there are in all.</param>
public sealed record AlignmentDto(
    IReadOnlyList<ObjectiveDto> Objectives, IReadOnlyList<AlignmentEdgeDto> Links, IReadOnlyList<Guid> Unaligned,
    IReadOnlyList<Guid> Roots, IReadOnlyDictionary<Guid, int> ChildCounts, int UnalignedTotal);

/// <summary>
/// A review of a draft objective and its answer: who was asked, by whom and when, and who answered when with which
/// note. <c>canAnswer</c> and <c>canWithdraw</c> say what the caller may do with it.
/// </summary>
/// <param name="Id">The review's id.</param>
/// <param name="ObjectiveId">The objective under review.</param>
/// <param name="ObjectiveTitle">That objective's title.</param>
/// <param name="ReviewerId">The person asked to review.</param>
/// <param name="RequestedById">The person who asked.</param>
/// <param name="RequestedAt">When it was asked for (UTC).</param>
/// <param name="State">`requested`, `acknowledged` (the objective became active), `changesRequested` (back to draft) or `withdrawn`.</param>
/// <param name="Message">The requester's message, in Markdown.</param>
/// <param name="Note">The reviewer's note, in Markdown.</param>
/// <param name="AnsweredAt">When it was answered or withdrawn (UTC); null while requested.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="CanAnswer">Whether the caller may acknowledge it or request changes now.</param>
/// <param name="CanWithdraw">Whether the caller may withdraw it now.</param>
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
