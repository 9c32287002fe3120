using Microsoft.EntityFrameworkCore;
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
}

/// <summary>Entity tags from row versions, and the If-Match precondition that prevents lost updates.</summary>
public static class ETags
{
    public static void Set(HttpContext context, int version) => context.Response.Headers.ETag = $"\"{version}\"";

    /// <summary>
    /// The versions a request's If-Match accepts (RFC 9110 §13.1.1: <c>*</c> or a list of entity tags, any of which
    /// may match). A header that is not such a list is a bad request, never read as some version.
    /// </summary>
    public static IfMatch IfMatchVersion(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return IfMatch.Any;
        }

        return TryParseTags(header, out var versions)
            ? IfMatch.Of(versions)
            : throw new BadHttpRequestException(
                $"If-Match must be * or a comma-separated list of quoted entity tags such as \"3\"; got {header}.", StatusCodes.Status400BadRequest);
    }

    /// <summary>The versions named by a list of entity tags; a well-formed tag that is not a version names none.</summary>
    private static bool TryParseTags(string header, out List<int> versions)
    {
        versions = [];
        var tags = 0;
        var i = 0;
        while (i < header.Length)
        {
            if (header[i] is ' ' or '\t' or ',')
            {
                i++;
                continue;
            }

            // Our tags are strong; a weak one (W/"3") is read as the same version, as it always was here.
            if (string.CompareOrdinal(header, i, "W/", 0, 2) == 0)
            {
                i += 2;
            }

            if (i >= header.Length || header[i] != '"')
            {
                return false;
            }

            var end = header.IndexOf('"', i + 1);
            if (end < 0)
            {
                return false;
            }

            var tag = header.AsSpan(i + 1, end - i - 1);
            if (int.TryParse(tag, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }

            tags++;
            i = end + 1;
            while (i < header.Length && header[i] is ' ' or '\t')
            {
                i++;
            }

            if (i < header.Length && header[i] != ',')
            {
                return false;
            }
        }

        return tags > 0;
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
