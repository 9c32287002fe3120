using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

/// <summary>
/// KPIs by id as a value write needs them: who may write to them (owner, visibility) and their number. A value POST
/// would otherwise read its KPI on every request; here a KPI is read at most once a second. A change saved on this
/// instance takes effect on the next request; one saved by another instance within <see cref="MaxAge"/>. The
/// figures of a cached KPI (latest value, current period) are not kept current: never show them from here.
/// </summary>
public sealed class KpiLookup(IServiceScopeFactory scopes)
{
    /// <summary>How long a KPI read by this instance is trusted, so that another instance's change is seen soon.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    /// <summary>Enough for every KPI of the reference organisation; beyond, the oldest half is dropped.</summary>
    private const int Capacity = 20_000;

    private readonly ConcurrentDictionary<Guid, (Kpi? Kpi, Guid OrganisationId, long ReadAt)> _kpis = new();

    /// <summary>The KPI of the organisation with this id, or null when there is none.</summary>
    public async Task<Kpi?> FindAsync(Guid organisationId, Guid id, CancellationToken ct)
    {
        // Wall-clock time on purpose: the age bounds how long another instance's change goes unseen.
        var now = Stopwatch.GetTimestamp();
        if (_kpis.TryGetValue(id, out var cached) && cached.OrganisationId == organisationId && Stopwatch.GetElapsedTime(cached.ReadAt, now) < MaxAge)
        {
            return cached.Kpi;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        db.OrganisationId = organisationId;
        var kpi = await db.Kpis.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, ct);
        if (_kpis.Count >= Capacity)
        {
            foreach (var old in _kpis.OrderBy(e => e.Value.ReadAt).Take(Capacity / 2))
            {
                _kpis.TryRemove(old.Key, out _);
            }
        }

        _kpis[id] = (kpi, organisationId, now);
        return kpi;
    }

    /// <summary>Forgets KPIs that are being changed, so that the next request reads them again.</summary>
    public void Forget(IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            _kpis.TryRemove(id, out _);
        }
    }

    /// <summary>Forgets every KPI, e.g. after changes of other instances may have gone unheard.</summary>
    public void Clear() => _kpis.Clear();
}

/// <summary>Tells <see cref="KpiLookup"/> of KPIs changed through a context, before and after they are saved.</summary>
public sealed class KpiLookupInterceptor(KpiLookup lookup) : ForgetOnSave
{
    // Every KPI the context tracks: a KPI is loaded for tracking when it is about to change.
    protected override void Forget(DbContext context) => lookup.Forget(context.ChangeTracker.Entries<Kpi>().Select(e => e.Entity.Id));
}
