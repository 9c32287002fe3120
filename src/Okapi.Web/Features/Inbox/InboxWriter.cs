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
    /// <summary>One item to add: for whom, of what kind, about which subject.</summary>
    public sealed record Entry(Guid PersonId, InboxItemKind Kind, Guid SubjectId, string Title, string? Body, string? Link);

    /// <summary>Adds an open item, unless the person already has one open about the same subject.</summary>
    public Task AddAsync(Guid personId, InboxItemKind kind, Guid subjectId, string title, string? body, string? link, CancellationToken ct) =>
        AddAsync([new Entry(personId, kind, subjectId, title, body, link)], ct);

    /// <summary>
    /// Adds open items, except where the person already has one open about the same subject; one query for all of them
    /// (a weekly reminder run adds one per stale key result).
    /// </summary>
    public async Task AddAsync(IReadOnlyCollection<Entry> entries, CancellationToken ct)
    {
        var subjects = entries.Select(e => e.SubjectId).Distinct().ToList();
        var open = (await db.InboxItems.AsNoTracking()
                .Where(i => subjects.Contains(i.SubjectId) && i.State == InboxItemState.Open)
                .Select(i => new { i.PersonId, i.Kind, i.SubjectId }).ToListAsync(ct))
            .Select(i => (i.PersonId, i.Kind, i.SubjectId))
            .Concat(db.InboxItems.Local.Where(i => i.State == InboxItemState.Open).Select(i => (i.PersonId, i.Kind, i.SubjectId)))
            .ToHashSet();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var e in entries)
        {
            if (!open.Add((e.PersonId, e.Kind, e.SubjectId)))
            {
                continue;
            }

            db.InboxItems.Add(new InboxItem
            {
                PersonId = e.PersonId,
                Kind = e.Kind,
                SubjectId = e.SubjectId,
                Title = e.Title.Length > 300 ? e.Title[..300] : e.Title,
                Body = e.Body is { Length: > 4000 } ? e.Body[..4000] : e.Body,
                Link = e.Link,
                CreatedAt = now,
            });
        }
    }

    /// <summary>
    /// Marks everyone's open items of a kind about any of the subjects done at once, with one statement outside the
    /// caller's unit of work (inside its transaction, if it has one): KPI values check in many key results at a time.
    /// </summary>
    public async Task ResolveAllAsync(InboxItemKind kind, IReadOnlyCollection<Guid> subjectIds, CancellationToken ct)
    {
        if (subjectIds.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var ids = subjectIds.Distinct().ToList();
        await db.InboxItems.Where(i => i.Kind == kind && ids.Contains(i.SubjectId) && i.State == InboxItemState.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, InboxItemState.Done).SetProperty(i => i.ResolvedAt, now), ct);
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
