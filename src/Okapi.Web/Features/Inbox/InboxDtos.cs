using System.ComponentModel.DataAnnotations;
using Okapi.Core.Okrs;
using Okapi.Core.Rhythm;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Inbox;

/// <summary>Something I must do: <c>subjectId</c> is the key result (check-in due), comment (mention), alert or review; <c>link</c> a page of the app.</summary>
public sealed record InboxItemDto(Guid Id, InboxItemKind Kind, Guid SubjectId, string Title, string? Body, string? Link, InboxItemState State, DateTime CreatedAt, DateTime? ResolvedAt)
{
    public static InboxItemDto From(InboxItem i) => new(i.Id, i.Kind, i.SubjectId, i.Title, i.Body, i.Link, i.State, i.CreatedAt, i.ResolvedAt);
}

/// <summary>How many open items of one kind I have.</summary>
public sealed record InboxCount(InboxItemKind Kind, int Open);

/// <summary>One page of my inbox, newest first, with my open items counted per kind (whatever the filter).</summary>
public sealed record InboxList(IReadOnlyList<InboxItemDto> Items, int PageNumber, int PageSize, int Total, int Open, IReadOnlyList<InboxCount> Counts);

/// <summary><c>state</c> is open unless given; <c>kind</c> is checkInDue, mention, alert or reviewRequest.</summary>
public sealed record InboxFilter(EnumQuery<InboxItemState>? State, EnumQuery<InboxItemKind>? Kind);

/// <summary>Send a draft objective to <c>reviewerId</c>: a lead of its owner team, of a team its owner person is in, or an admin.</summary>
public sealed record ReviewRequest(Guid ReviewerId, [property: StringLength(ReviewService.MaxTextLength)] string? Message);

/// <summary>The reviewer's note (Markdown); required when requesting changes.</summary>
public sealed record ReviewAnswerRequest([property: StringLength(ReviewService.MaxTextLength)] string? Note);

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

/// <summary><c>reviewer</c> is <c>me</c> or a person's id.</summary>
public sealed record ReviewFilter(string? Reviewer, Guid? Objective, EnumQuery<ReviewState>? State);

/// <summary>Someone who may review an objective.</summary>
public sealed record ReviewerDto(Guid PersonId, string Name);
