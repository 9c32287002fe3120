using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

/// <summary>
/// Told after KPI values are committed, in the same DI scope (the database context points at the values'
/// organisation), so that alert rules and linked key results follow. Registered as scoped services.
/// </summary>
public interface IKpiValueObserver
{
    Task OnValuesStoredAsync(IReadOnlyCollection<Guid> kpiIds, CancellationToken ct);
}

/// <summary>
/// Stores validated values of KPIs of the context's organisation: one upsert per (KPI, instant), the KPIs' latest
/// value and rollups kept (<see cref="KpiRollups"/>), live pages told, then every <see cref="IKpiValueObserver"/>. The API, uploads and pull sources all
/// write through here.
/// </summary>
public sealed class KpiIngestion(OkapiDbContext db, LiveUpdates updates, IServiceProvider services, ILogger<KpiIngestion> logger)
{
    /// <summary>
    /// Rows per INSERT statement (4 parameters each), one prepared statement reused for every full batch. SQLite
    /// finds each parameter by name with a linear scan, so its statements stay small; PostgreSQL gains from big ones.
    /// </summary>
    public const int SqliteBatchRows = 128;

    public const int PostgresBatchRows = 1000;

    /// <summary>Stores the values in one transaction and returns how many were written (new or replaced).</summary>
    public async Task<int> StoreAsync(IReadOnlyList<KpiValue> values, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return 0;
        }

        // One row per (KPI, instant), the later in the input winning: PostgreSQL refuses an upsert that touches a row twice.
        var unique = new Dictionary<(Guid, long), KpiValue>(values.Count);
        var latest = new Dictionary<Guid, KpiValue>();
        foreach (var value in values)
        {
            unique[(value.KpiId, value.At.Ticks)] = value;
        }

        foreach (var value in unique.Values)
        {
            if (!latest.TryGetValue(value.KpiId, out var newest) || value.At >= newest.At)
            {
                latest[value.KpiId] = value;
            }
        }

        var kpiIds = latest.Keys.ToList();
        // In key order, so that concurrent writers to the same KPIs take PostgreSQL's row locks in one order and do not deadlock.
        var rows = unique.Values.OrderBy(v => v.KpiId).ThenBy(v => v.At).ToList();
        var sqlite = db.Database.IsSqlite();
        var batchRows = sqlite ? SqliteBatchRows : PostgresBatchRows;
        // Boxed once per KPI and source rather than per row. EF stores a Guid in SQLite as uppercase text, where
        // Microsoft.Data.Sqlite would bind a Guid as a blob that matches no row.
        var ids = kpiIds.ToDictionary(id => id, id => sqlite ? id.ToString().ToUpperInvariant() : (object)id);
        var sources = Enum.GetValues<KpiValueSource>().Select(v => (object)(int)v).ToArray();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (!sqlite)
            {
                await LockKpisAsync(kpiIds, ct);
            }

            var connection = db.Database.GetDbConnection();
            var dbTransaction = transaction.GetDbTransaction();
            DbCommand? full = null;
            try
            {
                for (var offset = 0; offset < rows.Count; offset += batchRows)
                {
                    var count = Math.Min(batchRows, rows.Count - offset);
                    DbCommand command;
                    if (count == batchRows)
                    {
                        full ??= await PrepareAsync(connection, dbTransaction, batchRows, ct);
                        command = full;
                    }
                    else
                    {
                        command = await PrepareAsync(connection, dbTransaction, count, ct);
                    }

                    var p = command.Parameters;
                    for (var i = 0; i < count; i++)
                    {
                        var row = rows[offset + i];
                        p[4 * i].Value = ids[row.KpiId];
                        p[(4 * i) + 1].Value = row.At.Ticks;
                        p[(4 * i) + 2].Value = row.Value;
                        p[(4 * i) + 3].Value = sources[(int)row.Source];
                    }

                    await command.ExecuteNonQueryAsync(ct);
                    if (command != full)
                    {
                        await command.DisposeAsync();
                    }
                }
            }
            finally
            {
                if (full is not null)
                {
                    await full.DisposeAsync();
                }
            }
            // Read under the write lock (SQLite's, or the KPIs' row locks on PostgreSQL), so that the newest instant a
            // concurrent batch committed is seen; the check rolls back values of KPIs of another organisation.
            var known = await KpiRollups.RowsAsync(db, kpiIds, ct);
            if (known.Count != kpiIds.Count)
            {
                throw new ArgumentException("Values may only be stored for KPIs of the context's organisation.", nameof(values));
            }

