using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Audit;

public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", List).RequireAuthorization(ApiPolicies.Admins).WithTags("Audit").WithSummary("The audit log, newest first (admins).").WithDescription("Admins only (403 otherwise); filter by entity, entityId, actor, action and a [from, to) time range. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        api.MapGet("/objectives/{id:guid}/history", ObjectiveHistory).WithTags("Objectives")
            .WithSummary("Changes to an objective, its key results, initiatives and alignment, and the check-ins people made, newest first; each names what it is about.").WithDescription("Anyone who may see the objective; 404 when it does not exist or is private to others.");
        return api;
    }

    public static async Task<Results<Ok<Page<AuditEventDto>>, ProblemHttpResult>> List(
        AuditService audit, [AsParameters] AuditFilter filter, [AsParameters] PageRequest page, HttpContext http, CancellationToken ct) =>
        (await audit.ListAsync(filter, page, ct)).ToOk(http);

    public static async Task<Results<Ok<List<HistoryEventDto>>, NotFound>> ObjectiveHistory(
        Guid id, AuditService audit, HttpContext http, CancellationToken ct, int limit = 50) =>
        (await audit.ObjectiveHistoryAsync(id, limit, ct)).ToOk(http);
}
