using Microsoft.EntityFrameworkCore;
using Okapi.Core.Rhythm;
using Okapi.Data;

namespace Okapi.Web.Features.Inbox;

/// <summary>
/// Puts things a person must do into their inbox and takes them out again when they are done, in the caller's
/// unit of work (the caller saves). Reminders, mentions, reviews and alerts all go through here.
/// </summary>
public sealed class InboxWriter(OkapiDbContext db, TimeProvider clock)
{
    /// <summary>Adds an open item, unless the person already has one open about the same subject.</summary>
    public async Task AddAsync(Guid personId, InboxItemKind kind, Guid subjectId, string title, string? body, string? link, CancellationToken ct)
    {
        bool Same(InboxItem i) => i.PersonId == personId && i.Kind == kind && i.SubjectId == subjectId && i.State == InboxItemState.Open;
        if (db.InboxItems.Local.Any(Same) ||
            await db.InboxItems.AnyAsync(i => i.PersonId == personId && i.Kind == kind && i.SubjectId == subjectId && i.State == InboxItemState.Open, ct))
        {
            return;
        }

        db.InboxItems.Add(new InboxItem
        {
            PersonId = personId,
            Kind = kind,
            SubjectId = subjectId,
            Title = title.Length > 300 ? title[..300] : title,
            Body = body is { Length: > 4000 } ? body[..4000] : body,
            Link = link,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
    }

    /// <summary>Marks the open items about a subject done (for everyone, or for one person): the check-in was made, the review answered.</summary>
    public async Task ResolveAsync(InboxItemKind kind, Guid subjectId, Guid? personId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var open = await db.InboxItems
            .Where(i => i.Kind == kind && i.SubjectId == subjectId && i.State == InboxItemState.Open && (personId == null || i.PersonId == personId))
            .ToListAsync(ct);
        foreach (var item in open)
        {
            item.State = InboxItemState.Done;
            item.ResolvedAt = now;
        }
    }
}
