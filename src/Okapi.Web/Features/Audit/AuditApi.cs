using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Auditing;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Audit;

public sealed record AuditEventDto(Guid Id, DateTime At, Guid? ActorId, string? ActorName, string EntityType, Guid EntityId, AuditAction Action, JsonElement Changes, string? Reason);

public sealed record AuditFilter(string? Entity, Guid? EntityId, Guid? Actor, EnumQuery<AuditAction>? Action, DateTimeOffset? From, DateTimeOffset? To);

public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", List).WithTags("Audit").WithSummary("The audit log, newest first (admins).");
        return api;
    }

    public static async Task<Results<Ok<Page<AuditEventDto>>, ProblemHttpResult>> List(
        OkapiDbContext db, Caller caller, [AsParameters] AuditFilter filter, [AsParameters] PageRequest page, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Problems.Forbidden("Only admins read the audit log.");
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
        return TypedResults.Ok(new Page<AuditEventDto>(dtos, page.Number, page.Size, total));
    }
}
