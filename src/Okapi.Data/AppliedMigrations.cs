using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Okapi.Data;

public static class AppliedMigrations
{
    /// <summary>
    /// The migrations the database has applied that this build does not know, oldest first: a newer Okapi upgraded it.
    /// Empty for a database that does not exist yet or has applied only known migrations.
    /// </summary>
    public static async Task<IReadOnlyList<string>> UnknownAsync(OkapiDbContext db, CancellationToken ct)
    {
        if (!await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(ct))
        {
            return [];
        }

        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        return (await db.Database.GetAppliedMigrationsAsync(ct)).Where(m => !known.Contains(m)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Why Okapi does not run on a database a newer version upgraded.</summary>
    public static string Refusal(IReadOnlyList<string> unknown) =>
        $"Okapi does not start: the database has {unknown.Count} migration{(unknown.Count == 1 ? "" : "s")} applied that this version does not know " +
        $"({string.Join(", ", unknown)}). A newer Okapi upgraded it; run that version again, or restore a backup taken before the upgrade. " +
        "This version would misread or damage what it does not know.";
}
