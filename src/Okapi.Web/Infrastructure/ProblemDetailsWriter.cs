using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// Writes a problem detail whatever the request's Accept header names. The framework's own writer declines when Accept
/// names neither JSON nor a wildcard, and the error then goes out as plain text, an empty body, or a validation
/// problem without its status: a client that asked for XML or CSV must still be told what went wrong in the one format
/// Okapi's errors come in.
/// </summary>
internal sealed class ProblemDetailsWriter(IOptions<ProblemDetailsOptions> problems, IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var response = context.HttpContext.Response;
        var details = context.ProblemDetails;
        details.Status ??= response.StatusCode;
        details.Title ??= ReasonPhrases.GetReasonPhrase(details.Status.Value);
        problems.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(response.WriteAsJsonAsync(details, details.GetType(), json.Value.SerializerOptions, "application/problem+json"));
    }
}
