using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Okapi.Web.Infrastructure;

/// <summary>Turns every exception that reaches the pipeline into an RFC 9457 problem detail.</summary>
internal sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } =>
                (StatusCodes.Status400BadRequest, "The request body is not valid JSON for this resource.", json.Message),
            BadHttpRequestException bad => (bad.StatusCode, "The request is not valid.", bad.Message),
            JsonException json => (StatusCodes.Status400BadRequest, "The request body is not valid JSON for this resource.", json.Message),
            // What the form and multipart readers throw for a body that breaks its own framing: no boundary, a
            // section cut short, more sections or a longer body than the form limits allow.
            InvalidDataException form => (StatusCodes.Status400BadRequest, "The request body is malformed.", form.Message),
            DbUpdateConcurrencyException => (StatusCodes.Status412PreconditionFailed,
                "The resource was changed by someone else.", "Fetch it again and retry with its current ETag."),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed the request.", null),
            _ when Transient(exception) => (StatusCodes.Status503ServiceUnavailable, "The database is busy.",
                "Nothing was changed; try again in a moment."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred.", null),
        };

        if (status >= 500)
        {
            log.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
        }

        var field = status == StatusCodes.Status400BadRequest ? Field(exception) : null;
        if (field is not null)
        {
            detail = $"{field.Value.Name}: {field.Value.Message}";
        }

        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = field is { } invalid
                ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [invalid.Name] = [invalid.Message] }) { Status = status, Title = title, Detail = detail }
                : new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>
    /// The field a malformed request names, by its JSON name, with what is wrong with it in the client's terms: the
    /// serializer and the parameter binder name .NET types ("could not be converted to Okapi.Core.Visibility",
    /// "Failed to bind parameter \"Nullable&lt;EnumQuery&lt;ObjectiveState&gt;&gt; State\""), which mean nothing to a client.
    /// </summary>
    private static (string Name, string Message)? Field(Exception exception)
    {
        if ((exception as JsonException ?? exception.InnerException as JsonException) is { Path: { Length: > 1 } path } json)
        {
            var name = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path[1..];
            var message = json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
                ? "The value is not of this field's type."
                : json.Message;
            return (name, message);
        }

        if (exception is BadHttpRequestException bad && FailedBinding().Match(bad.Message) is { Success: true } binding)
        {
            return (JsonNamingPolicy.CamelCase.ConvertName(binding.Groups["name"].Value), $"'{binding.Groups["value"].Value}' is not a valid value.");
        }

        return null;
    }

    [GeneratedRegex("""^Failed to bind parameter ".* (?<name>\w+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex FailedBinding();

    /// <summary>
    /// A failure the database says may pass (no connection free in time, too many clients, a deadlock victim): the
    /// transaction was rolled back, so the request changed nothing and may be sent again.
    /// </summary>
    private static bool Transient(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
