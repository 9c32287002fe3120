using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public sealed record CommentFilter(Guid? Objective, Guid? KeyResult);

/// <summary>Comments on objectives and key results, for the API and the pages alike.</summary>
public sealed class CommentService(OkapiDbContext db, Caller caller)
{
    public async Task<Page<CommentDto>> ListAsync(CommentFilter filter, PageRequest page, CancellationToken ct)
    {
        var visible = caller.Visible(db.Objectives);
        var query = db.Comments.AsNoTracking().Where(c => visible.Any(o => o.Id == c.ObjectiveId));
        if (filter.Objective is { } o) query = query.Where(c => c.ObjectiveId == o);
        if (filter.KeyResult is { } k) query = query.Where(c => c.KeyResultId == k);
        var (items, total) = await page.ApplyAsync(query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id), ct);
        return new Page<CommentDto>(items.Select(ToDto).ToList(), page.Number, page.Size, total);
    }

    public async Task<Outcome<CommentDto>> GetAsync(Guid id, CancellationToken ct) =>
        await FindAsync(id, ct) is { } comment ? ToDto(comment) : Failure.NotFound;

    public async Task<Outcome<CommentDto>> CreateAsync(CommentRequest request, CancellationToken ct)
    {
        var objective = await db.ObjectiveToAddToAsync(caller, request.ObjectiveId, _ => caller.CanWrite, "Viewers read; members and admins comment.", ct);
        if (objective.Failure is { } refused)
        {
            return refused;
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
            return Failure.Invalid(errors);
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
        return ToDto(comment);
    }

    public async Task<Outcome<CommentDto>> UpdateAsync(Guid id, CommentUpdateRequest request, int? expectedVersion, CancellationToken ct)
    {
        var comment = await FindAsync(id, ct, track: true);
        if (comment is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanWrite && comment.AuthorId == caller.PersonId, "Only the author edits a comment.", db, comment, expectedVersion) is { } refused)
        {
            return refused;
        }

        var errors = new ValidationErrors().Text(request.Body, "body", 20_000);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        comment.Body = request.Body;
        await db.SaveChangesAsync(ct);
        return ToDto(comment);
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid id, int? expectedVersion, CancellationToken ct)
    {
        var comment = await FindAsync(id, ct, track: true);
        if (comment is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanWrite && (comment.AuthorId == caller.PersonId || caller.Role == Role.Admin), "Only the author or an admin deletes a comment.", db, comment, expectedVersion) is { } refused)
        {
            return refused;
        }

        db.Comments.Remove(comment);
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    private async Task<Comment?> FindAsync(Guid id, CancellationToken ct, bool track = false)
    {
        var comment = await (track ? db.Comments : db.Comments.AsNoTracking()).FirstOrDefaultAsync(c => c.Id == id, ct);
        return comment is not null && await db.VisibleObjectiveAsync(caller, comment.ObjectiveId, ct) is not null ? comment : null;
    }

    private static CommentDto ToDto(Comment c) =>
        new(c.Id, c.ObjectiveId, c.KeyResultId, c.ParentCommentId, c.AuthorId, c.Body, SafeMarkdown.ToHtml(c.Body), c.Version, c.CreatedAt, c.UpdatedAt);
}
