using System.Data.Common;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

/// <summary>
/// Commits KPI values with group commit: the writes that arrive while a transaction runs are stored together in the
/// next one, so that a thousand single values cost one transaction, one read of their KPIs and one refresh of their
/// rollups rather than a thousand of each. Every write is answered only once its transaction has committed; a write
/// that fails is retried alone, so that it never takes others with it.
/// </summary>
public sealed class KpiWriter(IServiceScopeFactory scopes, LiveUpdates updates, OkapiInstruments instruments, ILogger<KpiWriter> logger) : IAsyncDisposable
{
    /// <summary>
    /// Rows per INSERT statement (4 parameters each), one prepared statement reused for every full batch. SQLite binds
    /// each parameter by name with a scan of the statement's names, so binding a multi-row statement grows with the
    /// square of its rows: one single-row upsert, prepared once and run for each row, is the fastest (on two cores,
    /// about 480,000 rows a second against 300,000 at 8 rows and 200,000 at 100). PostgreSQL gains from big ones.
    /// </summary>
    public const int SqliteBatchRows = 1;

    public const int PostgresBatchRows = 1000;

    /// <summary>Values per transaction: beyond a few requests' worth, a group would only hold the write lock longer.</summary>
    private const int MaxGroupValues = 100_000;

    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _starting = new();
    private Task? _loop;

    private long _committed;

    /// <summary>
    /// How many (KPI, instant) rows a write stored, and its KPIs as its transaction left them; of two writes, the one
    /// with the greater <paramref name="Sequence"/> committed later.
    /// </summary>
    public readonly record struct Written(int Stored, IReadOnlyCollection<StoredKpi> Kpis, long Sequence);

    private sealed record Write(Guid OrganisationId, IReadOnlyList<NewKpiValue> Values, TaskCompletionSource<Written> Done);

    /// <summary>
    /// Stores values of KPIs of one organisation, all or none, and completes once they are committed. A write that is
    /// queued is stored even if its caller stops waiting: the caller's token only ends the wait.
    /// </summary>
    public async Task<Written> WriteAsync(Guid organisationId, IReadOnlyList<NewKpiValue> values, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var write = new Write(organisationId, values, new TaskCompletionSource<Written>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(KpiWriter), "Okapi is stopping; the values were not stored.");
        }

        if (_loop is null)
        {
            lock (_starting)
            {
                _loop ??= StartLoop(RunAsync);
            }
        }

