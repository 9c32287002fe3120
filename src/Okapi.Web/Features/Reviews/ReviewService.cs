using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Access;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Reviews;

/// <summary>
/// Draft → review → active (the rules are <see cref="ReviewFlow"/>'s): sending a draft to a team lead, the lead's
/// acknowledgement or request for changes, withdrawing a request, and activating a draft directly; for the API and
/// the pages alike. Every step is in the audit log with its reason; the reviewer's answer stays on the review.
/// </summary>
public sealed class ReviewService(
    OkapiDbContext db, Caller caller, Outbox outbox, InboxWriter inbox, Audience audience, ObjectiveService objectives, OkrEvents events, TimeProvider clock)
{
    public const int MaxTextLength = 10_000;

    public async Task<Outcome<Page<ReviewDto>>> ListAsync(ReviewFilter filter, PageRequest page, CancellationToken ct)
    {
        var visible = caller.Visible(db.Objectives);
        var query = db.ObjectiveReviews.AsNoTracking().Where(r => visible.Any(o => o.Id == r.ObjectiveId));
        if (!string.IsNullOrWhiteSpace(filter.Reviewer))
        {
            if (string.Equals(filter.Reviewer, "me", StringComparison.OrdinalIgnoreCase))
            {
                query = query.Where(r => r.ReviewerId == caller.PersonId);
            }
            else if (Guid.TryParse(filter.Reviewer, out var reviewer))
            {
                query = query.Where(r => r.ReviewerId == reviewer);
            }
            else
            {
                return Failure.Invalid("reviewer", "Give \"me\" or a person's id.");
            }
        }

        if (filter.Objective is { } objective) query = query.Where(r => r.ObjectiveId == objective);
        if (filter.State?.Value is { } state) query = query.Where(r => r.State == state);
        var (items, total) = await page.ApplyAsync(query.OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id), ct);
        return new Page<ReviewDto>(await ToDtosAsync(items, ct), page.Number, page.Size, total);
    }

    public async Task<Outcome<ReviewDto>> GetAsync(Guid id, CancellationToken ct)
    {
        var review = await db.ObjectiveReviews.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        var objective = review is null ? null : await db.VisibleObjectiveAsync(caller, review.ObjectiveId, ct);
        return review is null || objective is null ? Failure.NotFound : ReviewDto.From(review, objective.Title, caller);
    }

    /// <summary>
    /// Who may review the objective: leads of its owner team and of the teams its owner person is in, and admins,
    /// as long as they may see it (a private objective is never sent to someone outside it); never the caller.
    /// </summary>
    public async Task<Outcome<List<ReviewerDto>>> ReviewersAsync(Guid objectiveId, CancellationToken ct)
    {
        var objective = await db.VisibleObjectiveAsync(caller, objectiveId, ct);
        return objective is null ? Failure.NotFound : await EligibleAsync(objective, ct);
    }

    public async Task<Outcome<ReviewDto>> RequestAsync(Guid objectiveId, ReviewRequest request, CancellationToken ct)
    {
        var objective = await db.Objectives.FirstOrDefaultAsync(o => o.Id == objectiveId, ct);
        if (objective is null || !caller.CanSee(objective))
        {
            return Failure.NotFound;
        }

        if (!caller.CanEdit(objective))
        {
            return Failure.Forbidden("Only the objective's owners and admins send it for review.");
        }

        if (ReviewFlow.WhyNotRequest(objective.State) is { } conflict)
        {
            return Failure.Conflict(conflict);
        }

        var errors = new ValidationErrors().Text(request.Message, "message", MaxTextLength, required: false);
        var reviewer = (await EligibleAsync(objective, ct)).FirstOrDefault(r => r.PersonId == request.ReviewerId);
        if (reviewer is null)
        {
            errors.Add("reviewerId", request.ReviewerId == caller.PersonId
                ? "Ask someone else: nobody reviews their own objective."
                : "The reviewer must be a lead of the owner team or of a team the owner is in, or an admin, and able to see the objective.");
        }

        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        var review = new ObjectiveReview
        {
            ObjectiveId = objective.Id,
            ReviewerId = reviewer!.PersonId,
            RequestedById = caller.PersonId,
            RequestedAt = clock.GetUtcNow().UtcDateTime,
            Message = string.IsNullOrWhiteSpace(request.Message) ? null : request.Message.Trim(),
        };
        db.ObjectiveReviews.Add(review);
        objective.State = ObjectiveState.InReview;
        var title = $"{caller.Name} asks you to review “{objective.Title}”";
        var link = $"/objectives/{objective.Id}";
        await inbox.AddAsync(review.ReviewerId, InboxItemKind.ReviewRequest, review.Id, title, review.Message, link, ct);
        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == review.ReviewerId, ct);
        outbox.QueueForPerson(person, NotificationEvent.ReviewRequested, title, review.Message ?? "Acknowledge it or request changes.", link, email: true);
        await events.ReviewRequestedAsync(objective, person, review.Message, ct);
        db.AuditReason = $"Sent for review to {person.Name}";
        return await SaveAsync(review, objective, ct);
    }

    public Task<Outcome<ReviewDto>> AcknowledgeAsync(Guid id, ReviewAnswerRequest request, CancellationToken ct) =>
        EndAsync(id, ReviewState.Acknowledged, request.Note, ct);

    public Task<Outcome<ReviewDto>> RequestChangesAsync(Guid id, ReviewAnswerRequest request, CancellationToken ct) =>
        EndAsync(id, ReviewState.ChangesRequested, request.Note, ct);

    public Task<Outcome<ReviewDto>> WithdrawAsync(Guid id, CancellationToken ct) => EndAsync(id, ReviewState.Withdrawn, null, ct);

    /// <summary>An owner activates a draft without a review; not while a review is pending (withdraw it first).</summary>
    public async Task<Outcome<ObjectiveDto>> ActivateAsync(Guid objectiveId, CancellationToken ct)
    {
        var objective = await db.Objectives.FirstOrDefaultAsync(o => o.Id == objectiveId, ct);
        if (objective is null || !caller.CanSee(objective))
        {
            return Failure.NotFound;
        }

        if (!caller.CanEdit(objective))
        {
            return Failure.Forbidden("Only the objective's owners and admins activate it.");
        }

        if (ReviewFlow.WhyNotActivate(objective.State) is { } conflict)
        {
            return Failure.Conflict(conflict);
        }

        objective.State = ObjectiveState.Active;
        db.AuditReason = "Activated without a review";
        await events.ActivatedAsync(objective, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("The objective changed meanwhile; reload it and try again.");
        }

        events.Wake();

        return (await objectives.ToDtosAsync([objective], ct))[0];
    }

    private async Task<Outcome<ReviewDto>> EndAsync(Guid id, ReviewState answer, string? note, CancellationToken ct)
    {
        var review = await db.ObjectiveReviews.FirstOrDefaultAsync(r => r.Id == id, ct);
        var objective = review is null ? null : await db.Objectives.FirstOrDefaultAsync(o => o.Id == review.ObjectiveId, ct);
        if (review is null || objective is null || !caller.CanSee(objective))
        {
            return Failure.NotFound;
        }

        var allowed = caller.CanWrite && (answer == ReviewState.Withdrawn
            ? review.RequestedById == caller.PersonId || caller.IsAdmin
            : review.ReviewerId == caller.PersonId);
        if (!allowed)
        {
            return Failure.Forbidden(answer == ReviewState.Withdrawn
                ? "Only the person who asked for the review (or an admin) withdraws it."
                : "Only the reviewer asked answers this review.");
        }

        if (ReviewFlow.WhyNotAnswer(review.State, objective.State) is { } conflict)
        {
            return Failure.Conflict(conflict);
        }

        var errors = new ValidationErrors().Text(note, "note", MaxTextLength, required: answer == ReviewState.ChangesRequested);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        review.State = answer;
        review.Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        review.AnsweredAt = clock.GetUtcNow().UtcDateTime;
        objective.State = ReviewFlow.After(answer);
        await inbox.ResolveAsync(InboxItemKind.ReviewRequest, review.Id, null, ct);
        var verb = answer switch
        {
            ReviewState.Acknowledged => "acknowledged",
            ReviewState.ChangesRequested => "requested changes to",
            _ => "withdrew the review of",
        };
        db.AuditReason = $"{caller.Name} {verb} the objective{(review.Note is null ? "" : ": " + review.Note)}";
        if (answer != ReviewState.Withdrawn && review.RequestedById is { } requester && requester != caller.PersonId &&
            await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == requester, ct) is { } person)
        {
            outbox.QueueForPerson(person, NotificationEvent.ReviewAnswered, $"{caller.Name} {verb} “{objective.Title}”",
                review.Note ?? (answer == ReviewState.Acknowledged ? "The objective is active." : "The objective is a draft again."), $"/objectives/{objective.Id}", email: true);
        }

        if (answer != ReviewState.Withdrawn)
        {
            await events.ReviewAnsweredAsync(objective, verb, review.Note, ct);
            if (objective.State == ObjectiveState.Active)
            {
                // An acknowledged review activates the objective: channels that hear activations hear this one too.
                await events.ActivatedAsync(objective, ct);
            }
        }

        return await SaveAsync(review, objective, ct);
    }

    private async Task<Outcome<ReviewDto>> SaveAsync(ObjectiveReview review, Objective objective, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone answered, withdrew or edited at the same moment: what they did stands.
            return Failure.Conflict("The review or its objective changed meanwhile; reload and try again.");
        }

        outbox.Wake();
        return ReviewDto.From(review, objective.Title, caller);
    }

    private async Task<List<ReviewerDto>> EligibleAsync(Objective objective, CancellationToken ct)
    {
        var ownerTeams = objective.OwnerPersonId is { } owner
            ? await db.TeamMemberships.AsNoTracking().Where(m => m.PersonId == owner).Select(m => m.TeamId).ToListAsync(ct)
            : [];
        if (objective.OwnerTeamId is { } team)
        {
            ownerTeams.Add(team);
        }

        var candidates = await db.People.AsNoTracking()
            .Where(Actor.MayReview<Person>(p => p.Role, p => db.TeamMemberships.Any(m => m.PersonId == p.Id && m.IsLead && ownerTeams.Contains(m.TeamId))))
            .Where(p => p.Id != caller.PersonId)
            .OrderBy(p => p.Name).Select(p => new ReviewerDto(p.Id, p.Name)).ToListAsync(ct);
        var seeing = await audience.WhoCanSeeAsync(objective, candidates.Select(c => c.PersonId).ToList(), ct);
        return candidates.Where(c => seeing.Contains(c.PersonId)).ToList();
    }

    /// <summary>Reviews with their objectives' titles.</summary>
    private async Task<List<ReviewDto>> ToDtosAsync(IReadOnlyList<ObjectiveReview> reviews, CancellationToken ct)
    {
        var ids = reviews.Select(r => r.ObjectiveId).Distinct().ToList();
        var titles = await db.Objectives.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Title, ct);
        return reviews.Select(r => ReviewDto.From(r, titles.GetValueOrDefault(r.ObjectiveId, ""), caller)).ToList();
    }
}
