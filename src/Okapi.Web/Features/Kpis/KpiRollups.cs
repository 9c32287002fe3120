using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Data;

namespace Okapi.Web.Features.Kpis;

/// <summary>
/// Keeps the rollups that let reads skip a KPI's raw values: one <see cref="KpiDay"/> per KPI and local date of the
/// organisation, and on the KPI row the figures of its current period (<see cref="Kpi.KeepCurrentPeriods"/>).
/// Ingestion refreshes what a batch touched; <see cref="RebuildAsync(OkapiDbContext, CancellationToken)"/> makes
/// them again from the values when the time zone changes, for databases from before the rollups, and for data
/// written into the database directly.
/// </summary>
public static class KpiRollups
{
    /// <summary>Days per refresh statement of a rebuild: a bounded parameter however long a KPI's history.</summary>
    private const int RebuildDaysPerStatement = 1000;

    /// <summary>
    /// Recomputes the summaries of the given (KPI, local date) pairs from the raw values, in one statement: a
    /// replaced, late or out-of-order value costs the same as a new one, and the cost follows the days touched.
    /// Runs in the context's current transaction, if any.
    /// </summary>
    public static async Task RefreshDaysAsync(OkapiDbContext db, IReadOnlyCollection<(Guid KpiId, long Number, DateOnly Day)> days, PeriodCalendar calendar, CancellationToken ct)
    {
        if (days.Count == 0)
        {
            return;
        }

        // In key order, so that concurrent writers take PostgreSQL's row locks in one order.
        var ordered = days.Distinct().OrderBy(d => d.KpiId).ThenBy(d => d.Day).ToList();
        var bounds = ordered.Select(d => (d.KpiId, d.Number, d.Day, From: calendar.StartOf(d.Day).UtcTicks, To: calendar.StartOf(d.Day.AddDays(1)).UtcTicks)).ToList();
        using var factory = db.Database.GetDbConnection().CreateCommand();
        if (db.Database.IsSqlite())
        {
            // EF stores a Guid as uppercase text and a DateOnly as yyyy-MM-dd in SQLite.
            var json = new StringBuilder(bounds.Count * 80).Append('[');
            foreach (var (kpiId, number, day, from, to) in bounds)
            {
                json.Append(json.Length > 1 ? ",[\"" : "[\"").Append(kpiId.ToString().ToUpperInvariant()).Append("\",")
                    .Append(number.ToString(CultureInfo.InvariantCulture)).Append(",\"")
                    .Append(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("\",")
                    .Append(from.ToString(CultureInfo.InvariantCulture)).Append(',').Append(to.ToString(CultureInfo.InvariantCulture)).Append(']');
            }

            json.Append(']');
            await db.Database.ExecuteSqlRawAsync(SqliteRefresh, [Parameter(factory, "@days", json.ToString())], ct);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync(PostgresRefresh,
            [
                Parameter(factory, "@k", bounds.Select(b => b.KpiId).ToArray()),
                Parameter(factory, "@n", bounds.Select(b => b.Number).ToArray()),
                Parameter(factory, "@d", bounds.Select(b => b.Day).ToArray()),
                Parameter(factory, "@f", bounds.Select(b => b.From).ToArray()),
                Parameter(factory, "@t", bounds.Select(b => b.To).ToArray()),
            ], ct);
        }
    }

    // The last value of a day is the one at the day's newest instant, joined back by the key. JOIN stands for the
    // provider's join: SQLite's planner, once it has statistics, may scan all values and probe the bounds for each;
    // CROSS JOIN makes it keep the bounds outside and seek each day's range in the key.
    private const string Aggregated = """
        a AS (
            SELECT b.k, b.n, b.d, COUNT(*) AS c, SUM(v."Value") AS s, MIN(v."Value") AS mn, MAX(v."Value") AS mx, MAX(v."At") AS la
            FROM b {JOIN} "KpiValues" v ON v."KpiNumber" = b.n AND v."At" >= b.f AND v."At" < b.t
            GROUP BY b.k, b.n, b.d)
        INSERT INTO "KpiDays" ("KpiId", "Day", "Count", "Sum", "Min", "Max", "LastAt", "LastValue")
        SELECT a.k, a.d, a.c, a.s, a.mn, a.mx, a.la, v."Value"
        FROM a {JOIN} "KpiValues" v ON v."KpiNumber" = a.n AND v."At" = a.la
        WHERE TRUE
        ORDER BY a.k, a.d
        ON CONFLICT ("KpiId", "Day") DO UPDATE SET "Count" = excluded."Count", "Sum" = excluded."Sum",
            "Min" = excluded."Min", "Max" = excluded."Max", "LastAt" = excluded."LastAt", "LastValue" = excluded."LastValue"
        """;

    private static readonly string SqliteRefresh = """
        WITH b AS (
            SELECT json_extract(j.value, '$[0]') AS k, json_extract(j.value, '$[1]') AS n, json_extract(j.value, '$[2]') AS d,
                json_extract(j.value, '$[3]') AS f, json_extract(j.value, '$[4]') AS t
            FROM json_each(@days) AS j),
        """ + Aggregated.Replace("{JOIN}", "CROSS JOIN", StringComparison.Ordinal);

    private static readonly string PostgresRefresh = """
        WITH b AS (SELECT * FROM unnest(@k, @n, @d, @f, @t) AS b(k, n, d, f, t)),
        """ + Aggregated.Replace("{JOIN}", "JOIN", StringComparison.Ordinal);

    private static DbParameter Parameter(DbCommand factory, string name, object value)
    {
        var parameter = factory.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        return parameter;
    }

    /// <summary>
    /// Adds the summaries of values newer than every stored value of their KPIs to the stored days: only a KPI's first
    /// day of them can already hold values, so one read of those days and <see cref="KpiDay.Then"/> replace reading the
    /// raw values again, and an append costs the same however many values its day holds.
    /// </summary>
    public static async Task AppendDaysAsync(OkapiDbContext db, IReadOnlyList<KpiDay> appended, CancellationToken ct)
    {
        if (appended.Count == 0)
        {
            return;
        }

        var firsts = appended.GroupBy(d => d.KpiId).ToDictionary(g => g.Key, g => g.Min(d => d.Day));
        var (ids, days) = (firsts.Keys.ToList(), firsts.Values.Distinct().ToList());
        var stored = (await db.KpiDays.AsNoTracking().Where(d => ids.Contains(d.KpiId) && days.Contains(d.Day)).ToListAsync(ct))
            .Where(d => firsts[d.KpiId] == d.Day).ToDictionary(d => d.KpiId);
        var merged = appended.Select(d => d.Day == firsts[d.KpiId] && stored.GetValueOrDefault(d.KpiId) is { } earlier ? earlier.Then(d) : d).ToList();
        await SaveDaysAsync(db, merged, ct);
    }

    /// <summary>Rows per statement of <see cref="SaveDaysAsync"/>: 8 parameters each, which SQLite looks up by name.</summary>
    private const int DaysPerStatement = 100;

    /// <summary>Writes whole day summaries, replacing those stored for the same KPI and date.</summary>
    private static async Task SaveDaysAsync(OkapiDbContext db, IReadOnlyList<KpiDay> days, CancellationToken ct)
    {
        using var factory = db.Database.GetDbConnection().CreateCommand();
        if (!db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "KpiDays" ("KpiId", "Day", "Count", "Sum", "Min", "Max", "LastAt", "LastValue")
                SELECT * FROM unnest(@k, @d, @c, @s, @mn, @mx, @la, @lv)
                """ + SaveDaysConflict,
            [
                Parameter(factory, "@k", days.Select(d => d.KpiId).ToArray()),
                Parameter(factory, "@d", days.Select(d => d.Day).ToArray()),
                Parameter(factory, "@c", days.Select(d => d.Count).ToArray()),
                Parameter(factory, "@s", days.Select(d => d.Sum).ToArray()),
                Parameter(factory, "@mn", days.Select(d => d.Min).ToArray()),
                Parameter(factory, "@mx", days.Select(d => d.Max).ToArray()),
                Parameter(factory, "@la", days.Select(d => d.LastAt.Ticks).ToArray()),
                Parameter(factory, "@lv", days.Select(d => d.LastValue).ToArray()),
            ], ct);
            return;
        }

        var rows = days.Select(d => new object?[] { d.KpiId.ToString().ToUpperInvariant(), d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Count, d.Sum, d.Min, d.Max, d.LastAt.Ticks, d.LastValue }).ToList();
        await ExecuteForRowsAsync(db, rows, values => """INSERT INTO "KpiDays" ("KpiId", "Day", "Count", "Sum", "Min", "Max", "LastAt", "LastValue") VALUES """ + values + SaveDaysConflict, ct);
    }

    /// <summary>
    /// Runs a SQLite statement over rows bound as parameters, a hundred rows a statement: <paramref name="statement"/>
    /// gets the rows' <c>(@p0, …), (…)</c> list. Values are bound, never printed: SQLite's text-to-number conversion
    /// need not round-trip every bit of a double.
    /// </summary>
    private static async Task ExecuteForRowsAsync(OkapiDbContext db, IReadOnlyList<object?[]> rows, Func<string, string> statement, CancellationToken ct)
    {
        using var factory = db.Database.GetDbConnection().CreateCommand();
        foreach (var chunk in rows.Chunk(DaysPerStatement))
        {
            var values = new StringBuilder();
            var parameters = new List<object>();
            for (var i = 0; i < chunk.Length; i++)
            {
                values.Append(i == 0 ? "(" : ",(");
                for (var p = 0; p < chunk[i].Length; p++)
                {
                    var name = "@p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
                    values.Append(p == 0 ? "" : ",").Append(name);
                    parameters.Add(Parameter(factory, name, chunk[i][p] ?? DBNull.Value));
                }

                values.Append(')');
            }

            await db.Database.ExecuteSqlRawAsync(statement(values.ToString()), parameters, ct);
        }
    }

    private const string SaveDaysConflict = """

        ON CONFLICT ("KpiId", "Day") DO UPDATE SET "Count" = excluded."Count", "Sum" = excluded."Sum",
            "Min" = excluded."Min", "Max" = excluded."Max", "LastAt" = excluded."LastAt", "LastValue" = excluded."LastValue"
        """;

    /// <summary>What keeping a KPI's current figures needs of its row.</summary>
    /// <summary>The KPIs, untracked, ordered by id: ingestion reads them under its write lock and keeps them current.</summary>
    internal static Task<List<Kpi>> KpisAsync(OkapiDbContext db, IReadOnlyCollection<Guid> kpiIds, CancellationToken ct)
    {
        var ids = kpiIds.ToList();
        return db.Kpis.AsNoTracking().Where(k => ids.Contains(k.Id)).OrderBy(k => k.Id).ToListAsync(ct);
    }

    /// <summary>
    /// Recomputes the current-period figures of the given KPIs from their day rows (the newest value's period and
    /// the one before it): one read of the rows, one of their days and one update per KPI.
    /// </summary>
    public static async Task RefreshCurrentAsync(OkapiDbContext db, IReadOnlyCollection<Guid> kpiIds, PeriodCalendar calendar, CancellationToken ct) =>
        await KeepCurrentAsync(db, await KpisAsync(db, kpiIds, ct), null, calendar, ct);

    /// <summary>Calendar periods that the current figures look at: the newest value's and the one before it.</summary>
    public const int CurrentWindowPeriods = 2;

    /// <summary>
    /// Writes each KPI's current-period figures, and with them its newest value when <paramref name="newest"/>
    /// holds a newer one than the row (a stored newer value is never overwritten by an older one). The KPIs, read
    /// under the write lock, are changed to match what is written; returns each one's periods of its current window
    /// (<see cref="CurrentWindowPeriods"/>), oldest first.
    /// </summary>
    internal static async Task<Dictionary<Guid, IReadOnlyList<KpiPeriod>>> KeepCurrentAsync(OkapiDbContext db, IReadOnlyList<Kpi> kpis, IReadOnlyDictionary<Guid, KpiReading>? newest, PeriodCalendar calendar, CancellationToken ct)
    {
        var latest = kpis.ToDictionary(k => k.Id, k => newest?.GetValueOrDefault(k.Id) is { } value && (k.LatestAt is null || value.At.UtcDateTime >= k.LatestAt) ? value.At.UtcDateTime : k.LatestAt);
        var windows = kpis.ToDictionary(k => k.Id, k => latest[k.Id] is { } at ? Window(calendar, new DateTimeOffset(at), k.Cadence) : (DateOnly?)null);
        var days = await DaysAsync(db, windows, ct);
        var rows = new List<(Guid Id, DateTime? LatestAt, double? LatestValue, DateOnly? Start, double? Value, double? Previous)>(kpis.Count);
        var periods = new Dictionary<Guid, IReadOnlyList<KpiPeriod>>(kpis.Count);
        foreach (var kpi in kpis)
        {
            // The newest value goes on the row only when it is newer than the row's (read under the write lock).
            var newer = newest?.GetValueOrDefault(kpi.Id) is { } reading && latest[kpi.Id] == reading.At.UtcDateTime ? reading : (KpiReading?)null;
            if (newer is { } stored)
            {
                (kpi.LatestAt, kpi.LatestValue) = (stored.At.UtcDateTime, stored.Value);
            }

            var window = kpi.PeriodsFromDays(days.GetValueOrDefault(kpi.Id) ?? [], calendar);
            kpi.KeepCurrentPeriods(window);
            periods[kpi.Id] = window;
            rows.Add((kpi.Id, newer?.At.UtcDateTime, newer?.Value, kpi.CurrentPeriodStart, kpi.CurrentPeriodValue, kpi.PreviousPeriodValue));
        }

        await SaveCurrentAsync(db, rows, ct);
        return periods;
    }

    /// <summary>
    /// Writes the KPIs' current figures, and their newest value where one is given, in one statement per hundred KPIs:
    /// a group of writes to many KPIs costs one round trip, not one per KPI.
    /// </summary>
    private static async Task SaveCurrentAsync(OkapiDbContext db, IReadOnlyList<(Guid Id, DateTime? LatestAt, double? LatestValue, DateOnly? Start, double? Value, double? Previous)> rows, CancellationToken ct)
    {
        const string set = """
            "LatestAt" = COALESCE(u.la, k."LatestAt"), "LatestValue" = CASE WHEN u.la IS NULL THEN k."LatestValue" ELSE u.lv END,
            "CurrentPeriodStart" = u.cs, "CurrentPeriodValue" = u.cv, "PreviousPeriodValue" = u.pv
            """;
        using var factory = db.Database.GetDbConnection().CreateCommand();
        if (!db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync(
                "UPDATE \"Kpis\" AS k SET " + set + " FROM unnest(@i, @la, @lv, @cs, @cv, @pv) AS u(id, la, lv, cs, cv, pv) WHERE k.\"Id\" = u.id",
            [
                Parameter(factory, "@i", rows.Select(r => r.Id).ToArray()),
                Parameter(factory, "@la", rows.Select(r => r.LatestAt).ToArray()),
                Parameter(factory, "@lv", rows.Select(r => r.LatestValue).ToArray()),
                Parameter(factory, "@cs", rows.Select(r => r.Start).ToArray()),
                Parameter(factory, "@cv", rows.Select(r => r.Value).ToArray()),
                Parameter(factory, "@pv", rows.Select(r => r.Previous).ToArray()),
            ], ct);
            return;
        }

        // Bound as EF binds them: a Guid as upper-case text, a DateTime as Microsoft.Data.Sqlite's text, a date as yyyy-MM-dd.
        var bound = rows.Select(r => new object?[] { r.Id.ToString().ToUpperInvariant(), r.LatestAt, r.LatestValue, r.Start?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Value, r.Previous }).ToList();
        await ExecuteForRowsAsync(db, bound, values => "WITH u(id, la, lv, cs, cv, pv) AS (VALUES " + values + ") UPDATE \"Kpis\" AS k SET " + set + " FROM u WHERE k.\"Id\" = u.id", ct);
    }

    /// <summary>The first local date of the period before the one holding <paramref name="latest"/>: all the current figures need.</summary>
    internal static DateOnly Window(PeriodCalendar calendar, DateTimeOffset latest, Cadence cadence) =>
        calendar.LastPeriodsStart(latest, cadence, CurrentWindowPeriods);

    /// <summary>
    /// Each KPI's day rows from the first date of its window on, in one read (KPIs without a window have none):
    /// windows end at the newest value, so this is bounded by the KPIs asked for times the longest window.
    /// </summary>
    internal static async Task<Dictionary<Guid, List<KpiDay>>> DaysAsync(OkapiDbContext db, IReadOnlyDictionary<Guid, DateOnly?> windows, CancellationToken ct)
    {
        var result = new Dictionary<Guid, List<KpiDay>>();
        var withValues = windows.Where(w => w.Value is not null).ToList();
        if (withValues.Count == 0)
        {
            return result;
        }

        var ids = withValues.Select(w => w.Key).ToList();
        var since = withValues.Min(w => w.Value!.Value);
        var rows = await db.KpiDays.AsNoTracking().Where(d => ids.Contains(d.KpiId) && d.Day >= since).ToListAsync(ct);
        foreach (var row in rows.Where(r => r.Day >= windows[r.KpiId]!.Value))
        {
            if (!result.TryGetValue(row.KpiId, out var list))
            {
                result[row.KpiId] = list = [];
            }

            list.Add(row);
        }

        return result;
    }

    /// <summary>
    /// Makes the rollups of every KPI of the context's organisation again from the raw values, KPI by KPI, at flat
    /// memory: after the organisation's time zone changed, and after values were written into the database directly.
    /// </summary>
    public static async Task RebuildAsync(OkapiDbContext db, CancellationToken ct)
    {
        var ids = await db.Kpis.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Id).ToListAsync(ct);
        var calendar = await db.CalendarAsync(ct);
        foreach (var id in ids)
        {
            await RebuildAsync(db, id, calendar, ct);
        }
    }

    /// <summary>Makes one KPI's rollups again from its raw values (it must belong to the context's organisation).</summary>
    public static async Task RebuildAsync(OkapiDbContext db, Guid kpiId, CancellationToken ct) =>
        await RebuildAsync(db, kpiId, await db.CalendarAsync(ct), ct);

    private static async Task RebuildAsync(OkapiDbContext db, Guid kpiId, PeriodCalendar calendar, CancellationToken ct)
    {
        var number = await db.Kpis.Where(k => k.Id == kpiId).Select(k => (long?)k.Number).FirstOrDefaultAsync(ct)
            ?? throw new ArgumentException("Only KPIs of the context's organisation are rebuilt.", nameof(kpiId));
        var values = db.KpiValues.AsNoTracking().Where(v => v.KpiNumber == number);
        var first = await values.OrderBy(v => v.At).Select(v => (DateTime?)v.At).FirstOrDefaultAsync(ct);
        var last = await values.OrderByDescending(v => v.At).Select(v => new { v.At, v.Value }).FirstOrDefaultAsync(ct);
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.KpiDays.Where(d => d.KpiId == kpiId).ExecuteDeleteAsync(ct);
        if (first is { } firstAt && last is not null)
        {
            var to = CycleDate(calendar, last.At);
            var chunk = new List<(Guid, long, DateOnly)>(RebuildDaysPerStatement);
            for (var day = CycleDate(calendar, firstAt); day <= to; day = day.AddDays(1))
            {
                chunk.Add((kpiId, number, day));
                if (chunk.Count == RebuildDaysPerStatement || day == to)
                {
                    await RefreshDaysAsync(db, chunk, calendar, ct);
                    chunk.Clear();
                }
            }
        }

        var (latestAt, latestValue) = (last?.At, last?.Value);
        await db.Kpis.Where(k => k.Id == kpiId).ExecuteUpdateAsync(s => s
            .SetProperty(k => k.LatestAt, latestAt)
            .SetProperty(k => k.LatestValue, latestValue), ct);
        await RefreshCurrentAsync(db, [kpiId], calendar, ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }
    }

    private static DateOnly CycleDate(PeriodCalendar calendar, DateTime utc) => calendar.PeriodStart(new DateTimeOffset(utc), Cadence.Daily);

    /// <summary>
    /// Rebuilds the rollups of a database that has values but no day rows yet (one from before the rollups): two
    /// cheap probes otherwise. For every organisation; the context's organisation is restored afterwards.
    /// </summary>
    public static async Task RebuildIfMissingAsync(OkapiDbContext db, CancellationToken ct)
    {
        if (await db.KpiDays.AnyAsync(ct) || !await db.KpiValues.AnyAsync(ct))
        {
            return;
        }

        var current = db.OrganisationId;
        try
        {
            foreach (var organisation in await db.Organisations.AsNoTracking().Select(o => o.Id).ToListAsync(ct))
            {
                db.OrganisationId = organisation;
                await RebuildAsync(db, ct);
            }
        }
        finally
        {
            db.OrganisationId = current;
        }
    }
}
