using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Core.Okrs;
using Okapi.Core.Rhythm;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Reviews;

/// <summary>The review of draft objectives: draft → review → active.</summary>
public static class ReviewsApi
{
    public static RouteGroupBuilder MapReviewsApi(this RouteGroupBuilder api)
    {
        var reviews = api.MapGroup("/reviews").WithTags("Reviews");
        reviews.MapGet("/", ListReviews).WithSummary("Reviews of objectives the caller may see: reviewer=me lists those asked of me.").WithDescription("Only reviews of objectives the caller may see; filter by reviewer (an id, or me), objective and state. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        reviews.MapGet("/{id:guid}", GetReview).WithSummary("Get a review by id.").WithDescription("404 when the review's objective is not visible to the caller.");
        reviews.MapPost("/{id:guid}/acknowledge", Acknowledge).WithSummary("The reviewer acknowledges the objective, which becomes active; the note is kept.").WithDescription("Only the reviewer asked (403 otherwise); 409 when the review was already answered or withdrawn.").ProducesProblem(StatusCodes.Status409Conflict);
        reviews.MapPost("/{id:guid}/request-changes", RequestChanges).WithSummary("The reviewer sends the objective back to draft with a note (required).").WithDescription("Only the reviewer asked (403 otherwise); 409 when the review was already answered or withdrawn.").ProducesProblem(StatusCodes.Status409Conflict);
        reviews.MapPost("/{id:guid}/withdraw", Withdraw).WithSummary("The requester takes a pending review back; the objective is a draft again.").WithDescription("Only the person who asked for the review or an admin (403 otherwise); 409 when the review was already answered or withdrawn.").ProducesProblem(StatusCodes.Status409Conflict);

        var objectives = api.MapGroup("/objectives").WithTags("Reviews");
        objectives.MapGet("/{id:guid}/reviewers", Reviewers).WithSummary("Who may review this objective: leads of its owner team or of its owner's teams, and admins.").WithDescription("Never the caller, and only people who may see the objective; 404 when the objective is not visible.");
        objectives.MapPost("/{id:guid}/review", RequestReview).WithSummary("Send a draft objective for review to a team lead; it is in review until answered or withdrawn.").WithDescription("Only the objective's owners and admins (403); 409 unless the objective is a draft; the reviewer must be one of its reviewers.").ProducesProblem(StatusCodes.Status409Conflict);
        objectives.MapPost("/{id:guid}/activate", Activate).WithSummary("Activate a draft objective directly, without a review (not while a review is pending).").WithDescription("Only the objective's owners and admins (403); 409 unless the objective is a draft with no pending review.").ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<Ok<Page<ReviewDto>>, ValidationProblem>> ListReviews(ReviewService reviews, [AsParameters] ReviewFilter filter, [AsParameters] PageRequest page, HttpContext http, CancellationToken ct) =>
        (await reviews.ListAsync(filter, page, ct)).ToOk(http);

    public static async Task<Results<Ok<ReviewDto>, NotFound>> GetReview(Guid id, ReviewService reviews, HttpContext http, CancellationToken ct) =>
        (await reviews.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Ok<List<ReviewerDto>>, NotFound>> Reviewers(Guid id, ReviewService reviews, HttpContext http, CancellationToken ct) =>
        (await reviews.ReviewersAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<ReviewDto>, NotFound, ValidationProblem, ProblemHttpResult>> RequestReview(Guid id, ReviewRequest request, ReviewService reviews, HttpContext http, CancellationToken ct) =>
        (await reviews.RequestAsync(id, request, ct)).ToCreated(http, r => $"/api/v1/reviews/{r.Id}");

    public static async Task<Results<Ok<ReviewDto>, NotFound, ValidationProblem, ProblemHttpResult>> Acknowledge(Guid id, ReviewAnswerRequest request, ReviewService reviews, HttpContext http, CancellationToken ct) =>
        (await reviews.AcknowledgeAsync(id, request, ct)).ToOk(http);

    public static async Task<Results<Ok<ReviewDto>, NotFound, ValidationProblem, ProblemHttpResult>> RequestChanges(Guid id, ReviewAnswerRequest request, ReviewService reviews, HttpContext http, CancellationToken ct) =>
        (await reviews.RequestChangesAsync(id, request, ct)).ToOk(http);

    public static async Task<Results<Ok<ReviewDto>, NotFound, ValidationProblem, ProblemHttpResult>> Withdraw(Guid id, ReviewService reviews, HttpContext http, CancellationToken ct) =>
        (await reviews.WithdrawAsync(id, ct)).ToOk(http);

    public static async Task<Results<Ok<ObjectiveDto>, NotFound, ProblemHttpResult>> Activate(Guid id, ReviewService reviews, HttpContext http, CancellationToken ct) =>
        (await reviews.ActivateAsync(id, ct)).ToOk(http);
}
