using Microsoft.EntityFrameworkCore;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Notifications;

/// <summary>The caller's own in-app notifications.</summary>
public sealed class NotificationService(OkapiDbContext db, Caller caller, TimeProvider clock)
{
    public async Task<NotificationList> ListAsync(bool? unread, PageRequest page, CancellationToken ct)
    {
        var mine = db.Notifications.AsNoTracking().Where(n => n.PersonId == caller.PersonId);
        var query = unread == true ? mine.Where(n => n.ReadAt == null) : mine;
        var (items, total) = await page.ApplyAsync(query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id), ct);
        var unreadCount = await mine.CountAsync(n => n.ReadAt == null, ct);
        return new NotificationList(items.Select(NotificationDto.From).ToList(), page.Number, page.Size, total, unreadCount);
    }

    public async Task<Outcome<Done>> MarkReadAsync(Guid id, CancellationToken ct)
    {
        // Someone else's notification is not found rather than forbidden: its existence is theirs too.
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id && n.PersonId == caller.PersonId, ct);
        if (notification is null)
        {
            return Failure.NotFound;
        }

        notification.ReadAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    public async Task<int> MarkAllReadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Notifications.Where(n => n.PersonId == caller.PersonId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }
}
