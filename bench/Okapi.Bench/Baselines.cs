using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Okapi.Data;

namespace Okapi.Bench;

/// <summary>
/// The bench's own HTTP listener: a bare Kestrel POST endpoint (the single-value baseline), a bare Kestrel GET endpoint
/// answering <see cref="GetAnswer"/> (the authenticated GET's baseline) and the webhook receiver that timestamps each
/// delivery on the same clock as the requests that caused it.
/// </summary>
public sealed class Listener : IAsyncDisposable
{
    private readonly WebApplication _app;

    public Channel<(long Timestamp, string Body)> Webhooks { get; } = Channel.CreateUnbounded<(long, string)>();
    public int Port { get; }

    /// <summary>The JSON that <c>GET /baseline</c> answers; the bench sets it to an answer of Okapi's own size.</summary>
    public byte[] GetAnswer { get; set; } = "{}"u8.ToArray();

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
        app.MapGet("/baseline", () => Results.Bytes(listener.GetAnswer, "application/json"));
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
/// The ceiling the API's bulk ingestion is compared with: the same rows, in the same order, upserted straight into a
/// table defined as Okapi's own "KpiValues" on the same store, the fastest plain way, in one transaction. The table's
/// definition, its foreign key and each KPI's key value are read from Okapi's database, so the baseline follows
/// Okapi's schema whatever the value table's key is.
/// </summary>
public static class RawUpsert
{
    public delegate (DateTime At, double Value) Row(int instant, int kpi);

    /// <summary>
    /// Runs of the upsert, of which the fastest is the baseline: on a shared machine one run of the same rows varied by
    /// a third (330,000 to 485,000 rows a second on SQLite), and the ceiling is what the store can do, not what it did once.
    /// </summary>
    public const int Runs = 3;

    public static async Task<double> ValuesPerSecondAsync(BenchDatabase database, IReadOnlyList<Guid> kpis, int valuesPerKpi, Row row)
    {
        var fastest = 0.0;
        for (var run = 1; run <= Runs; run++)
        {
            var rate = database.Provider == DatabaseProvider.Sqlite
                ? SqliteRawUpsert.ValuesPerSecond(database.ConnectionString, Path.Combine(database.DataFolder, $"raw-upsert-{run}.db"), kpis, valuesPerKpi, row)
                : await PostgresRawUpsert.ValuesPerSecondAsync(database.ConnectionString, kpis, valuesPerKpi, row);
            fastest = Math.Max(fastest, rate);
        }

        return fastest;
    }

    /// <summary>Each bench KPI's value of the foreign key's parent column, read from the parent table by the KPI's id.</summary>
    internal static object[] ParentKeys(DbConnection okapi, string parentTable, string parentColumn, IReadOnlyList<Guid> kpis)
    {
        using var command = okapi.CreateCommand();
        command.CommandText = $"SELECT \"Id\", {parentColumn} FROM {parentTable}";
        using var reader = command.ExecuteReader();
        var byId = new Dictionary<Guid, object>();
        while (reader.Read())
        {
            // SQLite keeps a Guid as text, PostgreSQL as uuid.
            byId[reader.GetValue(0) is Guid id ? id : Guid.Parse(reader.GetString(0))] = reader.GetValue(1);
        }

        return [.. kpis.Select(k => byId.TryGetValue(k, out var key) ? key : throw new BenchFailure($"KPI {k} is not in {parentTable}"))];
    }

    internal static List<T> Query<T>(DbConnection connection, string sql, Func<DbDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    internal static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        // A million rows may take longer than a command's default 30 s on a busy machine.
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    internal static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}

/// <summary>
/// SQLite: a fresh file beside Okapi's with Okapi's pragmas, "KpiValues" created from the <c>sql</c> Okapi's own
/// database holds for it (indexes included), and a minimal parent table holding the foreign key's column. One prepared
/// single-row INSERT … ON CONFLICT DO UPDATE run for each row, in one transaction: the fastest of 1 to 100 rows per
/// statement (about 480,000 rows a second on two cores against 200,000 at 100 rows, since Microsoft.Data.Sqlite binds
/// each parameter by a scan of the statement's parameter names).
/// </summary>
internal static class SqliteRawUpsert
{
    private const int RowsPerStatement = 1;

