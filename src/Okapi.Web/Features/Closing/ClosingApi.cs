using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Closing;

public static class ClosingApi
{
    public static RouteGroupBuilder MapClosingEndpoints(this RouteGroupBuilder api)
    {
        var cycles = api.MapGroup("/cycles/{id:guid}").WithTags("Closing");
        cycles.MapGet("/close-preview", Preview)
            .WithSummary("What closing the cycle would grade: a team's objectives (?team=) or, without a team, every objective no team close has graded; with progress, proposed grades and carry-over candidates.");
        cycles.MapPost("/closings", Close)
            .WithSummary("Close the cycle for a team (its leads, admins) or for the company (admins; closes the cycle): grades, overrides with reasons, retrospectives, carry-over and clones, all or nothing.");
        cycles.MapGet("/closings", List).WithSummary("The closes of a cycle with their snapshots.");
        api.MapGet("/closings/{id:guid}", Get).WithTags("Closing")
            .WithSummary("One close's snapshot: objectives and key results as they stood, grades, override reasons, retrospectives and the grade distribution.");
        var objectives = api.MapGroup("/objectives/{id:guid}").WithTags("Closing");
        objectives.MapPost("/carry-over", CarryOver)
            .WithSummary("Continue the objective in another cycle as a draft linked to it, with the chosen (by default the unfinished) key results starting at their current values.");
        objectives.MapPost("/clone", Clone).WithSummary("Copy the objective into another cycle as a fresh draft, without a link, its key results from their original start.");
        return api;
    }

    public static async Task<Results<Ok<ClosePreviewDto>, NotFound>> Preview(
        Guid id, Guid? team, ClosingService closing, HttpContext http, CancellationToken ct) =>
        (await closing.PreviewAsync(id, team, ct)).ToOk(http);

    public static async Task<Results<Created<ClosingDto>, NotFound, ValidationProblem, ProblemHttpResult>> Close(
        Guid id, CloseRequest request, ClosingService closing, HttpContext http, CancellationToken ct) =>
        (await closing.CloseAsync(id, request, ct)).ToCreated(http, c => $"/api/v1/closings/{c.Id}");

    public static async Task<Results<Ok<List<ClosingDto>>, NotFound>> List(
        Guid id, ClosingService closing, HttpContext http, CancellationToken ct) =>
        (await closing.ListAsync(id, ct)).ToOk(http);

    public static async Task<Results<Ok<ClosingDto>, NotFound>> Get(
        Guid id, ClosingService closing, HttpContext http, CancellationToken ct) =>
        (await closing.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<ObjectiveDto>, NotFound, ValidationProblem, ProblemHttpResult>> CarryOver(
        Guid id, CarryOverRequest request, ClosingService closing, HttpContext http, CancellationToken ct) =>
        (await closing.CarryOverAsync(id, request, ct)).ToCreated(http, o => $"/api/v1/objectives/{o.Id}");

    public static async Task<Results<Created<ObjectiveDto>, NotFound, ValidationProblem, ProblemHttpResult>> Clone(
        Guid id, CloneRequest request, ClosingService closing, HttpContext http, CancellationToken ct) =>
        (await closing.CloneAsync(id, request, ct)).ToCreated(http, o => $"/api/v1/objectives/{o.Id}");
}
