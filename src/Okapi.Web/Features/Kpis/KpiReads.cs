using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Access;

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
    /// The calendar of the context's organisation, remembered with the callers: paths that run after every value
    /// (ingestion, alert evaluation) need not read the organisation each time. A saved organisation is forgotten
    /// before the next read, as callers are.
    /// </summary>
    public static async Task<PeriodCalendar> CalendarAsync(this OkapiDbContext db, CallerCache cache, CancellationToken ct) =>
        (await cache.DirectoryAsync((typeof(PeriodCalendar), db.OrganisationId), async () => await db.CalendarAsync(ct)))!;

    /// <summary>
    /// The KPI's newest value's instant and, of its last <paramref name="count"/> periods (the newest holding that
    /// value), those that hold a value, oldest first: one range of day rows.
    /// </summary>
    public static async Task<(IReadOnlyList<KpiPeriod> Periods, DateTimeOffset? LatestAt)> RecentPeriodsAsync(this OkapiDbContext db, Kpi kpi, int count, PeriodCalendar calendar, CancellationToken ct) =>
        (await db.RecentPeriodsAsync([(kpi, count)], calendar, ct))[(kpi.Id, count)];

    /// <summary>
    /// For each (KPI, count) asked for, what <see cref="RecentPeriodsAsync(OkapiDbContext, Kpi, int, PeriodCalendar, CancellationToken)"/>
    /// gives for it, in one read of the day rows of all of them however many are asked for. The newest value's instant
    /// is the one ingestion keeps on the KPI (<see cref="Kpi.LatestAt"/>), so the KPIs must be read after the values.
    /// </summary>
    public static async Task<IReadOnlyDictionary<(Guid KpiId, int Count), (IReadOnlyList<KpiPeriod> Periods, DateTimeOffset? LatestAt)>> RecentPeriodsAsync(
        this OkapiDbContext db, IReadOnlyCollection<(Kpi Kpi, int Count)> wanted, PeriodCalendar calendar, CancellationToken ct)
    {
        var result = new Dictionary<(Guid, int), (IReadOnlyList<KpiPeriod>, DateTimeOffset?)>();
        if (wanted.Count == 0)
        {
            return result;
        }

        var newest = wanted.Select(w => w.Kpi).DistinctBy(k => k.Id)
            .ToDictionary(k => k.Id, k => k.LatestAt is { } at ? new DateTimeOffset(at) : (DateTimeOffset?)null);

        // Each request's first date; a KPI's day rows are read from the earliest of its requests.
        DateOnly? Oldest((Kpi Kpi, int Count) w) => RecentStart(w.Kpi, newest.GetValueOrDefault(w.Kpi.Id), w.Count, calendar);
        var windows = wanted.GroupBy(w => w.Kpi.Id).ToDictionary(g => g.Key, g => g.Select(Oldest).Min());
        var days = await KpiRollups.DaysAsync(db, windows, ct);
        foreach (var w in wanted)
        {
            var latestAt = newest.GetValueOrDefault(w.Kpi.Id);
            var periods = Oldest(w) is { } oldest
                ? w.Kpi.PeriodsFromDays(days.GetValueOrDefault(w.Kpi.Id)?.Where(d => d.Day >= oldest) ?? [], calendar)
                : [];
            result[(w.Kpi.Id, w.Count)] = (periods, latestAt);
        }

        return result;
    }

    /// <summary>
    /// The first date of the KPI's last <paramref name="count"/> periods up to its newest value, from which
    /// <see cref="RecentPeriodsAsync(OkapiDbContext, IReadOnlyCollection{ValueTuple{Kpi, int}}, PeriodCalendar, CancellationToken)"/>
    /// takes periods; null when it has no value or no period is asked for.
    /// </summary>
    internal static DateOnly? RecentStart(Kpi kpi, DateTimeOffset? latestAt, int count, PeriodCalendar calendar) =>
        latestAt is { } at && count > 0 ? calendar.LastPeriodsStart(at, kpi.Cadence, count) : null;
}
