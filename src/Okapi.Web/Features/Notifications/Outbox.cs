using Okapi.Core.Alerts;
using Okapi.Core.Kpis;

namespace Okapi.Web.Features.Notifications;

/// <summary>
/// Queues notifications of an alert's transition for the rule's channels, in the caller's unit of work: the
/// deliveries are saved by the same SaveChanges (and transaction) as the transition, so each transition is
/// notified exactly once. After the commit, <see cref="Wake"/> sends them without waiting for the next poll.
/// </summary>
public sealed class Outbox
{
    public Task QueueAsync(AlertRule rule, Alert alert, Kpi kpi, NotificationEvent notification, CancellationToken ct) =>
        throw new NotImplementedException("The outbox is being built.");

    public void Wake()
    {
    }
}
