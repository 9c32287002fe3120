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
            .WithSummary("What closing the cycle would grade: a team's objectives (?team=) or, without a team, every objective no team close has graded; with progress, proposed grades and carry-over candidates.").WithDescription("Read-only: nothing is graded or stored. 404 when the cycle (or the team) does not exist.");
        cycles.MapPost("/closings", Close)
            .WithSummary("Close the cycle for a team (its leads, admins) or for the company (admins; closes the cycle): grades, overrides with reasons, retrospectives, carry-over and clones, all or nothing.").WithDescription("403 unless the caller leads the team or is an admin (the company's close is for admins); 409 when the cycle is already closed for that team or for the company. Nothing is stored when any part is invalid.").ProducesProblem(StatusCodes.Status409Conflict);
        cycles.MapGet("/closings", List).WithSummary("The closes of a cycle with their snapshots.").WithDescription("Anyone who may read; 404 when the cycle does not exist.");
        api.MapGet("/closings/{id:guid}", Get).WithTags("Closing")
            .WithSummary("One close's snapshot: objectives and key results as they stood, grades, override reasons, retrospectives and the grade distribution.").WithDescription("Anyone who may read; 404 when the close does not exist.");
        var objectives = api.MapGroup("/objectives/{id:guid}").WithTags("Closing");
        objectives.MapPost("/carry-over", CarryOver)
            .WithSummary("Continue the objective in another cycle as a draft linked to it, with the chosen (by default the unfinished) key results starting at their current values.").WithDescription("Only those who may edit the objective (403); a target cycle that does not exist, is closed or is the objective's own is a validation problem.");
        objectives.MapPost("/clone", Clone).WithSummary("Copy the objective into another cycle as a fresh draft, without a link, its key results from their original start.").WithDescription("Only those who may edit the objective (403); a target cycle that does not exist, is closed or is the objective's own is a validation problem.");
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
