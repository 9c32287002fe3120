namespace Okapi.Core.Okrs;

/// <summary>
/// The draft → review → active flow of an objective. A draft is quiet (it notifies only its owners); its owners send
/// it to a team lead for review, or activate it themselves when no review is pending (a review is an offer, not a gate).
/// The reviewer acknowledges (the objective becomes active) or requests changes (back to draft); the requester may
/// withdraw a pending request (back to draft). Each rule answers null when the step may go ahead, else why not.
/// </summary>
public static class ReviewFlow
{
    /// <summary>Drafts and objectives in review notify nobody but their owners (and the reviewer asked).</summary>
    public static bool IsQuiet(ObjectiveState state) => state is ObjectiveState.Draft or ObjectiveState.InReview;

    public static string? WhyNotRequest(ObjectiveState state) => state switch
    {
        ObjectiveState.Draft => null,
        ObjectiveState.InReview => "The objective is already in review; withdraw the pending request first.",
        ObjectiveState.Active => "The objective is already active; only drafts are sent for review.",
        _ => "The objective is closed; only drafts are sent for review.",
    };

    public static string? WhyNotActivate(ObjectiveState state) => state switch
    {
        ObjectiveState.Draft => null,
        ObjectiveState.InReview => "A review is pending: wait for the reviewer's answer or withdraw the request first.",
        ObjectiveState.Active => "The objective is already active.",
        _ => "The objective is closed.",
    };

    /// <summary>Whether a review can still be answered or withdrawn.</summary>
    public static string? WhyNotAnswer(ReviewState review, ObjectiveState objective) =>
        review != ReviewState.Requested ? $"The review was already {Describe(review)}."
        : objective != ObjectiveState.InReview ? "The objective is no longer in review."
        : null;

    /// <summary>Where the objective goes when a review ends this way.</summary>
    public static ObjectiveState After(ReviewState answer) => answer switch
    {
        ReviewState.Acknowledged => ObjectiveState.Active,
        ReviewState.ChangesRequested or ReviewState.Withdrawn => ObjectiveState.Draft,
        _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, "A review ends acknowledged, with changes requested, or withdrawn."),
    };

    /// <summary>
    /// A state set by editing the objective: review states move only through the review itself, so that no edit
    /// skips a pending review or fakes one.
    /// </summary>
    public static string? WhyNotEdit(ObjectiveState from, ObjectiveState to) =>
        from == to ? null
        : to == ObjectiveState.InReview ? "Send the objective for review to put it in review."
        : from == ObjectiveState.InReview ? "A review is pending: it is answered or withdrawn before the state changes."
        : null;

    public static string Describe(ReviewState state) => state switch
    {
        ReviewState.Requested => "requested",
        ReviewState.Acknowledged => "acknowledged",
        ReviewState.ChangesRequested => "answered with a request for changes",
        _ => "withdrawn",
    };
}
