using Microsoft.EntityFrameworkCore;
using Okapi.Core;

namespace Okapi.Web.Infrastructure;

/// <summary>Entity tags from row versions, and the If-Match precondition that prevents lost updates.</summary>
public static class ETags
{
    public static string For(IVersioned entity) => $"\"{entity.Version}\"";

    public static void Set(HttpContext context, IVersioned entity) =>
        context.Response.Headers.ETag = For(entity);

    /// <summary>
    /// True when the request has no If-Match or one that matches the entity's current version. On a match, the
    /// version the client saw becomes the concurrency token, so a write that races past this check still fails.
    /// </summary>
    public static bool Matches(HttpContext context, DbContext db, IVersioned entity)
    {
        var header = context.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
        {
            return true;
        }

        var tags = header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t);
        if (!tags.Contains(For(entity)))
        {
            return false;
        }

        db.Entry(entity).Property(nameof(IVersioned.Version)).OriginalValue = entity.Version;
        return true;
    }
}
