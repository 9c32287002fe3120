using Microsoft.AspNetCore.Http.HttpResults;

namespace Okapi.Web.Infrastructure;

/// <summary>The problem details Okapi answers with, in one place so that their titles stay consistent.</summary>
public static class Problems
{
    public const string ForbiddenTitle = "You may not do this.";

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: ForbiddenTitle, detail: detail, statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "The request conflicts with the current state.", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult PreconditionFailed(int currentVersion) => TypedResults.Problem(
        title: "The resource was changed by someone else.",
        detail: $"If-Match does not match the current ETag \"{currentVersion}\". Fetch it again and retry.",
        statusCode: StatusCodes.Status412PreconditionFailed);
}
