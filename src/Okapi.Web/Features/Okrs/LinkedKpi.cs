using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Kpis;

namespace Okapi.Web.Features.Okrs;

/// <summary>A KPI's latest period value and the instant of the value that made it.</summary>
public readonly record struct KpiPeriodReading(double Value, DateTime At);

/// <summary>
/// What a key result linked to a KPI reads from it: the latest period value (cadence and aggregation in the
/// organisation's calendar, through <see cref="Kpi.Periods"/>) and the value at a cycle's start.
/// </summary>
internal static class LinkedKpi
{
    /// <summary>The latest period's aggregated value, stamped with the newest value's instant; null without values.</summary>
    public static async Task<KpiPeriodReading?> LatestPeriodAsync(OkapiDbContext db, Kpi kpi, PeriodCalendar calendar, CancellationToken ct) =>
        LatestPeriod(await db.RecentPeriodsAsync(kpi, 1, calendar, ct));

    /// <summary>
    /// The same as <see cref="LatestPeriodAsync(OkapiDbContext, Kpi, PeriodCalendar, CancellationToken)"/> right after a
    /// write, from what the write left: no read.
    /// </summary>
    public static async Task<KpiPeriodReading?> LatestPeriodAsync(OkapiDbContext db, StoredKpi stored, PeriodCalendar calendar, CancellationToken ct) =>
        stored.RecentPeriods(1, calendar) is { } recent ? LatestPeriod(recent) : await LatestPeriodAsync(db, stored.Kpi, calendar, ct);

    private static KpiPeriodReading? LatestPeriod((IReadOnlyList<KpiPeriod> Periods, DateTimeOffset? LatestAt) recent) =>
        recent.LatestAt is { } at && recent.Periods.Count > 0 ? new KpiPeriodReading(recent.Periods[^1].Value, at.UtcDateTime) : null;

    /// <summary>The value at an instant: the latest at or before it, else the first after it; null without values.</summary>
    public static async Task<double?> ValueAtAsync(OkapiDbContext db, Kpi kpi, DateTime at, CancellationToken ct) =>
        await db.KpiValues.AsNoTracking().Where(v => v.KpiNumber == kpi.Number && v.At <= at)
            .OrderByDescending(v => v.At).Select(v => (double?)v.Value).FirstOrDefaultAsync(ct)
        ?? await db.KpiValues.AsNoTracking().Where(v => v.KpiNumber == kpi.Number && v.At > at)
            .OrderBy(v => v.At).Select(v => (double?)v.Value).FirstOrDefaultAsync(ct);
}
