using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Sources;

public static class KpiSourcesApi
{
    internal static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/kpi-sources").WithTags("KPI sources");
        group.MapGet("/", List).WithSummary("List pull sources, optionally of one KPI (?kpi=).").WithDescription("Only sources of KPIs the caller may edit. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapGet("/{id:guid}", Get).WithSummary("Get a KPI source by id, with its ETag.").WithDescription("Only the KPI's editors (403 otherwise).");
        group.MapPost("/", Create).WithSummary("Add a scheduled pull (HTTP JSON, SQL or Prometheus) of a KPI's value.").WithDescription("Only the KPI's editors (403); 409 when the KPI is archived. A URL on a loopback or private address is a validation problem unless its host is allowed.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{id:guid}", Update).WithSummary("Replace a KPI source; send its ETag in If-Match.").WithDescription("Only the KPI's editors (403); 409 when the KPI is archived; a source cannot move to another KPI. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete a KPI source; send its ETag in If-Match.").WithDescription("Only the KPI's editors (403). 412 when If-Match is stale.");
        group.MapPost("/{id:guid}/run", Run).WithSummary("Run a source now and return what it stored or why it stored nothing.").WithDescription("Only the KPI's editors (403); 409 when the KPI is archived or the source is running already.").ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Ok<Page<KpiSourceDto>>> List(KpiSourceService sources, [AsParameters] KpiSourceFilter filter, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await sources.ListAsync(filter, page, ct));

    public static async Task<Results<Ok<KpiSourceDto>, NotFound, ProblemHttpResult>> Get(Guid id, KpiSourceService sources, HttpContext http, CancellationToken ct) =>
        (await sources.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<KpiSourceDto>, ValidationProblem, ProblemHttpResult>> Create(KpiSourceRequest request, KpiSourceService sources, HttpContext http, CancellationToken ct) =>
        (await sources.CreateAsync(request, ct)).ToCreated(http, s => $"/api/v1/kpi-sources/{s.Id}");

    public static async Task<Results<Ok<KpiSourceDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(Guid id, KpiSourceRequest request, KpiSourceService sources, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await sources.UpdateAsync(id, request, ifMatch, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, KpiSourceService sources, IfMatch ifMatch, CancellationToken ct) =>
        (await sources.DeleteAsync(id, ifMatch, ct)).ToNoContent();

    public static async Task<Results<Ok<KpiSourceRunDto>, NotFound, ProblemHttpResult>> Run(Guid id, KpiSourceService sources, HttpContext http, CancellationToken ct) =>
        (await sources.RunNowAsync(id, ct)).ToOk(http);
}
