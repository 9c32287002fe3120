using Okapi.Core.Kpis;
using Okapi.Data;

namespace Okapi.Web.Features.Kpis;

/// <summary>A value to store for a KPI: validated, and for a KPI the writer may write to.</summary>
public readonly record struct NewKpiValue(Guid KpiId, DateTime At, double Value, KpiValueSource Source);

/// <summary>
/// A KPI as a committed write left it, untracked and shared by every observer, so read and never changed: its row
/// with the newest value and current figures, and the periods that hold a value among the newest value's period and
/// the one before it (<see cref="KpiRollups.CurrentWindowPeriods"/>), oldest first, computed under the write lock.
/// </summary>
public sealed record StoredKpi(Kpi Kpi, IReadOnlyList<KpiPeriod> CurrentWindow)
{
    /// <summary>
    /// What <see cref="KpiReads.RecentPeriodsAsync(OkapiDbContext, Kpi, int, PeriodCalendar, CancellationToken)"/>
    /// would read for <paramref name="count"/> periods right after the write; null when the write's window is too
    /// short for them and they must be read.
    /// </summary>
    public (IReadOnlyList<KpiPeriod> Periods, DateTimeOffset? LatestAt)? RecentPeriods(int count, PeriodCalendar calendar)
    {
        if (count > KpiRollups.CurrentWindowPeriods)
        {
            return null;
        }

        var latestAt = Kpi.LatestAt is { } at ? new DateTimeOffset(at) : (DateTimeOffset?)null;
        var start = KpiReads.RecentStart(Kpi, latestAt, count, calendar);
        return (start is { } first ? CurrentWindow.Where(p => p.Start >= first).ToList() : [], latestAt);
    }
}

/// <summary>
/// Told after KPI values are committed, in a DI scope of their own whose database context points at the values'
/// organisation, so that alert rules and linked key results follow. Registered as scoped services; the writes of
/// concurrent requests are told together (<see cref="KpiObservation"/>), each KPI as the newest of them left it.
/// </summary>
public interface IKpiValueObserver
{
    Task OnValuesStoredAsync(IReadOnlyCollection<StoredKpi> kpis, CancellationToken ct);
}

/// <summary>
/// Stores validated values of KPIs of the context's organisation: one upsert per (KPI, instant), the KPIs' latest
/// value and rollups kept (<see cref="KpiRollups"/>), live pages told, then every <see cref="IKpiValueObserver"/>. The
/// API, uploads and pull sources all write through here. The values are committed, together with those of requests
/// that arrive meanwhile, by <see cref="KpiWriter"/>; the answer comes once they are committed and observed.
/// </summary>
public sealed class KpiIngestion(OkapiDbContext db, KpiWriter writer, KpiObservation observation)
{
    /// <summary>Stores the values in one transaction and returns how many were written (new or replaced).</summary>
    public async Task<int> StoreAsync(IReadOnlyList<NewKpiValue> values, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return 0;
        }

        var written = await writer.WriteAsync(db.OrganisationId, values, ct);
        await observation.ObserveAsync(db.OrganisationId, written, ct);
        return written.Stored;
    }
}
