using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Okapi.Reference;

/// <summary>
/// Writes entities straight into their tables, bypassing the change tracker (and so the audit log): millions of rows
/// in minutes. Table and column names, and how each value is stored, come from the context's model, so a row reads
/// back exactly as one saved by EF Core. The context's connection must be open.
/// </summary>
public abstract class BulkWriter(DbContext db, TextWriter log)
{
    protected DbContext Db { get; } = db;

    public static BulkWriter For(DbContext db, TextWriter log) =>
        db.Database.GetDbConnection() is NpgsqlConnection ? new PostgresBulkWriter(db, log) : new SqliteBulkWriter(db, log);

    /// <summary>Writes <paramref name="rows"/> (streamed: they need not fit in memory) into the table of <typeparamref name="T"/>.</summary>
    public async Task<long> WriteAsync<T>(IEnumerable<T> rows, CancellationToken ct = default) where T : class
    {
        var entity = Db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not an entity of the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Select(p => new Column(p.GetColumnName(table)!, p.GetRelationalTypeMapping(), p.GetGetter(), p.IsNullable))
            .ToList();
        var stopwatch = Stopwatch.StartNew();
        var count = await WriteRowsAsync(table.Name, columns, rows, ct);
        await log.WriteLineAsync($"  {table.Name}: {count:N0} rows in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        return count;
    }

    /// <summary>Refreshes the planner's statistics once everything is written.</summary>
    public abstract Task AnalyzeAsync(CancellationToken ct = default);

    protected abstract Task<long> WriteRowsAsync<T>(string table, IReadOnlyList<Column> columns, IEnumerable<T> rows, CancellationToken ct) where T : class;

    protected sealed record Column(string Name, RelationalTypeMapping Mapping, IClrPropertyGetter Getter, bool Nullable)
    {
        /// <summary>The value as the provider stores it: after the property's converter (enums, ticks, JSON, UTC).</summary>
        public object? ProviderValue(object entity) =>
            Getter.GetClrValueUsingContainingEntity(entity) is { } value ? Mapping.Converter?.ConvertToProvider(value) ?? value : null;
    }
}

/// <summary>Prepared multi-row INSERTs in large transactions, with parameters made by each column's type mapping.</summary>
internal sealed class SqliteBulkWriter(DbContext db, TextWriter log) : BulkWriter(db, log)
{
    // SQLite finds a parameter by name with a linear scan, so a statement with thousands of them costs quadratically.
    private const int ParametersPerStatement = 40;
    private const int RowsPerTransaction = 200_000;

    protected override async Task<long> WriteRowsAsync<T>(string table, IReadOnlyList<Column> columns, IEnumerable<T> rows, CancellationToken ct)
    {
        var connection = Db.Database.GetDbConnection();
        var rowsPerStatement = Math.Max(1, ParametersPerStatement / columns.Count);
        var head = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES ";
        string Values(int count) => string.Join(", ", Enumerable.Range(0, count)
            .Select(r => $"({string.Join(", ", columns.Select((_, c) => $"@p{r * columns.Count + c}"))})"));

        long written = 0;
        var batch = new List<T>(rowsPerStatement);
        var transaction = await connection.BeginTransactionAsync(ct);
        await using var full = connection.CreateCommand();
        full.CommandText = head + Values(rowsPerStatement);
        try
        {
            foreach (var row in rows)
            {
                batch.Add(row);
                if (batch.Count == rowsPerStatement)
                {
                    await ExecuteAsync(full);
                    if (written % RowsPerTransaction < rowsPerStatement)
                    {
                        await transaction.CommitAsync(ct);
                        await transaction.DisposeAsync();
                        transaction = await connection.BeginTransactionAsync(ct);
                    }
                }
            }

            if (batch.Count > 0)
            {
                await using var rest = connection.CreateCommand();
                rest.CommandText = head + Values(batch.Count);
                await ExecuteAsync(rest);
            }

            await transaction.CommitAsync(ct);
        }
        finally
        {
            await transaction.DisposeAsync();
        }

        return written;

        async Task ExecuteAsync(DbCommand command)
        {
            command.Transaction = transaction;
            var index = 0;
            var made = command.Parameters.Count > 0;
            foreach (var row in batch)
            {
                foreach (var column in columns)
                {
                    // The mapping makes each parameter once (its type, and the value through the converter); later rows
                    // only change the value, converted the same way.
                    if (made)
                    {
                        command.Parameters[index++].Value = column.ProviderValue(row) ?? DBNull.Value;
                    }
                    else
                    {
                        var value = column.Getter.GetClrValueUsingContainingEntity(row);
                        command.Parameters.Add(column.Mapping.CreateParameter(command, $"@p{index++}", value, column.Nullable));
                    }
                }
            }

            await command.ExecuteNonQueryAsync(ct);
            written += batch.Count;
            batch.Clear();
        }
    }

    public override async Task AnalyzeAsync(CancellationToken ct = default)
    {
        await using var command = Db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "ANALYZE";
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Npgsql's binary COPY, with values converted by each column's type mapping.</summary>
internal sealed class PostgresBulkWriter(DbContext db, TextWriter log) : BulkWriter(db, log)
{
    protected override async Task<long> WriteRowsAsync<T>(string table, IReadOnlyList<Column> columns, IEnumerable<T> rows, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)Db.Database.GetDbConnection();
        var copy = $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
        long written = 0;
        await using (var importer = await connection.BeginBinaryImportAsync(copy, ct))
        {
            // Millions of rows in one COPY: the server may take longer than a command's timeout to take the last of them.
            importer.Timeout = TimeSpan.FromHours(1);
            // The synchronous calls only fill the importer's buffer; it goes out when full. Awaiting every value costs more
            // than writing it.
            foreach (var row in rows)
            {
                ct.ThrowIfCancellationRequested();
                importer.StartRow();
                foreach (var column in columns)
                {
                    if (column.ProviderValue(row) is { } value)
                    {
                        importer.Write(value);
                    }
                    else
                    {
                        importer.WriteNull();
                    }
                }

                written++;
            }

            await importer.CompleteAsync(ct);
        }

        return written;
    }

    public override async Task AnalyzeAsync(CancellationToken ct = default)
    {
        await using var command = ((NpgsqlConnection)Db.Database.GetDbConnection()).CreateCommand();
        command.CommandText = "ANALYZE";
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }
}
