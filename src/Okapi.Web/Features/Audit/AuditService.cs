using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Auditing;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Audit;

public sealed record AuditEventDto(Guid Id, DateTime At, Guid? ActorId, string? ActorName, string EntityType, Guid EntityId, AuditAction Action, JsonElement Changes, string? Reason);

public sealed record AuditFilter(string? Entity, Guid? EntityId, Guid? Actor, EnumQuery<AuditAction>? Action, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>The audit log, for the API and the pages alike.</summary>
public sealed class AuditService(OkapiDbContext db, Caller caller)
{
    public async Task<Outcome<Page<AuditEventDto>>> ListAsync(AuditFilter filter, PageRequest page, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins read the audit log.");
        }

        var query = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Entity)) query = query.Where(a => a.EntityType == filter.Entity);
        if (filter.EntityId is { } id) query = query.Where(a => a.EntityId == id);
        if (filter.Actor is { } actor) query = query.Where(a => a.ActorId == actor);
        if (filter.Action?.Value is { } action) query = query.Where(a => a.Action == action);
        if (filter.From is { } from) query = query.Where(a => a.At >= from.UtcDateTime);
        if (filter.To is { } to) query = query.Where(a => a.At < to.UtcDateTime);
        var (items, total) = await page.ApplyAsync(query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id), ct);
        var dtos = items.Select(a => new AuditEventDto(a.Id, a.At, a.ActorId, a.ActorName, a.EntityType, a.EntityId, a.Action,
            JsonDocument.Parse(a.Changes).RootElement.Clone(), a.Reason)).ToList();
        return new Page<AuditEventDto>(dtos, page.Number, page.Size, total);
    }
}