            // The rollups follow in the same transaction: the days the batch touched, then each KPI's current figures.
            var calendar = await db.CalendarAsync(ct);
            var touched = TouchedDays(rows, calendar);
            await KpiRollups.RefreshDaysAsync(db, touched, calendar, ct);
            await KpiRollups.KeepCurrentAsync(db, known, latest, calendar, ct);

            await transaction.CommitAsync(ct);
        }

        updates.Publish(new KpiChanged(db.OrganisationId, kpiIds.ToHashSet()));
        foreach (var observer in services.GetServices<IKpiValueObserver>())
        {
            try
            {
                await observer.OnValuesStoredAsync(kpiIds, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The values are committed and the caller told so; an observer's failure must not undo that answer.
                logger.LogError(e, "{Observer} failed after values of {Count} KPIs were stored.", observer.GetType().Name, kpiIds.Count);
            }
        }

        return rows.Count;
    }

    /// <summary>
    /// Makes PostgreSQL writers of the same KPIs wait for each other, in one lock order. A day is recomputed from the
    /// values committed when its statement starts; without the lock, two batches writing into one day at once would
    /// each recompute it without the other's values. SQLite has one writer at a time anyway.
    /// </summary>
    private async Task LockKpisAsync(IReadOnlyCollection<Guid> kpiIds, CancellationToken ct)
    {
        using var factory = db.Database.GetDbConnection().CreateCommand();
        var ids = factory.CreateParameter();
        ids.ParameterName = "@ids";
        ids.Value = kpiIds.ToArray();
        await db.Database.ExecuteSqlRawAsync("SELECT 1 FROM \"Kpis\" WHERE \"Id\" = ANY(@ids) ORDER BY \"Id\" FOR UPDATE", [ids], ct);
    }

    /// <summary>
    /// The (KPI, local date) pairs of rows ordered by KPI and instant; the zone is consulted once per day rather
    /// than once per row, which matters at a million rows a request.
    /// </summary>
    private static List<(Guid KpiId, DateOnly Day)> TouchedDays(IReadOnlyList<KpiValue> rows, PeriodCalendar calendar)
    {
        var touched = new List<(Guid, DateOnly)>();
        var (kpiId, from, to) = (Guid.Empty, DateTime.MaxValue, DateTime.MinValue);
        foreach (var row in rows)
        {
            if (row.KpiId != kpiId || row.At < from || row.At >= to)
            {
                var day = calendar.PeriodStart(new DateTimeOffset(row.At), Cadence.Daily);
                (kpiId, from, to) = (row.KpiId, calendar.StartOf(day).UtcDateTime, calendar.StartOf(day.AddDays(1)).UtcDateTime);
                touched.Add((kpiId, day));
            }
        }

        return touched;
    }

    private static async Task<DbCommand> PrepareAsync(DbConnection connection, DbTransaction transaction, int rows, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("INSERT INTO \"KpiValues\" (\"KpiId\", \"At\", \"Value\", \"Source\") VALUES ", 40 * rows + 200);
        for (var i = 0; i < rows; i++)
        {
            sql.Append(i == 0 ? "" : ",").Append("(@k").Append(i).Append(",@a").Append(i).Append(",@v").Append(i).Append(",@s").Append(i).Append(')');
            foreach (var name in new[] { "@k", "@a", "@v", "@s" })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name + i;
                command.Parameters.Add(parameter);
            }
        }

        sql.Append(" ON CONFLICT (\"KpiId\", \"At\") DO UPDATE SET \"Value\" = excluded.\"Value\", \"Source\" = excluded.\"Source\"");
        command.CommandText = sql.ToString();
        return command;
    }
}
