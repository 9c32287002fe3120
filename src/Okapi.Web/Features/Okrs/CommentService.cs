using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public sealed record CommentFilter(Guid? Objective, Guid? KeyResult, Guid? CheckIn = null);

/// <summary>
/// Comments on objectives, key results and check-ins, in threads (a reply names its parent), with @mentions that
/// notify the people they name; for the API and the pages alike.
/// </summary>
public sealed class CommentService(OkapiDbContext db, Caller caller, MentionNotifier mentions, Outbox outbox, InboxWriter inbox)
{
    public async Task<Page<CommentDto>> ListAsync(CommentFilter filter, PageRequest page, CancellationToken ct)
    {
        var visible = caller.Visible(db.Objectives);
        var query = db.Comments.AsNoTracking().Where(c => visible.Any(o => o.Id == c.ObjectiveId));
        if (filter.Objective is { } o) query = query.Where(c => c.ObjectiveId == o);
        if (filter.KeyResult is { } k) query = query.Where(c => c.KeyResultId == k);
        if (filter.CheckIn is { } checkIn) query = query.Where(c => c.CheckInId == checkIn);
        var (items, total) = await page.ApplyAsync(query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id), ct);
        return new Page<CommentDto>(await ToDtosAsync(items, ct), page.Number, page.Size, total);
    }

    public async Task<Outcome<CommentDto>> GetAsync(Guid id, CancellationToken ct) =>
        await FindAsync(id, ct) is { } comment ? await ToDtoAsync(comment, ct) : Failure.NotFound;

    public async Task<Outcome<CommentDto>> CreateAsync(CommentRequest request, CancellationToken ct)
    {
        var objective = await db.ObjectiveToAddToAsync(caller, request.ObjectiveId, _ => caller.CanWrite, "Viewers read; members and admins comment.", ct);
        if (objective.Failure is { } refused)
        {
            return refused;
        }

        var errors = new Comment { ObjectiveId = request.ObjectiveId, Body = request.Body }.Validate();
        if (request.KeyResultId is { } kr && !await db.KeyResults.AnyAsync(k => k.Id == kr && k.ObjectiveId == request.ObjectiveId, ct))
        {
            errors.Add("keyResultId", "The key result does not exist in this objective.");
        }

        // A comment on a check-in is also about the check-in's key result, which must be in this objective.
        var keyResultId = request.KeyResultId;
        if (request.CheckInId is { } checkInId)
        {
            var ofCheckIn = await db.CheckIns.AsNoTracking().Where(c => c.Id == checkInId)
                .Join(db.KeyResults, c => c.KeyResultId, k => k.Id, (c, k) => new { k.Id, k.ObjectiveId }).FirstOrDefaultAsync(ct);
            if (ofCheckIn is null || ofCheckIn.ObjectiveId != request.ObjectiveId || (keyResultId is not null && keyResultId != ofCheckIn.Id))
            {
                errors.Add("checkInId", "The check-in does not exist on this objective (or on the key result given).");
            }
            else
            {
                keyResultId = ofCheckIn.Id;
            }
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
            KeyResultId = keyResultId,
            ParentCommentId = request.ParentCommentId,
            CheckInId = request.CheckInId,
            AuthorId = caller.PersonId,
            Body = request.Body,
            MentionedPersonIds = await mentions.ResolveAsync(request.Body, ct),
        };
        db.Comments.Add(comment);
        await mentions.NotifyAsync(comment, objective.Value!, comment.MentionedPersonIds, caller.Name, ct);
        await db.SaveChangesAsync(ct);
        outbox.Wake();
        return await ToDtoAsync(comment, ct);
    }

    public async Task<Outcome<CommentDto>> UpdateAsync(Guid id, CommentUpdateRequest request, IfMatch expectedVersion, CancellationToken ct)
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

        comment.Body = request.Body;
        if (comment.Validate() is { IsValid: false } errors)
        {
            return Failure.Invalid(errors);
        }

        // Only the people this edit adds hear about it: nobody is told twice about one comment.
        var before = comment.MentionedPersonIds.ToList();
        var now = await mentions.ResolveAsync(request.Body, ct);
        comment.MentionedPersonIds = now;
        var objective = await db.Objectives.AsNoTracking().FirstAsync(o => o.Id == comment.ObjectiveId, ct);
        await mentions.NotifyAsync(comment, objective, Mentions.Added(before, now), caller.Name, ct);
        await db.SaveChangesAsync(ct);
        outbox.Wake();
        return await ToDtoAsync(comment, ct);
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid id, IfMatch expectedVersion, CancellationToken ct)
    {
        var comment = await FindAsync(id, ct, track: true);
        if (comment is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.Actor.MayDelete(comment), "Only the author or an admin deletes a comment.", db, comment, expectedVersion) is { } refused)
        {
            return refused;
        }

        // Replies go with the comment (cascade); so do the mentions waiting in inboxes.
        var thread = await db.Comments.Where(c => c.Id == id || c.ParentCommentId == id).Select(c => c.Id).ToListAsync(ct);
        foreach (var gone in thread)
        {
            await inbox.ResolveAsync(InboxItemKind.Mention, gone, null, ct);
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

    private async Task<CommentDto> ToDtoAsync(Comment comment, CancellationToken ct) => (await ToDtosAsync([comment], ct))[0];

    /// <summary>Comments with their HTML, in which mentions of people show their current names as links.</summary>
    private async Task<List<CommentDto>> ToDtosAsync(IReadOnlyList<Comment> comments, CancellationToken ct)
    {
        var mentioned = comments.SelectMany(c => c.MentionedPersonIds).Distinct().ToList();
        var people = mentioned.Count == 0 ? [] : await db.People.AsNoTracking().Where(p => mentioned.Contains(p.Id))
            .Select(p => new { p.Id, p.Name, p.Email }).ToListAsync(ct);
        var byId = people.ToDictionary(p => p.Id);
        var byEmail = people.GroupBy(p => p.Email.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First());
        return comments.Select(c =>
        {
            // Only people the comment resolved when it was written are links: a mention cannot name someone later.
            var markdown = Mentions.ToMarkdown(c.Body, m =>
                (m.PersonId is { } id ? byId.GetValueOrDefault(id) : byEmail.GetValueOrDefault(m.Email!)) is { } p && c.MentionedPersonIds.Contains(p.Id)
                    ? (p.Id, p.Name) : null);
            return new CommentDto(c.Id, c.ObjectiveId, c.KeyResultId, c.ParentCommentId, c.AuthorId, c.Body, SafeMarkdown.ToHtml(markdown), c.Version,
                c.CreatedAt, c.UpdatedAt, c.CheckInId, c.MentionedPersonIds);
        }).ToList();
    }
}
