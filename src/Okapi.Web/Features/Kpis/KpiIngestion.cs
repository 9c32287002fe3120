using Okapi.Core.Kpis;

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
/// value kept, live pages told, then every <see cref="IKpiValueObserver"/>. The API, uploads and pull sources all
/// write through here.
/// </summary>
public sealed class KpiIngestion
{
    public Task<int> StoreAsync(IReadOnlyList<KpiValue> values, CancellationToken ct) =>
        throw new NotImplementedException("Ingestion is being built.");
}
