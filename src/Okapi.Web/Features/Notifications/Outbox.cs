using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Inbox;

namespace Okapi.Web.Features.Notifications;

/// <summary>
/// Queues notifications of an alert's transition for the rule's channels, in the caller's unit of work: the
/// deliveries are saved by the same SaveChanges (and transaction) as the transition, so each transition is
/// notified exactly once. After the commit, <see cref="Wake"/> sends them without waiting for the next poll.
/// </summary>
public sealed class Outbox(OkapiDbContext db, TimeProvider clock, DeliverySignal signal, InboxWriter inbox, IOptions<SmtpOptions> smtp)
{
    private int _emailsQueued;

    /// <summary>
    /// A job's summary, saying so when it queued emails that cannot be sent because email is not configured (they fail
    /// at once in the deliveries): a job must not look done when nobody got what it sent.
    /// </summary>
    public string Summarise(string result) =>
        _emailsQueued == 0 || smtp.Value.IsConfigured ? result
        : $"{result}; {(_emailsQueued == 1 ? "1 email" : $"{_emailsQueued} emails")} failed: email is not configured";

    public const int MaxNotificationBodyLength = 4000;

    public async Task QueueAsync(AlertRule rule, Alert alert, Kpi kpi, NotificationEvent notification, CancellationToken ct)
    {
        await UpdateInboxesAsync(alert, kpi, notification, ct);
        if (rule.ChannelIds.Count == 0)
        {
            return;
        }

        var ids = rule.ChannelIds.ToList();
        var channels = (await db.Channels.AsNoTracking().Where(c => ids.Contains(c.Id) && c.Enabled).ToListAsync(ct))
            .Where(c => c.Hears(notification, kpi.OwnerTeamId)).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        // The owner team's name is a label receivers route on; it is read only when someone will hear of the alert.
        var team = channels.Count > 0 && kpi.OwnerTeamId is { } teamId
            ? await db.Teams.Where(t => t.Id == teamId).Select(t => t.Name).FirstOrDefaultAsync(ct)
            : null;
        var payload = NotificationPayload.ForAlert(notification, rule, alert, kpi, now, team);
        var json = payload.ToJson();
        foreach (var channel in channels)
        {
            if (channel.Kind == ChannelKind.InApp)
            {
                foreach (var person in await OwnersAsync(kpi, ct))
                {
                    db.Notifications.Add(InApp(person, payload, alert.Id, now));
                }
            }
            else
            {
                db.Deliveries.Add(new Delivery { ChannelId = channel.Id, AlertId = alert.Id, Event = notification, Payload = json, CreatedAt = now, NextAttemptAt = now });
            }
        }
    }

    /// <summary>
    /// Queues an event for every channel that hears it (<see cref="ChannelSubscription.Hears"/>), in the caller's unit of
    /// work: a delivery per external channel, and for an in-app channel a notification for each of <paramref name="people"/>.
    /// </summary>
    public async Task QueueEventAsync(NotificationPayload payload, Guid? teamId, bool confidential, Func<CancellationToken, Task<List<Guid>>> people, CancellationToken ct)
    {
        var channels = (await db.Channels.AsNoTracking().Where(c => c.Enabled).ToListAsync(ct))
            .Where(c => c.Hears(payload.Event, teamId, confidential)).ToList();
        if (channels.Count == 0)
        {
            return;
        }

        var json = payload.ToJson();
        foreach (var channel in channels.Where(c => c.Kind != ChannelKind.InApp))
        {
            db.Deliveries.Add(new Delivery { ChannelId = channel.Id, Event = payload.Event, Payload = json, CreatedAt = payload.At, NextAttemptAt = payload.At });
        }

        // The people are read once, and told once however many in-app channels hear the event.
        if (channels.Any(c => c.Kind == ChannelKind.InApp))
        {
            foreach (var person in (await people(ct)).Distinct())
            {
                db.Notifications.Add(InApp(person, payload, null, payload.At));
            }
        }
    }

