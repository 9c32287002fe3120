using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Auditing;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Okrs;
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
        return new Page<AuditEventDto>(items.Select(ToDto).ToList(), page.Number, page.Size, total);
    }

    /// <summary>
    /// The history of one objective: its own changes and those of its key results, initiatives and alignment,
    /// for anyone who may see the objective (not only admins).
    /// </summary>
    public async Task<Outcome<List<AuditEventDto>>> ObjectiveHistoryAsync(Guid objectiveId, int limit, CancellationToken ct)
    {
        if (await db.VisibleObjectiveAsync(caller, objectiveId, ct) is null)
        {
            return Failure.NotFound;
        }

        var related = await db.KeyResults.Where(k => k.ObjectiveId == objectiveId).Select(k => k.Id)
            .Concat(db.Initiatives.Where(i => i.ObjectiveId == objectiveId).Select(i => i.Id))
            .Concat(db.ObjectiveLinks.Where(l => l.ChildObjectiveId == objectiveId).Select(l => l.Id))
            .ToListAsync(ct);
        related.Add(objectiveId);
        var events = await db.AuditEvents.AsNoTracking().Where(a => related.Contains(a.EntityId))
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(Math.Clamp(limit, 1, PageRequest.MaxPageSize)).ToListAsync(ct);
        return events.Select(ToDto).ToList();
    }

    private static AuditEventDto ToDto(AuditEvent a) => new(a.Id, a.At, a.ActorId, a.ActorName, a.EntityType, a.EntityId, a.Action,
        JsonDocument.Parse(a.Changes).RootElement.Clone(), a.Reason);
}
