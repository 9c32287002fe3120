using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public static class CommentsApi
{
    public static RouteGroupBuilder MapCommentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/comments").WithTags("Comments");
        group.MapGet("/", List).WithSummary("List comments of an objective or key result; bodies come as Markdown and as sanitised HTML.");
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create);
        group.MapPut("/{id:guid}", Update);
        group.MapDelete("/{id:guid}", Delete);
        return api;
    }

    public static async Task<Ok<Page<CommentDto>>> List(
        OkapiDbContext db, Caller caller, Guid? objective, Guid? keyResult, [AsParameters] PageRequest page, CancellationToken ct)
    {
        var visible = caller.Visible(db.Objectives);
        var query = db.Comments.AsNoTracking().Where(c => visible.Any(o => o.Id == c.ObjectiveId));
        if (objective is { } o) query = query.Where(c => c.ObjectiveId == o);
        if (keyResult is { } k) query = query.Where(c => c.KeyResultId == k);
        var (items, total) = await page.ApplyAsync(query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id), ct);
        return TypedResults.Ok(new Page<CommentDto>(items.Select(ToDto).ToList(), page.Number, page.Size, total));
    }

    public static async Task<Results<Ok<CommentDto>, NotFound>> Get(Guid id, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var comment = await FindAsync(db, caller, id, ct);
        if (comment is null)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(http, comment);
        return TypedResults.Ok(ToDto(comment));
    }

    public static async Task<Results<Created<CommentDto>, ValidationProblem, ProblemHttpResult>> Create(
        CommentRequest request, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var objective = await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == request.ObjectiveId, ct);
        if (objective is null || !caller.CanSee(objective))
        {
            return Problems.Invalid("objectiveId", "The objective does not exist.");
        }

        if (!caller.CanWrite)
        {
            return Problems.Forbidden("Viewers read; members and admins comment.");
        }

        var errors = new ValidationErrors().Text(request.Body, "body", 20_000);
        if (request.KeyResultId is { } kr && !await db.KeyResults.AnyAsync(k => k.Id == kr && k.ObjectiveId == request.ObjectiveId, ct))
        {
            errors.Add("keyResultId", "The key result does not exist in this objective.");
        }

        if (request.ParentCommentId is { } parent && !await db.Comments.AnyAsync(c => c.Id == parent && c.ObjectiveId == request.ObjectiveId, ct))
        {
            errors.Add("parentCommentId", "The comment replied to does not exist on this objective.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var comment = new Comment
        {
            ObjectiveId = request.ObjectiveId,
            KeyResultId = request.KeyResultId,
            ParentCommentId = request.ParentCommentId,
            AuthorId = caller.PersonId,
            Body = request.Body,
        };
        db.Comments.Add(comment);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, comment);
        return TypedResults.Created($"/api/v1/comments/{comment.Id}", ToDto(comment));
    }

    public static async Task<Results<Ok<CommentDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, CommentUpdateRequest request, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var comment = await FindAsync(db, caller, id, ct, track: true);
        if (comment is null)
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.CanWrite && comment.AuthorId == caller.PersonId, "Only the author edits a comment.", http, db, comment) is { } refused)
        {
            return refused;
        }

        var errors = new ValidationErrors().Text(request.Body, "body", 20_000);
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        comment.Body = request.Body;
        await db.SaveChangesAsync(ct);
        ETags.Set(http, comment);
        return TypedResults.Ok(ToDto(comment));
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        var comment = await FindAsync(db, caller, id, ct, track: true);
        if (comment is null)
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.CanWrite && (comment.AuthorId == caller.PersonId || caller.Role == Role.Admin), "Only the author or an admin deletes a comment.", http, db, comment) is { } refused)
        {
            return refused;
        }

        db.Comments.Remove(comment);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Comment?> FindAsync(OkapiDbContext db, Caller caller, Guid id, CancellationToken ct, bool track = false)
    {
        var comment = await (track ? db.Comments : db.Comments.AsNoTracking()).FirstOrDefaultAsync(c => c.Id == id, ct);
        var objective = comment is null ? null : await db.Objectives.AsNoTracking().FirstOrDefaultAsync(o => o.Id == comment.ObjectiveId, ct);
        return objective is not null && caller.CanSee(objective) ? comment : null;
    }

    private static CommentDto ToDto(Comment c) =>
        new(c.Id, c.ObjectiveId, c.KeyResultId, c.ParentCommentId, c.AuthorId, c.Body, SafeMarkdown.ToHtml(c.Body), c.Version, c.CreatedAt, c.UpdatedAt);
}