    /// <summary>
    /// Queues a test notification for one channel without saving: a delivery, or for an in-app channel a
    /// notification for <paramref name="personId"/> (whoever asked for the test).
    /// </summary>
    public (Delivery? Delivery, Notification? Notification) QueueTest(Channel channel, Guid personId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var payload = NotificationPayload.ForTest(channel, now);
        if (channel.Kind == ChannelKind.InApp)
        {
            var notification = InApp(personId, payload, null, now);
            db.Notifications.Add(notification);
            return (null, notification);
        }

        var delivery = new Delivery { ChannelId = channel.Id, Event = NotificationEvent.Test, Payload = payload.ToJson(), CreatedAt = now, NextAttemptAt = now };
        db.Deliveries.Add(delivery);
        return (delivery, null);
    }

    /// <summary>
    /// Queues a notice for one person in the caller's unit of work: an in-app notification, and with
    /// <paramref name="email"/> an email to the person's address through the outbox (sent with retries like any delivery).
    /// </summary>
    public void QueueForPerson(Person person, NotificationEvent notification, string title, string text, string link, bool email)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var payload = NotificationPayload.ForPerson(notification, now, title, text, link);
        db.Notifications.Add(InApp(person.Id, payload, null, now));
        if (email)
        {
            db.Deliveries.Add(new Delivery { Recipient = person.Email, Event = notification, Payload = payload.ToJson(), CreatedAt = now, NextAttemptAt = now });
            _emailsQueued++;
        }
    }

    /// <summary>
    /// A firing alert is in the inbox of the KPI's owners (its owner person and its owner team's members), whatever the
    /// rule's channels; it leaves their inboxes when it resolves or someone acknowledges it.
    /// </summary>
    private async Task UpdateInboxesAsync(Alert alert, Kpi kpi, NotificationEvent notification, CancellationToken ct)
    {
        if (notification == NotificationEvent.AlertFiring)
        {
            var title = $"{kpi.Name} is in alert";
            foreach (var person in await OwnersAsync(kpi, ct))
            {
                await inbox.AddAsync(person, InboxItemKind.Alert, alert.Id, title, alert.Summary, $"/kpis/{kpi.Id}", ct);
            }
        }
        else if (notification is NotificationEvent.AlertResolved or NotificationEvent.AlertAcknowledged)
        {
            await inbox.ResolveAsync(InboxItemKind.Alert, alert.Id, null, ct);
        }
    }

    /// <summary>Sends what was queued now rather than at the next poll; call it after the transaction commits.</summary>
    public void Wake() => signal.Pulse();

    private async Task<List<Guid>> OwnersAsync(Kpi kpi, CancellationToken ct)
    {
        var people = new List<Guid>();
        if (kpi.OwnerPersonId is { } owner)
        {
            people.Add(owner);
        }

        if (kpi.OwnerTeamId is { } team)
        {
            people.AddRange(await db.TeamMemberships.Where(m => m.TeamId == team).Select(m => m.PersonId).ToListAsync(ct));
        }

        return people.Distinct().ToList();
    }

    private static Notification InApp(Guid personId, NotificationPayload payload, Guid? alertId, DateTime now) => new()
    {
        PersonId = personId,
        Title = payload.Title.Length > 300 ? payload.Title[..300] : payload.Title,
        Body = payload.Text.Length > MaxNotificationBodyLength ? payload.Text[..MaxNotificationBodyLength] : payload.Text,
        Link = payload.Link,
        AlertId = alertId,
        CreatedAt = now,
    };
}

/// <summary>
/// Tells the delivery worker that something was queued. One pending pulse is kept, so a pulse during a pass
/// starts another pass instead of being lost.
/// </summary>
public sealed class DeliverySignal
{
    private readonly SemaphoreSlim _pulses = new(0, 1);

    public void Pulse()
    {
        try
        {
            _pulses.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already due; one is enough.
        }
    }

    public Task WaitAsync(CancellationToken ct) => _pulses.WaitAsync(ct);
}
