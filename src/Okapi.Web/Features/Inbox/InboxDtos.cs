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
