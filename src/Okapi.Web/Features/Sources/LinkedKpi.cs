using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Data;

namespace Okapi.Web.Features.Sources;

/// <summary>A KPI's latest period value and the instant of the value that made it.</summary>
public readonly record struct KpiPeriodReading(double Value, DateTime At);

/// <summary>
/// What a key result linked to a KPI reads from it: the latest period value (cadence and aggregation in the
/// organisation's calendar, through <see cref="Kpi.Periods"/>) and the value at a cycle's start.
/// </summary>
internal static class LinkedKpi
{
    public static async Task<PeriodCalendar> CalendarAsync(OkapiDbContext db, CancellationToken ct) =>
        PeriodCalendar.For(await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == db.OrganisationId, ct));

    /// <summary>The latest period's aggregated value, stamped with the newest value's instant; null without values.</summary>
    public static async Task<KpiPeriodReading?> LatestPeriodAsync(OkapiDbContext db, Kpi kpi, PeriodCalendar calendar, CancellationToken ct)
    {
        var latest = await db.KpiValues.AsNoTracking().Where(v => v.KpiId == kpi.Id)
            .OrderByDescending(v => v.At).Select(v => (DateTime?)v.At).FirstOrDefaultAsync(ct);
        if (latest is not { } latestAt)
        {
            return null;
        }

        // Only the latest period's values are needed; its first instant bounds the read.
        var reading = new DateTimeOffset(DateTime.SpecifyKind(latestAt, DateTimeKind.Utc));
        var periodStart = calendar.StartOf(calendar.PeriodStart(reading, kpi.Cadence)).UtcDateTime;
        var values = await db.KpiValues.AsNoTracking().Where(v => v.KpiId == kpi.Id && v.At >= periodStart).ToListAsync(ct);
        var periods = kpi.Periods(values.Select(v => v.ToReading()), calendar);
        return new KpiPeriodReading(periods[^1].Value, DateTime.SpecifyKind(latestAt, DateTimeKind.Utc));
    }

    /// <summary>The value at an instant: the latest at or before it, else the first after it; null without values.</summary>
    public static async Task<double?> ValueAtAsync(OkapiDbContext db, Guid kpiId, DateTime at, CancellationToken ct) =>
        await db.KpiValues.AsNoTracking().Where(v => v.KpiId == kpiId && v.At <= at)
            .OrderByDescending(v => v.At).Select(v => (double?)v.Value).FirstOrDefaultAsync(ct)
        ?? await db.KpiValues.AsNoTracking().Where(v => v.KpiId == kpiId && v.At > at)
            .OrderBy(v => v.At).Select(v => (double?)v.Value).FirstOrDefaultAsync(ct);
}
