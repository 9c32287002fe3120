using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Data;

namespace Okapi.Web.Features.Kpis;

/// <summary>
/// Reads of a KPI's recent series shared by alert evaluation and key results that follow a KPI, so that both see
/// the same periods (the formulas stay in <see cref="Kpi.Periods"/> and <see cref="PeriodCalendar"/>).
/// </summary>
public static class KpiReads
{
    /// <summary>The calendar of the context's organisation: its time zone and week start.</summary>
    public static async Task<PeriodCalendar> CalendarAsync(this OkapiDbContext db, CancellationToken ct) =>
        PeriodCalendar.For(await db.Organisations.AsNoTracking().FirstAsync(o => o.Id == db.OrganisationId, ct));

    /// <summary>
    /// The KPI's newest value's instant and, of its last <paramref name="count"/> periods (the newest holding that
    /// value), those that hold a value, oldest first.
    /// </summary>
    public static async Task<(IReadOnlyList<KpiPeriod> Periods, DateTimeOffset? LatestAt)> RecentPeriodsAsync(this OkapiDbContext db, Kpi kpi, int count, PeriodCalendar calendar, CancellationToken ct)
    {
        var values = db.KpiValues.AsNoTracking().Where(v => v.KpiId == kpi.Id);
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
        if (kpi.Aggregation == PeriodAggregation.Last)
        {
            return (await LastValuePeriodsAsync(values, kpi.Cadence, oldest, latestUtc, calendar, ct), latestAt);
        }

        var from = calendar.StartOf(oldest).UtcDateTime;
        var readings = await values.Where(v => v.At >= from).OrderBy(v => v.At).Select(v => new { v.At, v.Value }).ToListAsync(ct);
        return (kpi.Periods(readings.Select(r => new KpiValue { At = r.At, Value = r.Value }.ToReading()), calendar), latestAt);
    }

    /// <summary>
    /// Periods of a KPI aggregated by its last value, from the one starting on <paramref name="oldest"/> to the one
    /// holding <paramref name="latestUtc"/>: the newest value of each period is one index seek, so evaluating after
    /// each new value costs the same however many values a period holds (a minute feed fills a day with 1,440).
    /// </summary>
    private static async Task<List<KpiPeriod>> LastValuePeriodsAsync(IQueryable<KpiValue> values, Cadence cadence, DateOnly oldest, DateTime latestUtc, PeriodCalendar calendar, CancellationToken ct)
    {
        var periods = new List<KpiPeriod>();
        for (var start = oldest; ; start = PeriodCalendar.NextPeriodStart(start, cadence))
        {
            var end = PeriodCalendar.NextPeriodStart(start, cadence);
            var (from, to) = (calendar.StartOf(start).UtcDateTime, calendar.StartOf(end).UtcDateTime);
            var inPeriod = values.Where(v => v.At >= from && v.At < to);
            var newest = await inPeriod.OrderByDescending(v => v.At).Select(v => (double?)v.Value).FirstOrDefaultAsync(ct);
            if (newest is { } value)
            {
                periods.Add(new KpiPeriod(start, end, calendar.StartOf(start), value, await inPeriod.CountAsync(ct)));
            }

            if (to > latestUtc)
            {
                return periods;
            }
        }
    }
}
