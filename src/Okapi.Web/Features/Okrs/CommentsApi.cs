using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public static class CommentsApi
{
    public static RouteGroupBuilder MapCommentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/comments").WithTags("Comments");
        group.MapGet("/", List).WithSummary("List comments of an objective, key result or check-in, oldest first; replies name their parent; bodies come as Markdown and as sanitised HTML.").WithDescription("Filter by objective, keyResult or checkIn; only comments on objectives the caller may see. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapGet("/{id:guid}", Get).WithSummary("Get a comment by id, with its ETag.").WithDescription("404 when the comment's objective is not visible to the caller.");
        group.MapPost("/", Create).WithSummary("Comment or reply; @[Name](person:id) and @email mentions notify the people named (in-app, email, inbox).").WithDescription("Members and admins comment on objectives they may see; viewers get 403.");
        group.MapPut("/{id:guid}", Update).WithSummary("Edit a comment (its author); only mentions the edit adds notify.").WithDescription("Only the comment's author (403 otherwise). 412 when If-Match is stale.");
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete a comment; send its ETag in If-Match.").WithDescription("Only the author or an admin (403 otherwise). 412 when If-Match is stale.");
        return api;
    }

    public static async Task<Ok<Page<CommentDto>>> List(CommentService comments, Guid? objective, Guid? keyResult, Guid? checkIn, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await comments.ListAsync(new CommentFilter(objective, keyResult, checkIn), page, ct));

    public static async Task<Results<Ok<CommentDto>, NotFound>> Get(Guid id, CommentService comments, HttpContext http, CancellationToken ct) =>
        (await comments.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<CommentDto>, ValidationProblem, ProblemHttpResult>> Create(CommentRequest request, CommentService comments, HttpContext http, CancellationToken ct) =>
        (await comments.CreateAsync(request, ct)).ToCreated(http, c => $"/api/v1/comments/{c.Id}");

    public static async Task<Results<Ok<CommentDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(Guid id, CommentUpdateRequest request, CommentService comments, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await comments.UpdateAsync(id, request, ifMatch, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, CommentService comments, IfMatch ifMatch, CancellationToken ct) =>
        (await comments.DeleteAsync(id, ifMatch, ct)).ToNoContent();
}