    public static double ValuesPerSecond(string okapiConnectionString, string file, IReadOnlyList<Guid> kpis, int valuesPerKpi, RawUpsert.Row row)
    {
        var (definition, foreignKey, parentType, conflictColumns, keys) = ReadSchema(okapiConnectionString, kpis);
        using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
        connection.Open();
        RawUpsert.Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;");
        var parentTable = RawUpsert.Quote(foreignKey.Table);
        var parentColumn = RawUpsert.Quote(foreignKey.To);
        RawUpsert.Execute(connection, $"CREATE TABLE {parentTable} ({parentColumn} {parentType} NOT NULL PRIMARY KEY)");
        using (var parent = connection.CreateCommand())
        {
            parent.CommandText = $"INSERT INTO {parentTable} VALUES ($key)";
            var parameter = parent.Parameters.AddWithValue("$key", keys[0]);
            foreach (var key in keys)
            {
                parameter.Value = key;
                parent.ExecuteNonQuery();
            }
        }

        definition.ForEach(sql => RawUpsert.Execute(connection, sql));

        var stopwatch = Stopwatch.StartNew();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO \"KpiValues\" ({RawUpsert.Quote(foreignKey.From)}, \"At\", \"Value\", \"Source\") VALUES "
            + string.Join(", ", Enumerable.Range(0, RowsPerStatement).Select(i => $"($k{i}, $a{i}, $v{i}, 0)"))
            + $" ON CONFLICT ({string.Join(", ", conflictColumns.Select(RawUpsert.Quote))}) DO UPDATE SET \"Value\" = excluded.\"Value\", \"Source\" = excluded.\"Source\"";
        var keyType = keys[0] is string ? SqliteType.Text : SqliteType.Integer;
        var parameters = Enumerable.Range(0, RowsPerStatement)
            .Select(i => (K: insert.Parameters.Add($"$k{i}", keyType), A: insert.Parameters.Add($"$a{i}", SqliteType.Integer), V: insert.Parameters.Add($"$v{i}", SqliteType.Real)))
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
                parameters[filled].K.Value = keys[k];
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

    private static (List<string> Definition, (string Table, string From, string To) ForeignKey, string ParentType, List<string> ConflictColumns, object[] Keys) ReadSchema(
        string okapiConnectionString, IReadOnlyList<Guid> kpis)
    {
        var readOnly = new SqliteConnectionStringBuilder(okapiConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var okapi = new SqliteConnection(readOnly.ConnectionString);
        okapi.Open();
        // The table first, then its indexes.
        var definition = RawUpsert.Query(okapi, "SELECT sql FROM sqlite_master WHERE tbl_name = 'KpiValues' AND sql IS NOT NULL ORDER BY type <> 'table'", r => r.GetString(0));
        if (definition.Count == 0)
        {
            throw new BenchFailure("Okapi's database has no \"KpiValues\" table");
        }

        var foreignKeys = RawUpsert.Query(okapi, "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('KpiValues')", r => (Table: r.GetString(0), From: r.GetString(1), To: r.GetString(2)));
        if (foreignKeys is not [var foreignKey])
        {
            throw new BenchFailure($"\"KpiValues\" has {foreignKeys.Count} foreign key columns in Okapi's database; the raw upsert knows one");
        }

        var parentType = RawUpsert.Query(okapi, $"SELECT type FROM pragma_table_info('{foreignKey.Table.Replace("'", "''", StringComparison.Ordinal)}') WHERE name = '{foreignKey.To.Replace("'", "''", StringComparison.Ordinal)}'", r => r.GetString(0)).Single();
        var conflictColumns = RawUpsert.Query(okapi, "SELECT name FROM pragma_table_info('KpiValues') WHERE pk > 0 ORDER BY pk", r => r.GetString(0));
        var keys = RawUpsert.ParentKeys(okapi, RawUpsert.Quote(foreignKey.Table), RawUpsert.Quote(foreignKey.To), kpis);
        return (definition, foreignKey, parentType, conflictColumns, keys);
    }
}

/// <summary>
/// PostgreSQL: <c>raw_values</c> created LIKE Okapi's "KpiValues" INCLUDING ALL in Okapi's own database, with the same
/// foreign key to Okapi's own parent table, dropped after. The rows go in by binary COPY into a temporary table and
/// one INSERT … SELECT … ON CONFLICT DO UPDATE: on 1,000,000 rows that was 6 % to 47 % faster (15 % in the median of
/// four runs) than prepared INSERT … SELECT FROM unnest(keys, instants, values) … ON CONFLICT statements of 10,000 rows.
/// </summary>
internal static class PostgresRawUpsert
{
    public static async Task<double> ValuesPerSecondAsync(string okapiConnectionString, IReadOnlyList<Guid> kpis, int valuesPerKpi, RawUpsert.Row row)
    {
        await using var connection = new NpgsqlConnection(okapiConnectionString);
        await connection.OpenAsync();
        var foreignKeys = RawUpsert.Query(connection, """
            SELECT pg_get_constraintdef(c.oid), child.attname, c.confrelid::regclass::text, parent.attname, format_type(parent.atttypid, parent.atttypmod)
            FROM pg_constraint c
            JOIN pg_attribute child ON child.attrelid = c.conrelid AND child.attnum = ANY (c.conkey)
            JOIN pg_attribute parent ON parent.attrelid = c.confrelid AND parent.attnum = c.confkey[array_position(c.conkey, child.attnum)]
            WHERE c.conrelid = '"KpiValues"'::regclass AND c.contype = 'f'
            """, r => (Definition: r.GetString(0), From: r.GetString(1), Table: r.GetString(2), To: r.GetString(3), Type: r.GetString(4)));
        if (foreignKeys is not [var foreignKey])
        {
            throw new BenchFailure($"\"KpiValues\" has {foreignKeys.Count} foreign key columns in Okapi's database; the raw upsert knows one");
        }

        var primaryKey = RawUpsert.Query(connection, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '\"KpiValues\"'::regclass AND contype = 'p'", r => r.GetString(0)).Single();
        var conflictColumns = primaryKey["PRIMARY KEY ".Length..];
        var keys = RawUpsert.ParentKeys(connection, foreignKey.Table, RawUpsert.Quote(foreignKey.To), kpis);
        RawUpsert.Execute(connection, $"""
            DROP TABLE IF EXISTS raw_values;
            CREATE TABLE raw_values (LIKE "KpiValues" INCLUDING ALL);
            ALTER TABLE raw_values ADD {foreignKey.Definition};
            """);
        try
        {
            var columns = $"{RawUpsert.Quote(foreignKey.From)}, \"At\", \"Value\", \"Source\"";
            var upsert = $"ON CONFLICT {conflictColumns} DO UPDATE SET \"Value\" = excluded.\"Value\", \"Source\" = excluded.\"Source\"";
            var stopwatch = Stopwatch.StartNew();
            var total = Copy(connection, columns, upsert, foreignKey.Type, keys, valuesPerKpi, row);
            return total / stopwatch.Elapsed.TotalSeconds;
        }
        finally
        {
            RawUpsert.Execute(connection, "DROP TABLE raw_values");
        }
    }

    private static long Copy(NpgsqlConnection connection, string columns, string upsert, string keyType, object[] keys, int valuesPerKpi, RawUpsert.Row row)
    {
        using var transaction = connection.BeginTransaction();
        RawUpsert.Execute(connection, "CREATE TEMP TABLE raw_stage (LIKE raw_values) ON COMMIT DROP");
        long total = 0;
        using (var copy = connection.BeginBinaryImport($"COPY raw_stage ({columns}) FROM STDIN (FORMAT BINARY)"))
        {
            copy.Timeout = TimeSpan.FromHours(1);
            for (var instant = 0; instant < valuesPerKpi; instant++)
            {
                for (var kpi = 0; kpi < keys.Length; kpi++)
                {
                    var (at, value) = row(instant, kpi);
                    copy.StartRow();
                    copy.Write(keys[kpi], keyType);
                    copy.Write(at.Ticks, NpgsqlDbType.Bigint);
                    copy.Write(value, NpgsqlDbType.Double);
                    copy.Write(0, NpgsqlDbType.Integer);
                    total++;
                }
            }

            copy.Complete();
        }

        RawUpsert.Execute(connection, $"INSERT INTO raw_values ({columns}) SELECT {columns} FROM raw_stage {upsert}");
        transaction.Commit();
        return total;
    }
}
