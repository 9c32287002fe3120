using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Okapi.Core;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// The versions an If-Match precondition accepts: any (no header, or <c>*</c>), or those its tags name. A tag that is
/// not one of ours names no version, so a write with only such tags is refused rather than made blindly.
/// </summary>
public readonly struct IfMatch
{
    private readonly int[]? versions;

    private IfMatch(int[] versions) => this.versions = versions;

    /// <summary>No precondition: the write is unconditional.</summary>
    public static IfMatch Any => default;

    public bool IsAny => versions is null;

    public bool Accepts(int version) => versions is null || versions.Contains(version);

    public static IfMatch Of(IEnumerable<int> versions) => new([.. versions]);

    /// <summary>The pages pass the version they showed, or null for none.</summary>
    public static implicit operator IfMatch(int? version) => version is { } v ? new([v]) : Any;

    /// <summary>
    /// Read from the request's If-Match header. A handler takes one as a parameter, which is also how the OpenAPI
    /// document knows the operation is conditional.
    /// </summary>
    public static ValueTask<IfMatch> BindAsync(HttpContext context) => ValueTask.FromResult(ETags.IfMatchVersion(context));
}

/// <summary>Entity tags from row versions, and the If-Match precondition that prevents lost updates.</summary>
public static class ETags
{
    public static void Set(HttpContext context, int version) => context.Response.Headers.ETag = $"\"{version}\"";

    /// <summary>
    /// Answers a GET whose response carries an ETag that the request's If-None-Match names (or <c>*</c>) with 304 Not
    /// Modified and no body, so that a client revalidating its copy does not download it again.
    /// </summary>
    public static TBuilder AnswerNotModified<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            return HttpMethods.IsGet(http.Request.Method) && NotModified(http.Request.Headers.IfNoneMatch, http.Response.Headers.ETag)
                ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
                : result;
        });

    // If-None-Match compares weakly (RFC 9110 §13.1.2): W/"3" matches "3". A header that is not a list of tags matches
    // nothing, so the full answer goes out.
    private static bool NotModified(StringValues ifNoneMatch, StringValues etag) =>
        ifNoneMatch.Count > 0 && EntityTagHeaderValue.TryParse(etag.ToString(), out var current) &&
        EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags) &&
        tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));

    /// <summary>
    /// The versions a request's If-Match accepts (RFC 9110 §13.1.1: <c>*</c> or a list of entity tags, any of which
    /// may match). A header that is not such a list is a bad request, never read as some version.
    /// </summary>
    public static IfMatch IfMatchVersion(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch;
        if (header.Count == 0 || string.IsNullOrWhiteSpace(header.ToString()))
        {
            return IfMatch.Any;
        }

        if (!EntityTagHeaderValue.TryParseStrictList(header, out var tags) || tags.Count == 0 || (tags.Count > 1 && tags.Contains(EntityTagHeaderValue.Any)))
        {
            throw new BadHttpRequestException(
                $"If-Match must be * or a comma-separated list of quoted entity tags such as \"3\"; got {header}.", StatusCodes.Status400BadRequest);
        }

        if (tags[0].Equals(EntityTagHeaderValue.Any))
        {
            return IfMatch.Any;
        }

        // Our tags are strong; a weak one (W/"3") is read as the same version, as it always was here. A well-formed tag
        // that is not a version names none.
        return IfMatch.Of(tags.Select(t => int.TryParse(t.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (int?)null)
            .OfType<int>());
    }

    /// <summary>
    /// True when no version is expected or the entity is at one of them. On a match, that version becomes the
    /// concurrency token, so a write that races past this check still fails.
    /// </summary>
    public static bool Matches(DbContext db, IVersioned entity, IfMatch expected)
    {
        if (expected.IsAny)
        {
            return true;
        }

        if (!expected.Accepts(entity.Version))
        {
            return false;
        }

        db.Entry(entity).Property(nameof(IVersioned.Version)).OriginalValue = entity.Version;
        return true;
    }
}
