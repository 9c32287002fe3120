using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Core.Lint;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Lint;

public static class LintApi
{
    public static RouteGroupBuilder MapLintApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/lint").WithTags("Lint");
        group.MapGet("/", Lint).WithSummary("OKR quality findings for a cycle (default: the active ones), a team, one objective or one KPI.").WithDescription("Only objectives and KPIs the caller may see are checked; 404 when the objective or KPI asked for is not visible.");
        group.MapGet("/rules", Rules).WithSummary("Every rule the linter checks.").WithDescription("Static: the same for every caller and organisation.");
        return api;
    }

    public static Ok<IReadOnlyList<LintRule>> Rules() => TypedResults.Ok(OkrLinter.Rules);

    public static async Task<Results<Ok<List<LintFinding>>, NotFound>> Lint(LintService lint, [AsParameters] LintFilter filter, HttpContext http, CancellationToken ct) =>
        (await lint.LintAsync(filter, ct)).ToOk(http);
}
