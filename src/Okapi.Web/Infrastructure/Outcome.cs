using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;

namespace Okapi.Web.Infrastructure;

public enum FailureKind
{
    NotFound,
    Invalid,
    Forbidden,
    Conflict,
    Stale,
}

/// <summary>Why a feature service did not do what was asked; the API turns it into a problem detail, the UI into a message.</summary>
public sealed record Failure(FailureKind Kind, string Message, IDictionary<string, string[]>? Errors = null, int? CurrentVersion = null)
{
    public static readonly Failure NotFound = new(FailureKind.NotFound, "Not found.");

    public static Failure Invalid(ValidationErrors errors) => new(FailureKind.Invalid, "The input is not valid.", errors.ToDictionary());

    public static Failure Invalid(string field, string message) => Invalid(new ValidationErrors().Add(field, message));

    public static Failure Forbidden(string message) => new(FailureKind.Forbidden, message);

    public static Failure Conflict(string message) => new(FailureKind.Conflict, message);

    public static Failure Stale(IVersioned current) =>
        new(FailureKind.Stale, $"The resource was changed by someone else (now at version {current.Version}). Reload it and try again.", CurrentVersion: current.Version);

    /// <summary>
    /// The two checks before every change: may the caller make it (forbidden if not), and did they see the current
    /// version (stale if not). Null when the change may go ahead.
    /// </summary>
    public static Failure? Refuse(bool allowed, string whyNot, DbContext db, IVersioned entity, IfMatch expectedVersion) =>
        !allowed ? Forbidden(whyNot) : !ETags.Matches(db, entity, expectedVersion) ? Stale(entity) : null;

    /// <summary>The first message to show a person: the first validation error, or the message itself.</summary>
    public string Describe() => Errors?.FirstOrDefault() is { } first ? $"{first.Key}: {first.Value.FirstOrDefault()}" : Message;
}

/// <summary>Nothing to return but success.</summary>
public readonly record struct Done;

/// <summary>The result of a feature service call: a value or a <see cref="Failure"/>.</summary>
public readonly struct Outcome<T>
{
    private Outcome(T? value, Failure? failure) => (Value, Failure) = (value, failure);

    public T? Value { get; }
    public Failure? Failure { get; }
    public bool IsOk => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}

/// <summary>Turns outcomes into <see cref="Answer{TSuccess}"/>s, so that every feature answers successes and failures the same way.</summary>
public static class OutcomeResults
{
    public static Answer<Ok<T>> ToOk<T>(this Outcome<T> outcome, HttpContext http) => outcome.To(value =>
    {
        SetETag(http, value);
        return TypedResults.Ok(value);
    });

    public static Answer<Created<T>> ToCreated<T>(this Outcome<T> outcome, HttpContext http, Func<T, string> location) =>
        outcome.ToCreated(http, location, value => value);

    /// <summary>Created, answering with part of the value: when the new thing's address and the body differ.</summary>
    public static Answer<Created<TBody>> ToCreated<T, TBody>(this Outcome<T> outcome, HttpContext http, Func<T, string> location, Func<T, TBody> body) =>
        outcome.To(value =>
        {
            var created = body(value);
            SetETag(http, created);
            return TypedResults.Created(location(value), created);
        });

    public static Answer<NoContent> ToNoContent(this Outcome<Done> outcome) => outcome.To(_ => TypedResults.NoContent());

    /// <summary>Any other success (a file, an accepted request) with the same failures.</summary>
    public static Answer<TSuccess> To<T, TSuccess>(this Outcome<T> outcome, Func<T, TSuccess> success) where TSuccess : IResult =>
        outcome.IsOk ? new(success(outcome.Value!), null) : new(default, outcome.Failure);

    private static void SetETag<T>(HttpContext http, T value)
    {
        if (value is IHasVersion versioned)
        {
            ETags.Set(http, versioned.Version);
        }
    }
}

