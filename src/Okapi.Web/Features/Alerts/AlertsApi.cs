using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Alerts;

public static class AlertRulesApi
{
    public static RouteGroupBuilder MapAlertRulesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/alert-rules").WithTags("Alert rules");
        group.MapGet("/", List).WithSummary("List the alert rules of the KPIs you may see; ?kpi= for one KPI's.").WithDescription("Only rules of KPIs the caller may see. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapGet("/{id:guid}", Get).WithSummary("Get an alert rule by id, with its ETag.").WithDescription("404 when the rule's KPI is not visible to the caller.");
        group.MapPost("/", Create).WithSummary("Create a threshold, change or no-data rule; it is evaluated at once.").WithDescription("Only those who may edit the KPI (its owner, its owner team's members, admins) add rules (403 otherwise); 409 when the KPI is archived.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{id:guid}", Update).WithSummary("Replace an alert rule; send its ETag in If-Match.").WithDescription("Only the KPI's editors (403); 409 when the KPI is archived; the rule cannot move to another KPI. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete an alert rule; send its ETag in If-Match.").WithDescription("Only the KPI's editors (403). 412 when If-Match is stale.");
        return api;
    }

    public static async Task<Ok<Page<AlertRuleDto>>> List(AlertRuleService rules, Guid? kpi, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await rules.ListAsync(kpi, page, ct));

    public static async Task<Results<Ok<AlertRuleDto>, NotFound>> Get(Guid id, AlertRuleService rules, HttpContext http, CancellationToken ct) =>
        (await rules.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<AlertRuleDto>, ValidationProblem, ProblemHttpResult>> Create(AlertRuleRequest request, AlertRuleService rules, HttpContext http, CancellationToken ct) =>
        (await rules.CreateAsync(request, ct)).ToCreated(http, r => $"/api/v1/alert-rules/{r.Id}");

    public static async Task<Results<Ok<AlertRuleDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(Guid id, AlertRuleRequest request, AlertRuleService rules, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await rules.UpdateAsync(id, request, ifMatch, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, AlertRuleService rules, IfMatch ifMatch, CancellationToken ct) =>
        (await rules.DeleteAsync(id, ifMatch, ct)).ToNoContent();
}

public static class AlertsApi
{
    public static RouteGroupBuilder MapAlertIncidentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/alerts").WithTags("Alerts");
        group.MapGet("/", List).WithSummary("List alerts of the KPIs you may see, newest first; filter by ?kpi=, ?rule=, ?state=, ?open=true and ?since=.").WithDescription("Only alerts of KPIs the caller may see. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapGet("/groups", Groups).WithSummary("Alerts grouped by rule since ?since= (a week by default): each rule's state, how often it fired and its last change.").WithDescription("Only rules of KPIs the caller may see, optionally of one KPI (?kpi=). Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapGet("/{id:guid}", Get).WithSummary("Get an alert by id.").WithDescription("404 when the alert's KPI is not visible to the caller.");
        group.MapPost("/{id:guid}/acknowledge", Acknowledge).WithSummary("Acknowledge a pending or firing alert with a note.").WithDescription("Needs write access (viewers get 403); 409 when the alert is already resolved.").ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Ok<Page<AlertDto>>> List(AlertService alerts, [AsParameters] AlertFilter filter, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await alerts.ListAsync(filter, page, ct));

    public static async Task<Ok<Page<AlertGroupDto>>> Groups(AlertService alerts, [AsParameters] AlertGroupFilter filter, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await alerts.ListGroupsAsync(filter, page, ct));

    public static async Task<Results<Ok<AlertDto>, NotFound>> Get(Guid id, AlertService alerts, HttpContext http, CancellationToken ct) =>
        (await alerts.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Ok<AlertDto>, NotFound, ValidationProblem, ProblemHttpResult>> Acknowledge(Guid id, AcknowledgeRequest request, AlertService alerts, HttpContext http, CancellationToken ct) =>
        (await alerts.AcknowledgeAsync(id, request, ct)).ToOk(http);
}
