using System.ComponentModel.DataAnnotations;
using Okapi.Core.Okrs;
using Okapi.Core.Rhythm;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Inbox;

/// <summary>Something I must do: <c>subjectId</c> is the key result (check-in due), comment (mention), alert or review; <c>link</c> a page of the app.</summary>
/// <param name="Id">The item.</param>
/// <param name="Kind">What is asked: `checkInDue`, `mention`, `alert` or `reviewRequest`.</param>
/// <param name="SubjectId">What it is about: the key result, comment, alert or review, by kind.</param>
/// <param name="Title">A one-line title.</param>
/// <param name="Body">More detail, if any.</param>
/// <param name="Link">The page of the app to act on it, if any.</param>
/// <param name="State">`open`, `done` or `dismissed`.</param>
/// <param name="CreatedAt">When it arrived (UTC).</param>
/// <param name="ResolvedAt">When it was done or dismissed (UTC); null while open.</param>
public sealed record InboxItemDto(Guid Id, InboxItemKind Kind, Guid SubjectId, string Title, string? Body, string? Link, InboxItemState State, DateTime CreatedAt, DateTime? ResolvedAt)
{
    public static InboxItemDto From(InboxItem i) => new(i.Id, i.Kind, i.SubjectId, i.Title, i.Body, i.Link, i.State, i.CreatedAt, i.ResolvedAt);
}

/// <summary>How many open items of one kind I have.</summary>
/// <param name="Kind">The kind: `checkInDue`, `mention`, `alert` or `reviewRequest`.</param>
/// <param name="Open">How many of my items of that kind are open.</param>
public sealed record InboxCount(InboxItemKind Kind, int Open);

/// <summary>One page of my inbox, newest first, with my open items counted per kind (whatever the filter).</summary>
/// <param name="Items">The items on this page, newest first.</param>
/// <param name="PageNumber">The page number, from 1.</param>
/// <param name="PageSize">Items per page.</param>
/// <param name="Total">How many items match the filter, over all pages.</param>
/// <param name="Open">How many of my items are open, whatever the filter.</param>
/// <param name="Counts">My open items counted per kind, whatever the filter.</param>
public sealed record InboxList(IReadOnlyList<InboxItemDto> Items, int PageNumber, int PageSize, int Total, int Open, IReadOnlyList<InboxCount> Counts);

/// <summary><c>state</c> is open unless given; <c>kind</c> is checkInDue, mention, alert or reviewRequest.</summary>
public sealed record InboxFilter(EnumQuery<InboxItemState>? State, EnumQuery<InboxItemKind>? Kind);
