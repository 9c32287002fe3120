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
    public static Failure? Refuse(bool allowed, string whyNot, DbContext db, IVersioned entity, int? expectedVersion) =>
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

/// <summary>Maps outcomes to the API's typed results, so that every feature answers failures the same way.</summary>
public static class OutcomeResults
{
    public static Results<Ok<T>, NotFound, ValidationProblem, ProblemHttpResult> ToOk<T>(this Outcome<T> outcome, HttpContext http)
    {
        if (outcome.IsOk)
        {
            SetETag(http, outcome.Value);
            return TypedResults.Ok(outcome.Value);
        }

        return ToProblem(outcome.Failure!) switch
        {
            NotFound n => n,
            ValidationProblem v => v,
            ProblemHttpResult p => p,
            _ => throw new InvalidOperationException(),
        };
    }

    public static Results<Created<T>, NotFound, ValidationProblem, ProblemHttpResult> ToCreated<T>(this Outcome<T> outcome, HttpContext http, Func<T, string> location) =>
        outcome.ToCreated(http, location, value => value);

    /// <summary>Created, answering with part of the value: when the new thing's address and the body differ.</summary>
    public static Results<Created<TBody>, NotFound, ValidationProblem, ProblemHttpResult> ToCreated<T, TBody>(this Outcome<T> outcome, HttpContext http, Func<T, string> location, Func<T, TBody> body)
    {
        if (outcome.IsOk)
        {
            var created = body(outcome.Value!);
            SetETag(http, created);
            return TypedResults.Created(location(outcome.Value!), created);
        }

        return ToProblem(outcome.Failure!) switch
        {
            NotFound n => n,
            ValidationProblem v => v,
            ProblemHttpResult p => p,
            _ => throw new InvalidOperationException(),
        };
    }

    public static Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult> ToNoContent(this Outcome<Done> outcome) =>
        outcome.IsOk
            ? TypedResults.NoContent()
            : ToProblem(outcome.Failure!) switch
            {
                NotFound n => n,
                ValidationProblem v => v,
                ProblemHttpResult p => p,
                _ => throw new InvalidOperationException(),
            };

    private static void SetETag<T>(HttpContext http, T value)
    {
        if (value is IHasVersion versioned)
        {
            ETags.Set(http, versioned.Version);
        }
    }

    private static IResult ToProblem(Failure failure) => failure.Kind switch
    {
        FailureKind.NotFound => TypedResults.NotFound(),
        FailureKind.Invalid => TypedResults.ValidationProblem(failure.Errors ?? new Dictionary<string, string[]>()),
        FailureKind.Forbidden => Problems.Forbidden(failure.Message),
        FailureKind.Conflict => Problems.Conflict(failure.Message),
        FailureKind.Stale => Problems.PreconditionFailed(failure.CurrentVersion!.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(failure)),
    };
}

/// <summary>A representation that carries the row version its ETag is made from.</summary>
public interface IHasVersion
{
    int Version { get; }
}
