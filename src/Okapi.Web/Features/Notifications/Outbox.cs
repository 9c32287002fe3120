using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Data;

namespace Okapi.Web.Features.Notifications;

/// <summary>
/// Queues notifications of an alert's transition for the rule's channels, in the caller's unit of work: the
/// deliveries are saved by the same SaveChanges (and transaction) as the transition, so each transition is
/// notified exactly once. After the commit, <see cref="Wake"/> sends them without waiting for the next poll.
/// </summary>
public sealed class Outbox(OkapiDbContext db, TimeProvider clock)
{
    public async Task QueueAsync(AlertRule rule, Alert alert, Kpi kpi, NotificationEvent notification, CancellationToken ct)
    {
        // A channel deleted or disabled since the rule named it gets nothing (and would break the foreign key).
        var channelIds = rule.ChannelIds.ToList();
        var channels = await db.Channels.AsNoTracking().Where(c => channelIds.Contains(c.Id) && c.Enabled).Select(c => c.Id).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var payload = JsonSerializer.Serialize(new
        {
            @event = notification.ToString(),
            alertId = alert.Id,
            ruleId = rule.Id,
            rule = rule.Name,
            kpiId = kpi.Id,
            kpi = kpi.Name,
            state = alert.State.ToString(),
            severity = alert.Severity.ToString(),
            summary = alert.Summary,
            value = alert.LastValue,
            at = now,
        });
        foreach (var channelId in channels)
        {
            db.Deliveries.Add(new Delivery
            {
                OrganisationId = alert.OrganisationId,
                ChannelId = channelId,
                AlertId = alert.Id,
                Event = notification,
                Payload = payload,
                NextAttemptAt = now,
                CreatedAt = now,
            });
        }
    }

    public void Wake()
    {
    }
}
