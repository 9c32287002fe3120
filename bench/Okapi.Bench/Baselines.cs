using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Okapi.Bench;

/// <summary>
/// The bench's own HTTP listener: a bare Kestrel POST endpoint (the single-value baseline) and the webhook receiver
/// that timestamps each delivery on the same clock as the requests that caused it.
/// </summary>
public sealed class Listener : IAsyncDisposable
{
    private readonly WebApplication _app;

    public Channel<(long Timestamp, string Body)> Webhooks { get; } = Channel.CreateUnbounded<(long, string)>();
    public int Port { get; }

    private Listener(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public static async Task<Listener> StartAsync()
    {
        var port = OkapiProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var listener = new Listener(app, port);
        app.MapPost("/baseline", () => Results.Ok());
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            var received = Stopwatch.GetTimestamp();
            using var reader = new StreamReader(request.Body);
            listener.Webhooks.Writer.TryWrite((received, await reader.ReadToEndAsync()));
            return Results.Ok();
        });
        await app.StartAsync();
        return listener;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>
/// The same rows upserted straight into a fresh SQLite file with Okapi's KpiValues schema and pragmas: one
/// transaction, one prepared multi-row INSERT … ON CONFLICT DO UPDATE. The ceiling the API is compared with.
/// </summary>
public static class RawUpsert
{
    private const int RowsPerStatement = 100;

    public static double ValuesPerSecond(string file, IReadOnlyList<Guid> kpis, int valuesPerKpi, Func<int, int, (DateTime At, double Value)> row)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;");
        Execute(connection, """
            CREATE TABLE "Kpis" ("Id" TEXT NOT NULL CONSTRAINT "PK_Kpis" PRIMARY KEY);
            CREATE TABLE "KpiValues" (
                "KpiId" TEXT NOT NULL, "At" INTEGER NOT NULL, "Value" REAL NOT NULL, "Source" INTEGER NOT NULL,
                CONSTRAINT "PK_KpiValues" PRIMARY KEY ("KpiId", "At"),
                CONSTRAINT "FK_KpiValues_Kpis_KpiId" FOREIGN KEY ("KpiId") REFERENCES "Kpis" ("Id") ON DELETE CASCADE);
            """);
        // EF Core stores a Guid as upper-case text on SQLite; the same strings keep the index the same size.
        var ids = kpis.Select(k => k.ToString().ToUpperInvariant()).ToArray();
        foreach (var id in ids)
        {
            Execute(connection, $"INSERT INTO \"Kpis\" VALUES ('{id}')");
        }

        var stopwatch = Stopwatch.StartNew();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO \"KpiValues\" (\"KpiId\", \"At\", \"Value\", \"Source\") VALUES "
            + string.Join(", ", Enumerable.Range(0, RowsPerStatement).Select(i => $"($k{i}, $a{i}, $v{i}, 0)"))
            + " ON CONFLICT (\"KpiId\", \"At\") DO UPDATE SET \"Value\" = excluded.\"Value\", \"Source\" = excluded.\"Source\"";
        var parameters = Enumerable.Range(0, RowsPerStatement)
            .Select(i => (K: insert.Parameters.Add($"$k{i}", SqliteType.Text), A: insert.Parameters.Add($"$a{i}", SqliteType.Integer), V: insert.Parameters.Add($"$v{i}", SqliteType.Real)))
            .ToArray();
        insert.Prepare();
        var total = kpis.Count * valuesPerKpi;
        var filled = 0;
        // The same order as the API requests: instant by instant, every KPI at each instant.
        for (var instant = 0; instant < valuesPerKpi; instant++)
        {
            for (var k = 0; k < kpis.Count; k++)
            {
                var (at, value) = row(instant, k);
                parameters[filled].K.Value = ids[k];
                parameters[filled].A.Value = at.Ticks;
                parameters[filled].V.Value = value;
                if (++filled == RowsPerStatement)
                {
                    insert.ExecuteNonQuery();
                    filled = 0;
                }
            }
        }

        if (filled != 0)
        {
            throw new BenchFailure($"{total} rows are not a multiple of {RowsPerStatement}.");
        }

        transaction.Commit();
        return total / stopwatch.Elapsed.TotalSeconds;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
