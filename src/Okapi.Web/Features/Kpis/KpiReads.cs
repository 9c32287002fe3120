using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Data;

namespace Okapi.Web.Features.Kpis;

/// <summary>
/// Reads of a KPI's recent series shared by alert evaluation and key results that follow a KPI, so that both see
/// the same periods (the formulas stay in <see cref="Kpi.PeriodsFromDays"/> and <see cref="PeriodCalendar"/>), read
/// from the day rollups: evaluating after each new value costs the same however many values a period holds.
/// </summary>
public static class KpiReads
{
    /// <summary>The calendar of the context's organisation: its time zone and week start.</summary>
    public static async Task<PeriodCalendar> CalendarAsync(this OkapiDbContext db, CancellationToken ct) =>
        PeriodCalendar.For(await db.Organisations.AsNoTracking().FirstAsync(o => o.Id == db.OrganisationId, ct));

    /// <summary>
    /// The KPI's newest value's instant and, of its last <paramref name="count"/> periods (the newest holding that
    /// value), those that hold a value, oldest first: one seek for the newest value, one range of day rows.
    /// </summary>
    public static async Task<(IReadOnlyList<KpiPeriod> Periods, DateTimeOffset? LatestAt)> RecentPeriodsAsync(this OkapiDbContext db, Kpi kpi, int count, PeriodCalendar calendar, CancellationToken ct)
    {
        var values = db.KpiValues.AsNoTracking().Where(v => v.KpiNumber == kpi.Number);
        var latest = await values.OrderByDescending(v => v.At).Select(v => (DateTime?)v.At).FirstOrDefaultAsync(ct);
        if (latest is not { } latestUtc)
        {
            return ([], null);
        }

        var latestAt = new DateTimeOffset(latestUtc);
        if (count == 0)
        {
            return ([], latestAt);
        }

        var oldest = calendar.LastPeriodsStart(latestAt, kpi.Cadence, count);
        var days = await db.KpiDays.AsNoTracking().Where(d => d.KpiId == kpi.Id && d.Day >= oldest).OrderBy(d => d.Day).ToListAsync(ct);
        return (kpi.PeriodsFromDays(days, calendar), latestAt);
    }
}
