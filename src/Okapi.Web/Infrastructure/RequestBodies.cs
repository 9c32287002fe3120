using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// What a request body must declare before an endpoint reads it: a media type the endpoint accepts and, when a charset
/// is named, UTF-8. Okapi reads every body as UTF-8 (RFC 8259 requires it of JSON), so another charset could only be
/// misread; an unknown one made the JSON reader throw. Endpoints that read their body by hand (bulk values, uploads,
/// imports) are held to the types their <see cref="IAcceptsMetadata"/> lists, as bound bodies already are.
/// </summary>
public static class RequestBodies
{
    public const string UnsupportedTitle = "The request body's media type is not supported.";

    public static IApplicationBuilder UseOkapiRequestBodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Refusal(context) is { } detail)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status415UnsupportedMediaType, Title = UnsupportedTitle, Detail = detail },
            });
            return;
        }

        await next(context);
    });

    /// <summary>Why the body cannot be read, or null when it can (or there is none).</summary>
    public static string? Refusal(HttpContext context)
    {
        var request = context.Request;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true && request.ContentLength is not > 0 &&
            !request.Headers.ContainsKey(HeaderNames.TransferEncoding))
        {
            return null;
        }

        var accepts = context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>();
        var header = request.ContentType;
        if (string.IsNullOrWhiteSpace(header))
        {
            return accepts is { ContentTypes.Count: > 0 }
                ? $"Name the body's media type in Content-Type: {string.Join(", ", accepts.ContentTypes)}."
                : null;
        }

        if (!MediaTypeHeaderValue.TryParse(header, out var type) || type.MediaType.Value is not { } mediaType)
        {
            return $"The Content-Type '{header}' is not a media type.";
        }

        if (type.Charset.HasValue && !IsUtf8(type.Charset.Value!))
        {
            return $"The charset '{type.Charset}' is not supported: send the body as UTF-8 (charset=utf-8, or no charset).";
        }

        return accepts is { ContentTypes.Count: > 0 } && !accepts.ContentTypes.Any(accepted => Matches(accepted, mediaType))
            ? $"The Content-Type '{mediaType}' is not accepted here: send {string.Join(", ", accepts.ContentTypes)}."
            : null;
    }

    private static bool IsUtf8(string charset)
    {
        // Resolved as .NET resolves names, unquoted, so that what passes here the framework's JSON reader can read too:
        // UTF-8 by any of its names, and ASCII, a subset of it.
        return charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || TryEncoding(charset) is UTF8Encoding or ASCIIEncoding;
    }

    private static Encoding? TryEncoding(string name)
    {
        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    // A JSON endpoint reads application/*+json as well, as the framework's own body binding does.
    private static bool Matches(string accepted, string mediaType)
    {
        if (accepted.Equals(mediaType, StringComparison.OrdinalIgnoreCase) || accepted is "*/*")
        {
            return true;
        }

        return accepted.Equals("application/json", StringComparison.OrdinalIgnoreCase) &&
            mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) &&
            mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