/// <summary>
/// A service's outcome on its way out of a handler. It converts to the typed results the handler declares, which
/// list only the failures its service can return, so that the OpenAPI document advertises no more: NotFound (404),
/// ValidationProblem (400) and ProblemHttpResult (forbidden 403, conflict 409, stale 412), in that order after the
/// success. A failure its union does not list means the service learnt a new failure and the handler was not told:
/// where the union has ProblemHttpResult it still answers as a problem detail with the failure's status; a union
/// without one cannot carry it, and that throws, naming the kind (the authorisation matrix calls every operation).
/// </summary>
public readonly struct Answer<TSuccess> where TSuccess : IResult
{
    private readonly TSuccess? success;
    private readonly Failure? failure;

    internal Answer(TSuccess? success, Failure? failure) => (this.success, this.failure) = (success, failure);

    public static implicit operator TSuccess(Answer<TSuccess> answer) =>
        answer.failure is null ? answer.success! : throw answer.Unlisted();

    public static implicit operator Results<TSuccess, NotFound>(Answer<TSuccess> answer) => answer.failure?.Kind switch
    {
        null => answer.success!,
        FailureKind.NotFound => TypedResults.NotFound(),
        _ => throw answer.Unlisted(),
    };

    public static implicit operator Results<TSuccess, ValidationProblem>(Answer<TSuccess> answer) => answer.failure?.Kind switch
    {
        null => answer.success!,
        FailureKind.Invalid => answer.Invalid(),
        _ => throw answer.Unlisted(),
    };

    public static implicit operator Results<TSuccess, ProblemHttpResult>(Answer<TSuccess> answer) => answer.failure?.Kind switch
    {
        null => answer.success!,
        _ => answer.Problem(),
    };

    public static implicit operator Results<TSuccess, NotFound, ValidationProblem>(Answer<TSuccess> answer) => answer.failure?.Kind switch
    {
        null => answer.success!,
        FailureKind.NotFound => TypedResults.NotFound(),
        FailureKind.Invalid => answer.Invalid(),
        _ => throw answer.Unlisted(),
    };

    public static implicit operator Results<TSuccess, NotFound, ProblemHttpResult>(Answer<TSuccess> answer) => answer.failure?.Kind switch
    {
        null => answer.success!,
        FailureKind.NotFound => TypedResults.NotFound(),
        _ => answer.Problem(),
    };

    public static implicit operator Results<TSuccess, ValidationProblem, ProblemHttpResult>(Answer<TSuccess> answer) => answer.failure?.Kind switch
    {
        null => answer.success!,
        FailureKind.Invalid => answer.Invalid(),
        _ => answer.Problem(),
    };

    public static implicit operator Results<TSuccess, NotFound, ValidationProblem, ProblemHttpResult>(Answer<TSuccess> answer) => answer.failure?.Kind switch
    {
        null => answer.success!,
        FailureKind.NotFound => TypedResults.NotFound(),
        FailureKind.Invalid => answer.Invalid(),
        _ => answer.Problem(),
    };

    private ValidationProblem Invalid() => TypedResults.ValidationProblem(failure!.Errors ?? new Dictionary<string, string[]>());

    private ProblemHttpResult Problem() => failure!.Kind switch
    {
        FailureKind.Forbidden => Problems.Forbidden(failure.Message),
        FailureKind.Conflict => Problems.Conflict(failure.Message),
        FailureKind.Stale => Problems.PreconditionFailed(failure.CurrentVersion!.Value),

        // A kind the union lists on its own never comes here. One it does not list is a mistake in the handler's
        // declaration, but the caller still gets the right status as a problem detail rather than a server error.
        FailureKind.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound),
        FailureKind.Invalid => TypedResults.Problem(new HttpValidationProblemDetails(failure.Errors ?? new Dictionary<string, string[]>())
        {
            Status = StatusCodes.Status400BadRequest,
        }),
        _ => throw Unlisted(),
    };

    private InvalidOperationException Unlisted() =>
        new($"The service answered {failure!.Kind}, which the endpoint's typed results do not list; add it to them.");
}

/// <summary>A representation that carries the row version its ETag is made from.</summary>
public interface IHasVersion
{
    int Version { get; }
}
