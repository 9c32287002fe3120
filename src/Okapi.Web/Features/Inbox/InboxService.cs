using Microsoft.EntityFrameworkCore;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Inbox;

/// <summary>The caller's own inbox: what they must do now, each item done or dismissed; for the API and the pages alike.</summary>
public sealed class InboxService(OkapiDbContext db, Caller caller, TimeProvider clock)
{
    public async Task<InboxList> ListAsync(InboxFilter filter, PageRequest page, CancellationToken ct)
    {
        var mine = db.InboxItems.AsNoTracking().Where(i => i.PersonId == caller.PersonId);
        var state = filter.State?.Value ?? InboxItemState.Open;
        var query = mine.Where(i => i.State == state);
        if (filter.Kind?.Value is { } kind) query = query.Where(i => i.Kind == kind);
        var (items, total) = await page.ApplyAsync(query.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id), ct);
        var counts = await CountsAsync(ct);
        return new InboxList(items.Select(InboxItemDto.From).ToList(), page.Number, page.Size, total, counts.Sum(c => c.Open), counts);
    }

    /// <summary>My open items per kind, every kind listed (zero included) in the enum's order.</summary>
    public async Task<IReadOnlyList<InboxCount>> CountsAsync(CancellationToken ct)
    {
        var open = await db.InboxItems.AsNoTracking().Where(i => i.PersonId == caller.PersonId && i.State == InboxItemState.Open)
            .GroupBy(i => i.Kind).Select(g => new { Kind = g.Key, Count = g.Count() }).ToListAsync(ct);
        return Enum.GetValues<InboxItemKind>().Select(k => new InboxCount(k, open.FirstOrDefault(o => o.Kind == k)?.Count ?? 0)).ToList();
    }

    public async Task<int> OpenCountAsync(CancellationToken ct) =>
        await db.InboxItems.CountAsync(i => i.PersonId == caller.PersonId && i.State == InboxItemState.Open, ct);

    public Task<Outcome<InboxItemDto>> DoneAsync(Guid id, CancellationToken ct) => CloseAsync(id, InboxItemState.Done, ct);

    public Task<Outcome<InboxItemDto>> DismissAsync(Guid id, CancellationToken ct) => CloseAsync(id, InboxItemState.Dismissed, ct);

    /// <summary>Closing an item twice the same way changes nothing (a retried request succeeds); the other way is a conflict.</summary>
    private async Task<Outcome<InboxItemDto>> CloseAsync(Guid id, InboxItemState state, CancellationToken ct)
    {
        // Someone else's item is not found rather than forbidden: that it exists is theirs to know.
        var item = await db.InboxItems.FirstOrDefaultAsync(i => i.Id == id && i.PersonId == caller.PersonId, ct);
        if (item is null)
        {
            return Failure.NotFound;
        }

        if (item.State == state)
        {
            return InboxItemDto.From(item);
        }

        if (item.State != InboxItemState.Open)
        {
            return Failure.Conflict($"The item is already {item.State.ToString().ToLowerInvariant()}.");
        }

        item.State = state;
        item.ResolvedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return InboxItemDto.From(item);
    }
}
