using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Core;

namespace Okapi.Web.Infrastructure;

/// <summary>The problem details Okapi answers with, in one place so that their titles stay consistent.</summary>
public static class Problems
{
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(title: "You may not do this.", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "The request conflicts with the current state.", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult PreconditionFailed(IVersioned current) => TypedResults.Problem(
        title: "The resource was changed by someone else.",
        detail: $"If-Match does not match the current ETag {ETags.For(current)}. Fetch it again and retry.",
        statusCode: StatusCodes.Status412PreconditionFailed);

    /// <summary>
    /// The two checks before every change: may the caller make it (403 if not), and did they see the current
    /// version (412 if not). Null when the change may go ahead.
    /// </summary>
    public static ProblemHttpResult? RefuseChange(bool allowed, string whyNot, HttpContext http, Microsoft.EntityFrameworkCore.DbContext db, IVersioned entity) =>
        !allowed ? Forbidden(whyNot) : !ETags.Matches(http, db, entity) ? PreconditionFailed(entity) : null;

    /// <summary>A validation problem for one field, for rules that need the database (existence, loops).</summary>
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new ValidationErrors().Add(field, message).ToDictionary());
}
