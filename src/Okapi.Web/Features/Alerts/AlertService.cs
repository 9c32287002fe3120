using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Alerts;

/// <summary>Alerts of the KPIs the caller may see, and acknowledging them; for the API and the pages alike.</summary>
public sealed class AlertService
{
    /// <summary>Newest first.</summary>
    public Task<Page<AlertDto>> ListAsync(AlertFilter filter, PageRequest page, CancellationToken ct) => throw new NotImplementedException();

    public Task<Outcome<AlertDto>> GetAsync(Guid id, CancellationToken ct) => throw new NotImplementedException();

    public Task<Outcome<AlertDto>> AcknowledgeAsync(Guid id, AcknowledgeRequest request, CancellationToken ct) => throw new NotImplementedException();
}

/// <summary>Alert rules of the KPIs the caller may see; for the API and the pages alike.</summary>
public sealed class AlertRuleService
{
    public Task<Page<AlertRuleDto>> ListAsync(Guid? kpiId, PageRequest page, CancellationToken ct) => throw new NotImplementedException();

    public Task<Outcome<AlertRuleDto>> GetAsync(Guid id, CancellationToken ct) => throw new NotImplementedException();

    public Task<Outcome<AlertRuleDto>> CreateAsync(AlertRuleRequest request, CancellationToken ct) => throw new NotImplementedException();

    public Task<Outcome<AlertRuleDto>> UpdateAsync(Guid id, AlertRuleRequest request, int? expectedVersion, CancellationToken ct) => throw new NotImplementedException();

    public Task<Outcome<Done>> DeleteAsync(Guid id, int? expectedVersion, CancellationToken ct) => throw new NotImplementedException();
}
