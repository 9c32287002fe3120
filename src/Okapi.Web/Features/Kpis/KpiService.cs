using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

/// <summary>KPIs, their periods and their values, for the API and the pages alike.</summary>
public sealed class KpiService
{
    public Task<Page<KpiDto>> ListAsync(KpiFilter filter, PageRequest page, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>Every KPI the caller may see that matches the filter, with sparklines, for the dashboard.</summary>
    public Task<IReadOnlyList<KpiTileDto>> DashboardAsync(KpiFilter filter, CancellationToken ct) => throw new NotImplementedException();

    public Task<Outcome<KpiDto>> GetAsync(Guid id, CancellationToken ct) => throw new NotImplementedException();

    public Task<Outcome<KpiDto>> CreateAsync(KpiRequest request, CancellationToken ct) => throw new NotImplementedException();

    public Task<Outcome<KpiDto>> UpdateAsync(Guid id, KpiRequest request, int? expectedVersion, CancellationToken ct) => throw new NotImplementedException();

    public Task<Outcome<Done>> DeleteAsync(Guid id, int? expectedVersion, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>The KPI's periods in [from, to) (default: the last year), newest first.</summary>
    public Task<Outcome<IReadOnlyList<KpiPeriodDto>>> PeriodsAsync(Guid id, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>Values in [from, to) downsampled to at most <paramref name="maxPoints"/> points, for charts.</summary>
    public Task<Outcome<KpiSeriesDto>> SeriesAsync(Guid id, DateTimeOffset? from, DateTimeOffset? to, int? maxPoints, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>Stores values of one KPI (manual entry in the UI, or the API's single value and array).</summary>
    public Task<Outcome<IngestResultDto>> AddValuesAsync(Guid id, IReadOnlyList<KpiValueInput> values, CancellationToken ct) => throw new NotImplementedException();
}
