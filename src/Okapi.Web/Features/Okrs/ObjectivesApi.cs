using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public static class ObjectivesApi
{
    public static RouteGroupBuilder MapObjectivesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/objectives").WithTags("Objectives");
        group.MapGet("/", List).WithSummary("List objectives, with computed progress, forecast, status and grade.").WithDescription("Only objectives the caller may see (public ones, private ones they or their teams own, all for admins); filter by cycle, team, owner, state, tag, and archived=true for archived ones. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapGet("/{id:guid}", Get).WithSummary("Get an objective by id, with its ETag.").WithDescription("404 when the objective does not exist or is private to others.");
        group.MapPost("/", Create).WithSummary("Create an objective.").WithDescription("Members create objectives for themselves or their own teams (403 otherwise), admins for anyone; 409 when the cycle is closed (for the owner team).").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{id:guid}", Update).WithSummary("Replace an objective; send its ETag in If-Match.").WithDescription("Only the owner, the owner team's members and admins (403); 409 when it is closed or archived, when a pending review would be skipped, or when it moves into a closed cycle. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete an objective; send its ETag in If-Match.").WithDescription("Only the owner, the owner team's members and admins (403); 409 when it is closed or archived. Its key results, initiatives and links go with it. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/archive", Archive).WithSummary("Archive the objective: hidden from lists (find it with ?archived=true), read-only, left out of its parents' rollup.").WithDescription("Only those who may edit it (403); 409 when it is already archived or closed with its cycle. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/restore", Restore).WithSummary("Restore an archived objective as it was.").WithDescription("Only those who may edit it (403); 409 when it is not archived or closed with its cycle. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/parents", AddParent).WithSummary("Align the objective to a parent objective or key result.").WithDescription("Only those who may edit the objective (403); 409 when either side is closed or archived or the link exists already; a link that would close a loop is a validation problem.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}/parents/{linkId:guid}", RemoveParent).WithSummary("Remove one of the objective's alignment links.").WithDescription("Only those who may edit the objective (403); 409 when either side is closed or archived.").ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/alignment", Alignment).WithTags("Objectives")
            .WithSummary("A cycle's alignment tree by neighbourhood: its top, or one objective with its parents and children.")
            .WithDescription(
                "Without `root`: the roots of the cycle's tree (objectives aligned to nothing you may see in the cycle, the company's " +
                "first) and `depth` levels in all, roots included (default 3, at most 4), with the unaligned objectives 50 a page " +
                "(`unalignedPage`, from 1; `unalignedTotal` counts them all). With `root`: that objective, the objectives it is aligned " +
                "to, and `depth` levels of objectives aligned to it or to one of its key results (default 1, at most 4); `unaligned` " +
                "is then empty. `childCounts` gives every returned objective's number of children, loaded or not, so that the children " +
                "beyond `depth` can be asked for with `root`. Private objectives you may not see are left out, and not counted.");
        return api;
    }

    public static async Task<Ok<Page<ObjectiveDto>>> List(ObjectiveService objectives, [AsParameters] ObjectiveFilter filter, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await objectives.ListAsync(filter, page, ct));

    public static async Task<Results<Ok<ObjectiveDto>, NotFound>> Get(Guid id, ObjectiveService objectives, HttpContext http, CancellationToken ct) =>
        (await objectives.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<ObjectiveDto>, ValidationProblem, ProblemHttpResult>> Create(ObjectiveRequest request, ObjectiveService objectives, HttpContext http, CancellationToken ct) =>
        (await objectives.CreateAsync(request, ct)).ToCreated(http, o => $"/api/v1/objectives/{o.Id}");

    public static async Task<Results<Ok<ObjectiveDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(Guid id, ObjectiveRequest request, ObjectiveService objectives, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await objectives.UpdateAsync(id, request, ifMatch, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, ObjectiveService objectives, IfMatch ifMatch, CancellationToken ct) =>
        (await objectives.DeleteAsync(id, ifMatch, ct)).ToNoContent();

    public static async Task<Results<Ok<ObjectiveDto>, NotFound, ProblemHttpResult>> Archive(Guid id, ObjectiveService objectives, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await objectives.ArchiveAsync(id, ifMatch, ct)).ToOk(http);

    public static async Task<Results<Ok<ObjectiveDto>, NotFound, ProblemHttpResult>> Restore(Guid id, ObjectiveService objectives, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await objectives.RestoreAsync(id, ifMatch, ct)).ToOk(http);

    public static async Task<Results<Created<AlignmentLinkDto>, NotFound, ValidationProblem, ProblemHttpResult>> AddParent(Guid id, AlignmentLinkRequest request, ObjectiveService objectives, HttpContext http, CancellationToken ct) =>
        (await objectives.AddParentAsync(id, request, ct)).ToCreated(http, _ => $"/api/v1/objectives/{id}");

    public static async Task<Results<Ok<AlignmentDto>, NotFound>> Alignment(Guid cycle, Guid? root, int? depth, int? unalignedPage, AlignmentService alignment, HttpContext http, CancellationToken ct) =>
        (await alignment.AlignmentAsync(cycle, root, depth, unalignedPage, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RemoveParent(Guid id, Guid linkId, ObjectiveService objectives, CancellationToken ct) =>
        (await objectives.RemoveParentAsync(id, linkId, ct)).ToNoContent();
}
