using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Auditing;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Audit;

/// <summary>One recorded change: who changed what, when, and which fields, before and after.</summary>
/// <param name="Id">The event.</param>
/// <param name="At">When the change was saved (UTC).</param>
/// <param name="ActorId">Who made it; null for changes the server made on its own.</param>
/// <param name="ActorName">The actor's name at the time, if known.</param>
/// <param name="EntityType">What kind of record changed, e.g. `Objective`, `KeyResult`, `Kpi`.</param>
/// <param name="EntityId">The record that changed.</param>
/// <param name="Action">`create`, `update` or `delete`.</param>
/// <param name="Changes">An object keyed by field name, each with the `before` and `after` values.</param>
/// <param name="Reason">Why the change was made, where the actor said so (e.g. a grade override).</param>
public sealed record AuditEventDto(Guid Id, DateTime At, Guid? ActorId, string? ActorName, string EntityType, Guid EntityId, AuditAction Action, JsonElement Changes, string? Reason);

/// <summary>
/// An event of an objective's history: <c>about</c> is the title of the key result, initiative or objective it concerns;
/// a check-in's event carries the check-in.
/// </summary>
/// <param name="Id">The event.</param>
/// <param name="At">When the change was saved (UTC).</param>
/// <param name="ActorId">Who made it; null for changes the server made on its own.</param>
/// <param name="ActorName">The actor's name at the time, if known.</param>
/// <param name="EntityType">What kind of record changed, e.g. `Objective`, `KeyResult`, `CheckIn`.</param>
/// <param name="EntityId">The record that changed.</param>
/// <param name="Action">`create`, `update` or `delete`.</param>
/// <param name="Changes">An object keyed by field name, each with the `before` and `after` values.</param>
/// <param name="Reason">Why the change was made, where the actor said so.</param>
/// <param name="About">The title of the key result, initiative or objective it concerns.</param>
/// <param name="CheckIn">The check-in, for a check-in's event; null otherwise.</param>
public sealed record HistoryEventDto(Guid Id, DateTime At, Guid? ActorId, string? ActorName, string EntityType, Guid EntityId, AuditAction Action,
    JsonElement Changes, string? Reason, string About, CheckInDto? CheckIn = null);

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
    /// The history of one objective: its own changes and those of its key results, initiatives, alignment and the
    /// check-ins people made, for anyone who may see the objective (not only admins). Each event names what it is about;
    /// a check-in comes with its value, confidence and note. Check-ins a KPI makes are left to the charts: one for every
    /// KPI value would bury what people did.
    /// </summary>
    public async Task<Outcome<List<HistoryEventDto>>> ObjectiveHistoryAsync(Guid objectiveId, int limit, CancellationToken ct)
    {
        if (await db.VisibleObjectiveAsync(caller, objectiveId, ct) is not { } objective)
        {
            return Failure.NotFound;
        }

        var take = Math.Clamp(limit, 1, PageRequest.MaxPageSize);
        var titles = await db.KeyResults.Where(k => k.ObjectiveId == objectiveId).Select(k => new { k.Id, k.Title })
            .Concat(db.Initiatives.Where(i => i.ObjectiveId == objectiveId).Select(i => new { i.Id, i.Title }))
            .ToDictionaryAsync(t => t.Id, t => t.Title, ct);
        var related = await db.ObjectiveLinks.Where(l => l.ChildObjectiveId == objectiveId).Select(l => l.Id).ToListAsync(ct);
        related.AddRange(titles.Keys);
        related.Add(objectiveId);
        var events = await db.AuditEvents.AsNoTracking().Where(a => related.Contains(a.EntityId))
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(take).ToListAsync(ct);

        var keyResultIds = db.KeyResults.Where(k => k.ObjectiveId == objectiveId).Select(k => k.Id);
        var checkIns = await (
                from a in db.AuditEvents.AsNoTracking()
                join c in db.CheckIns.AsNoTracking() on a.EntityId equals c.Id
                where a.EntityType == nameof(CheckIn) && keyResultIds.Contains(c.KeyResultId) && c.Source != CheckInSource.Kpi
                orderby a.At descending, a.Id descending
                select new { Event = a, CheckIn = c })
            .Take(take).ToListAsync(ct);

        return events.Select(a => ToHistory(a, titles.GetValueOrDefault(a.EntityId, objective.Title), null))
            .Concat(checkIns.Select(e => ToHistory(e.Event, titles.GetValueOrDefault(e.CheckIn.KeyResultId, objective.Title), CheckInDto.From(e.CheckIn))))
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(take).ToList();
    }

    private static HistoryEventDto ToHistory(AuditEvent a, string about, CheckInDto? checkIn) =>
        new(a.Id, a.At, a.ActorId, a.ActorName, a.EntityType, a.EntityId, a.Action, Changes(a), a.Reason, about, checkIn);

    private static AuditEventDto ToDto(AuditEvent a) => new(a.Id, a.At, a.ActorId, a.ActorName, a.EntityType, a.EntityId, a.Action,
        Changes(a), a.Reason);

    private static JsonElement Changes(AuditEvent a) => JsonDocument.Parse(a.Changes).RootElement.Clone();
}
