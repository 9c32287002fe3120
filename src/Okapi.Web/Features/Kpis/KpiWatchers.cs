using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

/// <summary>
/// Which KPIs of an organisation something watches: those with an alert rule (enabled or not) and those a key result
/// follows. Most values are of KPIs nothing watches; the observers ask here first and skip them without a query. Read
/// at most once a second per organisation and forgotten when a rule or a key result is saved on this instance or, on
/// PostgreSQL, announced by another (ADR-013); the second bounds a lost notice, and the alert worker's pass catches up
/// on anything missed.
/// </summary>
public sealed class KpiWatchers(IServiceScopeFactory scopes)
{
    private static readonly TimeSpan MaxAge = KpiLookup.MaxAge;

    private readonly ConcurrentDictionary<Guid, Watched> _organisations = new();

    private sealed record Watched(IReadOnlySet<Guid> WithRules, IReadOnlySet<Guid> Followed, long ReadAt);

    /// <summary>Those of the KPIs that have an alert rule.</summary>
    public async Task<IReadOnlyCollection<Guid>> WithRulesAsync(Guid organisationId, IReadOnlyCollection<Guid> kpiIds, CancellationToken ct)
    {
        var watched = await OfAsync(organisationId, ct);
        return kpiIds.Where(watched.WithRules.Contains).ToList();
    }

    /// <summary>Those of the KPIs that a key result follows.</summary>
    public async Task<IReadOnlyCollection<Guid>> FollowedAsync(Guid organisationId, IReadOnlyCollection<Guid> kpiIds, CancellationToken ct)
    {
        var watched = await OfAsync(organisationId, ct);
        return kpiIds.Where(watched.Followed.Contains).ToList();
    }

    public void Forget(Guid organisationId) => _organisations.TryRemove(organisationId, out _);

    /// <summary>Forgets every organisation, e.g. after changes of other instances may have gone unheard.</summary>
    public void Clear() => _organisations.Clear();

    private async Task<Watched> OfAsync(Guid organisationId, CancellationToken ct)
    {
        var now = Stopwatch.GetTimestamp();
        if (_organisations.TryGetValue(organisationId, out var watched) && Stopwatch.GetElapsedTime(watched.ReadAt, now) < MaxAge)
        {
            return watched;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        db.OrganisationId = organisationId;
        var withRules = await db.AlertRules.Select(r => r.KpiId).Distinct().ToListAsync(ct);
        var followed = await db.KeyResults.Where(k => k.KpiId != null).Select(k => k.KpiId!.Value).Distinct().ToListAsync(ct);
        watched = new Watched(withRules.ToHashSet(), followed.ToHashSet(), now);
        _organisations[organisationId] = watched;
        return watched;
    }
}

/// <summary>Tells <see cref="KpiWatchers"/> of rules and key results saved through a context, before and after the save.</summary>
public sealed class KpiWatchersInterceptor(KpiWatchers watchers) : ForgetOnSave
{
    protected override void Forget(DbContext context)
    {
        foreach (var organisationId in context.ChangeTracker.Entries<AlertRule>().Select(e => e.Entity.OrganisationId)
            .Concat(context.ChangeTracker.Entries<KeyResult>().Select(e => e.Entity.OrganisationId)).Distinct())
        {
            watchers.Forget(organisationId);
        }
    }
}
