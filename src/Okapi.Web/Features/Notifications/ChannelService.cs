using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Alerts;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Notifications;

/// <summary>Channels, their test notifications, the delivery log and the hosts allowed past the outbound guard.</summary>
public sealed partial class ChannelService(OkapiDbContext db, Caller caller, OutboundGuard guard, Outbox outbox, WebhookSecrets secrets, TimeProvider clock)
{
    private const string AdminsOnly = "Only admins manage channels.";

    public async Task<Page<ChannelDto>> ListAsync(PageRequest page, CancellationToken ct)
    {
        var (items, total) = await page.ApplyAsync(db.Channels.AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.Id), ct);
        return new Page<ChannelDto>(items.Select(c => ChannelDto.From(c, caller.IsAdmin)).ToList(), page.Number, page.Size, total);
    }

    public async Task<Outcome<ChannelDto>> GetAsync(Guid id, CancellationToken ct) =>
        await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } channel ? ChannelDto.From(channel, caller.IsAdmin) : Failure.NotFound;

    public async Task<Outcome<ChannelDto>> CreateAsync(ChannelRequest request, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden(AdminsOnly);
        }

        var channel = new Channel { Name = request.Name };
        var errors = await ApplyAsync(channel, request, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        // A generic webhook is signed from the start; its secret is shown in this answer only.
        string? secret = null;
        if (channel.Kind == ChannelKind.Webhook)
        {
            (secret, channel.ProtectedSecret) = secrets.Issue();
        }

        db.Channels.Add(channel);
        await db.SaveChangesAsync(ct);
        return ChannelDto.From(channel, showTarget: true) with { Secret = secret };
    }

    /// <summary>
    /// Gives a generic webhook a new signing secret, returned in this answer only; the old one stops working at once.
    /// A webhook made before signing existed gets its first secret this way.
    /// </summary>
    public async Task<Outcome<ChannelDto>> RotateSecretAsync(Guid id, CancellationToken ct)
    {
        var channel = await db.Channels.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return Failure.NotFound;
        }

        if (!caller.IsAdmin)
        {
            return Failure.Forbidden(AdminsOnly);
        }

        if (channel.Kind != ChannelKind.Webhook)
        {
            return Failure.Conflict("Only generic webhooks are signed; Slack, Teams and email channels have no secret.");
        }

        var (secret, stored) = secrets.Issue();
        channel.ProtectedSecret = stored;
        await db.SaveChangesAsync(ct);
        return ChannelDto.From(channel, showTarget: true) with { Secret = secret };
    }

    public async Task<Outcome<ChannelDto>> UpdateAsync(Guid id, ChannelRequest request, IfMatch expectedVersion, CancellationToken ct)
    {
        var channel = await db.Channels.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.IsAdmin, AdminsOnly, db, channel, expectedVersion) is { } refused)
        {
            return refused;
        }

        var errors = await ApplyAsync(channel, request, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        await db.SaveChangesAsync(ct);
        return ChannelDto.From(channel, showTarget: true);
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid id, IfMatch expectedVersion, CancellationToken ct)
    {
        var channel = await db.Channels.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.IsAdmin, AdminsOnly, db, channel, expectedVersion) is { } refused)
        {
            return refused;
        }

        // Its deliveries go with it (cascade); rules that still name it skip it when they notify.
        db.Channels.Remove(channel);
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    /// <summary>Queues a test notification through the whole pipeline: outbox, worker, sender.</summary>
    public async Task<Outcome<ChannelTestDto>> TestAsync(Guid id, CancellationToken ct)
    {
        var channel = await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return Failure.NotFound;
        }

        if (!caller.IsAdmin)
        {
            return Failure.Forbidden(AdminsOnly);
        }

        if (!channel.Enabled)
        {
            return Failure.Conflict("The channel is disabled; enable it to test it.");
        }

        var (delivery, notification) = outbox.QueueTest(channel, caller.PersonId);
        await db.SaveChangesAsync(ct);
        outbox.Wake();
        return new ChannelTestDto(delivery is null ? null : DeliveryDto.From(delivery), notification is null ? null : NotificationDto.From(notification));
    }

    public async Task<Outcome<Page<DeliveryDto>>> ListDeliveriesAsync(DeliveryFilter filter, PageRequest page, CancellationToken ct)
    {
        // Admins only: deliveries tell of every KPI's alerts, private ones included.
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins read the delivery log.");
        }

        var query = db.Deliveries.AsNoTracking();
        if (filter.Channel is { } channel) query = query.Where(d => d.ChannelId == channel);
        if (filter.State?.Value is { } state) query = query.Where(d => d.State == state);
        if (filter.Alert is { } alert) query = query.Where(d => d.AlertId == alert);
        if (filter.Since is { } since) query = query.Where(d => d.CreatedAt >= since.UtcDateTime);
        var (items, total) = await page.ApplyAsync(query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id), ct);
        return new Page<DeliveryDto>(items.Select(DeliveryDto.From).ToList(), page.Number, page.Size, total);
    }

    public async Task<Outcome<DeliveryDto>> GetDeliveryAsync(Guid id, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins read the delivery log.");
        }

        return await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) is { } delivery ? DeliveryDto.From(delivery) : Failure.NotFound;
    }

    /// <summary>Puts a delivery the outbox gave up back in it, due now, and wakes the worker; <see cref="Delivery.Retry"/> says what is reset.</summary>
    public async Task<Outcome<DeliveryDto>> RetryDeliveryAsync(Guid id, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins retry deliveries.");
        }

        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (delivery is null)
        {
            return Failure.NotFound;
        }

        if (!delivery.CanRetry)
        {
            return Failure.Conflict(delivery.State == DeliveryState.Delivered
                ? "The delivery was delivered; there is nothing to retry."
                : "The delivery is still in the outbox, which retries it by itself; only a failed delivery can be retried.");
        }

        // A disabled channel would fail it again at once: say so rather than queue it.
        if (delivery.ChannelId is { } channelId && !await db.Channels.AnyAsync(c => c.Id == channelId && c.Enabled, ct))
        {
            return Failure.Conflict("The channel is disabled; enable it to retry its deliveries.");
        }

        delivery.Retry(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        outbox.Wake();
        return DeliveryDto.From(delivery);
    }

    public async Task<Outcome<List<AllowedHostDto>>> ListAllowedHostsAsync(CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage allowed hosts.");
        }

        var hosts = await db.AllowedHosts.AsNoTracking().OrderBy(h => h.Host).ToListAsync(ct);
        return hosts.Select(AllowedHostDto.From).ToList();
    }

    public async Task<Outcome<AllowedHostDto>> AllowHostAsync(AllowedHostRequest request, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage allowed hosts.");
        }

        if (NormaliseAllowedHost(request.Host) is not { } host)
        {
            return Failure.Invalid("host", "must be a host name or address with an optional port, e.g. \"127.0.0.1:9093\" or \"alertmanager.internal\".");
        }

        if (await db.AllowedHosts.AnyAsync(h => h.Host == host, ct))
        {
            return Failure.Conflict($"{host} is already allowed.");
        }

        var allowed = new AllowedHost { Host = host, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.AllowedHosts.Add(allowed);
        await db.SaveChangesAsync(ct);
        return AllowedHostDto.From(allowed);
    }

    public async Task<Outcome<Done>> RemoveAllowedHostAsync(Guid id, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage allowed hosts.");
        }

        var allowed = await db.AllowedHosts.FirstOrDefaultAsync(h => h.Id == id, ct);
        if (allowed is null)
        {
            return Failure.NotFound;
        }

        db.AllowedHosts.Remove(allowed);
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    /// <summary>"host" or "host:port" in the form the guard compares, or null when it is neither.</summary>
    public static string? NormaliseAllowedHost(string? text)
    {
        var value = text?.Trim().ToLowerInvariant() ?? "";
        if (value.Length is 0 or > 300 || value.IndexOfAny(['/', '@', '?', '#', '\\', ' ']) >= 0 ||
            !Uri.TryCreate($"http://{value}/", UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown || uri.Host.Length == 0)
        {
            return null;
        }

        var host = OutboundGuard.NormaliseHost(uri.Host);
        return ExplicitPort().IsMatch(value) ? $"{host}:{uri.Port}" : host;
    }

    private async Task<ValidationErrors> ApplyAsync(Channel channel, ChannelRequest request, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Text(request.Name, "name", Channel.MaxNameLength)
            .Require(request.Kind is { } k && Enum.IsDefined(k), "kind", "must be one of webhook, slack, teams, email, inApp.");
        channel.Name = request.Name?.Trim() ?? "";
        channel.Kind = request.Kind ?? ChannelKind.InApp;
        channel.Enabled = request.Enabled ?? true;
        channel.Events = request.Events is null ? [.. ChannelSubscription.Default] : [.. request.Events.Distinct().Order()];
        channel.TeamIds = [.. (request.TeamIds ?? []).Distinct()];
        errors.Require(channel.Events.Count > 0, "events", "must name at least one kind: alerts, checkInCreated, objectiveActivated, reviewRequested, reviewAnswered, teamClosed, cycleClosed.")
            .Require(channel.Events.All(Enum.IsDefined), "events", "must be alerts, checkInCreated, objectiveActivated, reviewRequested, reviewAnswered, teamClosed or cycleClosed.")
            .Require(channel.TeamIds.Count <= ChannelSubscription.MaxTeams, "teamIds", $"at most {ChannelSubscription.MaxTeams} teams.");
        if (channel.TeamIds.Count is > 0 and <= ChannelSubscription.MaxTeams)
        {
            var ids = channel.TeamIds;
            var known = await db.Teams.Where(t => ids.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct);
            foreach (var unknown in ids.Except(known).Take(5))
            {
                errors.Add("teamIds", $"The team {unknown} does not exist.");
            }
        }

        if (channel.Kind != ChannelKind.Webhook)
        {
            // Only generic webhooks are signed; a channel that stops being one drops its secret.
            channel.ProtectedSecret = null;
        }

        errors.Require(channel.Kind == ChannelKind.Webhook || request.BodyFormat is null or WebhookBodyFormat.Okapi, "bodyFormat",
            "only a generic webhook can send Alertmanager bodies; Slack, Teams, email and in-app channels have their own.");
        channel.BodyFormat = channel.Kind == ChannelKind.Webhook && request.BodyFormat is { } format ? format : WebhookBodyFormat.Okapi;

        var target = string.IsNullOrWhiteSpace(request.Target) ? null : request.Target.Trim();
        if (target?.Length > Channel.MaxTargetLength)
        {
            return errors.Add("target", $"must be at most {Channel.MaxTargetLength} characters.");
        }

        switch (channel.Kind)
        {
            case ChannelKind.InApp:
                errors.Require(target is null, "target", "an in-app channel notifies the KPI's owners and takes no target.");
                channel.Target = null;
                break;
            case ChannelKind.Email:
                var addresses = ChannelRules.EmailAddresses(target);
                errors.Require(addresses.Count > 0, "target", "is required: one or more email addresses separated by commas.")
                    .Require(addresses.Count <= ChannelRules.MaxEmailAddresses, "target", $"at most {ChannelRules.MaxEmailAddresses} addresses.");
                foreach (var bad in addresses.Where(a => !ChannelRules.IsEmailAddress(a)).Take(5))
                {
                    errors.Add("target", $"\"{bad}\" is not an email address.");
                }

                channel.Target = string.Join(", ", addresses);
                break;
            default:
                channel.Target = target;
                if (target is null)
                {
                    errors.Add("target", "is required: the webhook's URL.");
                }
                else if (!Uri.TryCreate(target, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    errors.Add("target", "must be an absolute http or https URL.");
                }
                else if (await guard.RefuseAsync(url, ct) is { } refusal)
                {
                    errors.Add("target", refusal);
                }

                break;
        }

        return errors;
    }

    [GeneratedRegex(@":\d+\z")]
    private static partial Regex ExplicitPort();
}
