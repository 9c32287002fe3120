using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Alerts;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Notifications;

/// <summary>
/// Sends the outbox: claims due deliveries through the database (so that several app instances never send the same
/// one), sends each to its channel, and marks it delivered or schedules a retry with exponential backoff.
/// Runs when <see cref="Outbox.Wake"/> pulses and otherwise every <see cref="PollInterval"/>.
/// </summary>
public sealed class DeliveryWorker(IServiceScopeFactory scopes, DeliverySignal signal, TimeProvider clock, OkapiInstruments instruments, IConfiguration configuration, ILogger<DeliveryWorker> log)
    : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a claim holds (<c>Okapi:Deliveries:ClaimSeconds</c>, 2 minutes): longer than any send may take, short
    /// enough that the claims of an instance that stopped or crashed mid-send come back soon to another one.
    /// </summary>
    private readonly TimeSpan _claimFor = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Okapi:Deliveries:ClaimSeconds", 120)));
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogError(e, "Delivering notifications failed; retrying at the next poll.");
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            await Task.WhenAny(Task.Delay(PollInterval, clock, wait.Token), signal.WaitAsync(wait.Token));
            await wait.CancelAsync();
        }
    }

    /// <summary>One pass: sends every delivery due now, organisation by organisation. Returns how many were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        List<Guid> organisations;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var now = clock.GetUtcNow().UtcDateTime;
            organisations = await Due(scope.ServiceProvider.GetRequiredService<OkapiDbContext>().Deliveries.IgnoreQueryFilters(), now)
                .Select(d => d.OrganisationId).Distinct().ToListAsync(ct);
        }

        var attempted = 0;
        foreach (var organisationId in organisations)
        {
            attempted += await DeliverForAsync(organisationId, ct);
        }

        return attempted;
    }

    private async Task<int> DeliverForAsync(Guid organisationId, CancellationToken ct)
    {
        var attempted = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            db.OrganisationId = organisationId;
            var now = clock.GetUtcNow().UtcDateTime;
            var due = await Due(db.Deliveries, now).OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(BatchSize).ToListAsync(ct);
            foreach (var id in due)
            {
                if (await ClaimAsync(db, id, ct))
                {
                    await SendAsync(scope.ServiceProvider, db, id, ct);
                    attempted++;
                }
            }

            if (due.Count < BatchSize)
            {
                return attempted;
            }
        }
    }

    private static IQueryable<Delivery> Due(IQueryable<Delivery> deliveries, DateTime now) =>
        deliveries.Where(d => d.State == DeliveryState.Pending && d.NextAttemptAt <= now && (d.LockedUntil == null || d.LockedUntil < now));

    /// <summary>The conditional update that makes a delivery this worker's: it succeeds for exactly one claimant.</summary>
    private async Task<bool> ClaimAsync(OkapiDbContext db, Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + _claimFor;
        var claimed = await Due(db.Deliveries.Where(d => d.Id == id), now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LockedUntil, until), ct);
        return claimed == 1;
    }

    private async Task SendAsync(IServiceProvider services, OkapiDbContext db, Guid id, CancellationToken ct)
    {
        using var activity = OkapiInstruments.Activities.StartActivity("okapi.outbox.send");
        var delivery = await db.Deliveries.FirstAsync(d => d.Id == id, ct);
        var channel = await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == delivery.ChannelId, ct);
        string? error = null;
        var giveUp = false;
        try
        {
            if (delivery is { ChannelId: null, Recipient: { } recipient })
            {
                // An email to one person (a reminder, a digest, a mention), not to a channel.
                var payload = NotificationPayload.FromJson(delivery.Payload);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(OutboundGuard.Timeout + TimeSpan.FromSeconds(5));
                await services.GetRequiredService<EmailSender>().SendAsync([recipient], payload, timeout.Token);
            }
            else if (channel is not { Enabled: true })
            {
                (error, giveUp) = ("the channel is disabled.", true);
            }
            else
            {
                var payload = NotificationPayload.FromJson(delivery.Payload);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(OutboundGuard.Timeout + TimeSpan.FromSeconds(5));
                await (channel.Kind switch
                {
                    ChannelKind.Email => services.GetRequiredService<EmailSender>().SendAsync(channel, payload, timeout.Token),
                    ChannelKind.Webhook or ChannelKind.Slack or ChannelKind.Teams => services.GetRequiredService<WebhookSender>().SendAsync(channel, delivery, payload, timeout.Token),
                    _ => throw new DeliveryFailedException($"{channel.Kind} channels are not sent by the outbox."),
                });
            }
        }
        catch (DeliveryFailedException e)
        {
            (error, giveUp) = (e.Message, e.Permanent);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            error = $"no answer within {OutboundGuard.Timeout.TotalSeconds:0} s.";
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Delivery {DeliveryId} to channel {ChannelId} failed unexpectedly.", delivery.Id, delivery.ChannelId);
            error = $"{e.GetType().Name}: {e.Message}";
        }

        var now = clock.GetUtcNow().UtcDateTime;
        delivery.RecordAttempt(now, error, giveUp, Random.Shared.NextDouble());
        instruments.DeliveryAttempted(channel?.Kind, failed: error is not null);
        if (error is not null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, error);
        }

        if (error is not null)
        {
            log.LogInformation("Delivery {DeliveryId} attempt {Attempt} failed: {Error}", delivery.Id, delivery.Attempts, error);
        }

        // Not the request's token: a send that happened must be recorded even while the host stops.
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
