using Microsoft.EntityFrameworkCore;
using Okapi.Core;

namespace Okapi.Web.Infrastructure;

/// <summary>Entity tags from row versions, and the If-Match precondition that prevents lost updates.</summary>
public static class ETags
{
    public static void Set(HttpContext context, int version) => context.Response.Headers.ETag = $"\"{version}\"";

    /// <summary>The version a request's If-Match names, or null when it names none (or any: <c>*</c>).</summary>
    public static int? IfMatchVersion(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }

        // An unparseable tag matches no version, so the write is refused rather than made blindly.
        var tag = header.Split(',')[0].Trim();
        tag = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
        return int.TryParse(tag.Trim('"'), out var version) ? version : -1;
    }

    /// <summary>
    /// True when no version is expected or the entity is at it. On a match, the expected version becomes the
    /// concurrency token, so a write that races past this check still fails.
    /// </summary>
    public static bool Matches(DbContext db, IVersioned entity, int? expectedVersion)
    {
        if (expectedVersion is not { } expected)
        {
            return true;
        }

        if (expected != entity.Version)
        {
            return false;
        }

        db.Entry(entity).Property(nameof(IVersioned.Version)).OriginalValue = expected;
        return true;
    }
}
