using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Okapi.Data;

/// <summary>
/// Sets SQLite's pragmas on every physical connection: write-ahead logging so readers never block the writer,
/// NORMAL synchronous (durable in WAL mode at a fraction of FULL's cost), a busy timeout so that concurrent writers
/// wait instead of failing, and foreign keys. They hold for the native connection's life, and Microsoft.Data.Sqlite
/// pools native connections, so a pooled open (the same handle again) skips them: four statements on every open were
/// a good part of a small request's cost.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;";

    // Native connections already set; shared by every context's interceptor, and weak, so that a native connection
    // the pool closes takes its entry with it.
    private static readonly ConditionalWeakTable<sqlite3, object> Prepared = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NotYetSet(connection) is { } handle)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            Prepared.AddOrUpdate(handle, Pragmas);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NotYetSet(connection) is { } handle)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            Prepared.AddOrUpdate(handle, Pragmas);
        }
    }

    // Marked only once the pragmas ran: a native connection whose pragmas failed gets them again on its next open.
    private static sqlite3? NotYetSet(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && !Prepared.TryGetValue(handle, out _) ? handle : null;
}