        return await write.Done.Task.WaitAsync(ct);
    }

    private async Task RunAsync()
    {
        var group = new List<Write>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            var values = 0;
            while (values < MaxGroupValues && _queue.Reader.TryRead(out var write))
            {
                group.Add(write);
                values += write.Values.Count;
            }

            await StoreAsync(group);
        }
    }

    private async Task StoreAsync(IReadOnlyList<Write> group)
    {
        try
        {
            var written = await StoreTogetherAsync(group);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Done.TrySetResult(written[i]);
            }
        }
        catch (Exception) when (group.Count > 1)
        {
            foreach (var write in group)
            {
                await StoreAsync([write]);
            }
        }
        catch (Exception e)
        {
            await StoreAloneAsync(group[0], e);
        }
    }

    /// <summary>
    /// A write that failed alone is tried again while its failure is a transient one (a deadlock or a serialisation
    /// failure PostgreSQL chose it for, SQLite busy); then it fails, and its caller gets the error.
    /// </summary>
    private async Task StoreAloneAsync(Write write, Exception failure)
    {
        for (var attempt = 1; attempt < MaxAttempts && failure is DbException { IsTransient: true }; attempt++)
        {
            logger.LogWarning(failure, "Storing values of {Count} KPIs failed transiently; trying again.", write.Values.Select(v => v.KpiId).Distinct().Count());
            try
            {
                write.Done.TrySetResult((await StoreTogetherAsync([write]))[0]);
                return;
            }
            catch (Exception e)
            {
                failure = e;
            }
        }

        logger.LogError(failure, "Storing values of {Count} KPIs failed.", write.Values.Select(v => v.KpiId).Distinct().Count());
        write.Done.TrySetException(failure);
    }

    /// <summary>Tries of a write that fails transiently.</summary>
    private const int MaxAttempts = 3;

    private async Task<Written[]> StoreTogetherAsync(IReadOnlyList<Write> group)
    {
        var ct = CancellationToken.None;
        var started = Stopwatch.GetTimestamp();
        using var activity = OkapiInstruments.Activities.StartActivity("okapi.ingestion.commit");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        var cache = scope.ServiceProvider.GetRequiredService<CallerCache>();

        // Each organisation's rows by KPI, in the order they arrived; a write stores all of its organisation's KPIs.
        var organisations = new Dictionary<Guid, Dictionary<Guid, List<Row>>>();
        var arrival = 0;
        foreach (var write in group)
        {
            if (!organisations.TryGetValue(write.OrganisationId, out var byKpi))
            {
                organisations[write.OrganisationId] = byKpi = [];
            }

            foreach (var value in write.Values)
            {
                if (!byKpi.TryGetValue(value.KpiId, out var rows))
                {
                    byKpi[value.KpiId] = rows = [];
                }

                rows.Add(new Row(value.At.Ticks, value.Value, value.Source, arrival++));
            }
        }

        var sqlite = db.Database.IsSqlite();
        var stored = new Dictionary<Guid, StoredKpi>();
        var series = new Dictionary<Guid, List<Row>>();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (!sqlite)
            {
                await LockKpisAsync(db, organisations.Values.SelectMany(byKpi => byKpi.Keys).Order().ToList(), ct);
            }

            // Read under the write lock (SQLite's, or the KPIs' row locks on PostgreSQL), so that the newest instant a
            // concurrent batch committed is seen; a KPI of another organisation fails the write.
            var kpis = new Dictionary<Guid, Kpi>();
            foreach (var (organisationId, byKpi) in organisations)
            {
                db.OrganisationId = organisationId;
                var known = await KpiRollups.KpisAsync(db, byKpi.Keys.Order().ToList(), ct);
                if (known.Count != byKpi.Count)
                {
                    throw new KpiGoneException(byKpi.Keys.Except(known.Select(k => k.Id)).ToList());
                }

                known.ForEach(k => kpis[k.Id] = k);
            }

            foreach (var byKpi in organisations.Values)
            {
                foreach (var (id, rows) in byKpi)
                {
                    series[id] = Settle(rows);
                }
            }

            await InsertAsync(db, sqlite, kpis.Values.OrderBy(k => k.Number).Select(k => (k.Number, series[k.Id])).ToList(), ct);

            // The rollups follow in the same transaction: the days the values went into, then each KPI's current figures.
            foreach (var (organisationId, byKpi) in organisations)
            {
                db.OrganisationId = organisationId;
                var calendar = await db.CalendarAsync(cache, ct);
                var ids = byKpi.Keys.Order().ToList();
                var readings = ids.ToDictionary(id => id, id => series[id].Select(r => r.Reading).ToList());
                var appended = new List<KpiDay>();
                var touched = new List<(Guid, long, DateOnly)>();
                foreach (var id in ids)
                {
                    var kpi = kpis[id];
                    if (kpi.LatestAt is not { } latest || readings[id][0].At.UtcDateTime > latest)
                    {
                        appended.AddRange(calendar.Days(readings[id]).Select(d => d with { KpiId = id }));
                    }
                    else
                    {
                        touched.AddRange(calendar.Days(readings[id]).Select(d => (id, kpi.Number, d.Day)));
                    }
                }

                await KpiRollups.AppendDaysAsync(db, appended, ct);
                await KpiRollups.RefreshDaysAsync(db, touched, calendar, ct);
                var windows = await KpiRollups.KeepCurrentAsync(db, ids.Select(id => kpis[id]).ToList(), ids.ToDictionary(id => id, id => readings[id][^1]), calendar, ct);
                ids.ForEach(id => stored[id] = new StoredKpi(kpis[id], windows[id]));
            }

            await transaction.CommitAsync(ct);
        }

        var sequence = Interlocked.Increment(ref _committed);

        var rowCount = series.Values.Sum(rows => rows.Count);
        instruments.Committed(rowCount, Stopwatch.GetElapsedTime(started));
        activity?.SetTag("okapi.ingestion.values", rowCount);
        foreach (var (organisationId, byKpi) in organisations)
        {
            updates.Publish(new KpiChanged(organisationId, byKpi.Keys.ToHashSet()));
        }

        if (group.Count == 1)
        {
            return [new Written(rowCount, stored.Values.ToList(), sequence)];
        }

        return group.Select(write =>
        {
            var own = write.Values.Select(v => (v.KpiId, v.At.Ticks)).ToHashSet();
            return new Written(own.Count, own.Select(k => k.KpiId).Distinct().Select(id => stored[id]).ToList(), sequence);
        }).ToArray();
    }

    /// <summary>A value as the writer stores it: its instant in ticks (UTC), and its place in the order of arrival.</summary>
    private readonly record struct Row(long Ticks, double Value, KpiValueSource Source, int Arrival)
    {
        public KpiReading Reading => new(new DateTimeOffset(Ticks, TimeSpan.Zero), Value);
    }

    /// <summary>
    /// One KPI's rows by instant, one per instant, the later arrival winning: PostgreSQL refuses an upsert that touches
    /// a row twice. Rows mostly arrive in order already, and are then kept as they are.
    /// </summary>
    private static List<Row> Settle(List<Row> rows)
    {
        for (var i = 1; i < rows.Count; i++)
        {
            if (rows[i].Ticks <= rows[i - 1].Ticks)
            {
                rows.Sort(static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Arrival.CompareTo(b.Arrival));
                var unique = new List<Row>(rows.Count);
                foreach (var row in rows)
                {
                    if (unique.Count > 0 && unique[^1].Ticks == row.Ticks)
                    {
                        unique[^1] = row;
                    }
                    else
                    {
                        unique.Add(row);
                    }
                }

                return unique;
            }
        }

        return rows;
    }

    /// <summary>
    /// Makes PostgreSQL writers of the same KPIs wait for each other, in one lock order. A day is recomputed from the
    /// values committed when its statement starts; without the lock, two batches writing into one day at once would
    /// each recompute it without the other's values. SQLite has one writer at a time anyway.
    /// </summary>
    private static async Task LockKpisAsync(OkapiDbContext db, IReadOnlyList<Guid> kpiIds, CancellationToken ct)
    {
        using var factory = db.Database.GetDbConnection().CreateCommand();
        var ids = factory.CreateParameter();
        ids.ParameterName = "@ids";
        ids.Value = kpiIds.ToArray();
        await db.Database.ExecuteSqlRawAsync("SELECT 1 FROM \"Kpis\" WHERE \"Id\" = ANY(@ids) ORDER BY \"Id\" FOR UPDATE", [ids], ct);
    }

    /// <summary>
    /// The rows, KPI by KPI in the order of their numbers, through one prepared upsert of <see cref="SqliteBatchRows"/>
    /// or <see cref="PostgresBatchRows"/> rows; a value at a stored instant replaces it.
    /// </summary>
    private static async Task InsertAsync(OkapiDbContext db, bool sqlite, IReadOnlyList<(long Number, List<Row> Rows)> series, CancellationToken ct)
    {
        var batchRows = sqlite ? SqliteBatchRows : PostgresBatchRows;
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        // Boxed once per source rather than per row.
        var sources = Enum.GetValues<KpiValueSource>().Select(v => (object)(int)v).ToArray();
        var remaining = series.Sum(s => s.Rows.Count);
        DbCommand? full = null;
        try
        {
            DbCommand? command = null;
            var filled = 0;
            foreach (var (kpiNumber, rows) in series)
            {
                object number = kpiNumber;
                foreach (var row in rows)
                {
                    if (filled == 0)
                    {
                        var count = Math.Min(batchRows, remaining);
                        command = count == batchRows ? full ??= Prepare(connection, transaction, batchRows) : Prepare(connection, transaction, count);
                    }

                    var p = command!.Parameters;
                    p[4 * filled].Value = number;
                    p[(4 * filled) + 1].Value = row.Ticks;
                    p[(4 * filled) + 2].Value = row.Value;
                    p[(4 * filled) + 3].Value = sources[(int)row.Source];
                    remaining--;
                    if (++filled == p.Count / 4)
                    {
                        // Microsoft.Data.Sqlite runs every command synchronously: its async form only adds a task a row.
                        _ = sqlite ? command.ExecuteNonQuery() : await command.ExecuteNonQueryAsync(ct);
                        if (command != full)
                        {
                            await command.DisposeAsync();
                        }

                        filled = 0;
                    }
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
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("INSERT INTO \"KpiValues\" (\"KpiNumber\", \"At\", \"Value\", \"Source\") VALUES ", 40 * rows + 200);
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

        sql.Append(" ON CONFLICT (\"KpiNumber\", \"At\") DO UPDATE SET \"Value\" = excluded.\"Value\", \"Source\" = excluded.\"Source\"");
        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>
    /// Starts a loop that serves every request without the context of the one that happened to start it: no request's
    /// HttpContext, logging scope or trace may live on in work done for others.
    /// </summary>
    internal static Task StartLoop(Func<Task> loop)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(loop, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop;
        }
    }
}

/// <summary>
/// Values were written for KPIs that are not, or no longer, in the write's organisation: deleted since the request
/// looked them up (by another request, or on another instance within <see cref="KpiLookup.MaxAge"/>).
/// </summary>
public sealed class KpiGoneException(IReadOnlyList<Guid> kpiIds)
    : InvalidOperationException($"There is no KPI {string.Join(", ", kpiIds)} in the organisation any more.")
{
    public IReadOnlyList<Guid> KpiIds { get; } = kpiIds;
}

/// <summary>
/// Tells the <see cref="IKpiValueObserver"/>s of committed values. Writes committed while a pass runs are told
/// together in the next one, one pass per organisation: a rule or a key result that follows a KPI is evaluated once
/// for all the values that arrived meanwhile, so its cost does not grow with the rate of values. Each KPI is told as
/// the last committed of those writes left it.
/// </summary>
public sealed class KpiObservation(IServiceScopeFactory scopes, ILogger<KpiObservation> logger) : IAsyncDisposable
{
    private readonly Channel<Observed> _queue = Channel.CreateUnbounded<Observed>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _starting = new();
    private Task? _loop;

    private sealed record Observed(Guid OrganisationId, KpiWriter.Written Written, TaskCompletionSource Done);

    /// <summary>Completes once the observers have been told of the written KPIs; their failures are logged, never thrown.</summary>
    public async Task ObserveAsync(Guid organisationId, KpiWriter.Written written, CancellationToken ct)
    {
        var observed = new Observed(organisationId, written, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (written.Kpis.Count == 0 || !_queue.Writer.TryWrite(observed))
        {
            return;
        }

        if (_loop is null)
        {
            lock (_starting)
            {
                _loop ??= KpiWriter.StartLoop(RunAsync);
            }
        }

        await observed.Done.Task.WaitAsync(ct);
    }

    private async Task RunAsync()
    {
        var pass = new List<Observed>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            pass.Clear();
            while (_queue.Reader.TryRead(out var observed))
            {
                pass.Add(observed);
            }

            foreach (var organisation in pass.GroupBy(o => o.OrganisationId))
            {
                // Writers queue here in the order their answers arrive, not always the order they committed in.
                var newest = new Dictionary<Guid, StoredKpi>();
                foreach (var kpi in organisation.OrderBy(o => o.Written.Sequence).SelectMany(o => o.Written.Kpis))
                {
                    newest[kpi.Kpi.Id] = kpi;
                }

                await TellAsync(organisation.Key, newest.Values);
            }

            pass.ForEach(o => o.Done.TrySetResult());
        }
    }

    private async Task TellAsync(Guid organisationId, IReadOnlyCollection<StoredKpi> kpis)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<OkapiDbContext>().OrganisationId = organisationId;
            foreach (var observer in scope.ServiceProvider.GetServices<IKpiValueObserver>())
            {
                try
                {
                    await observer.OnValuesStoredAsync(kpis, CancellationToken.None);
                }
                catch (Exception e)
                {
                    // The values are committed and their writers told so; an observer's failure must not undo that answer.
                    logger.LogError(e, "{Observer} failed after values of {Count} KPIs were stored.", observer.GetType().Name, kpis.Count);
                }
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Observers of values of {Count} KPIs could not run.", kpis.Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop;
        }
    }
}
