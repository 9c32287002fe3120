namespace Okapi.Web.Features.Reviews;

public static class ReviewsFeature
{
    /// <summary>Draft objectives sent to a team lead for review, acknowledged or sent back with a note.</summary>
    public static IServiceCollection AddOkapiReviews(this IServiceCollection services) => services.AddScoped<ReviewService>();
}
