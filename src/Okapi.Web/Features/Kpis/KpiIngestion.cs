using Okapi.Data;

namespace Okapi.Web.Features.Kpis;

/// <summary>A value to store for a KPI: validated, and for a KPI the writer may write to.</summary>
public readonly record struct NewKpiValue(Guid KpiId, DateTime At, double Value, Okapi.Core.Kpis.KpiValueSource Source);

/// <summary>
/// Told after KPI values are committed, in a DI scope of their own whose database context points at the values'
/// organisation, so that alert rules and linked key results follow. Registered as scoped services; the writes of
/// concurrent requests are told together (<see cref="KpiObservation"/>).
/// </summary>
public interface IKpiValueObserver
{
    Task OnValuesStoredAsync(IReadOnlyCollection<Guid> kpiIds, CancellationToken ct);
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
        await observation.ObserveAsync(db.OrganisationId, written.KpiIds, ct);
        return written.Stored;
    }
}
