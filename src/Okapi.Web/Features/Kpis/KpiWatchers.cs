using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

/// <summary>
/// What watches the KPIs of an organisation: their alert rules (enabled or not) and the KPIs a key result follows. Most
/// values are of KPIs nothing watches; the observers ask here first and skip them without a query, and the alert
/// evaluator takes the rules of the others from here rather than reading them for every value. Read at most once a
/// second per organisation and forgotten when a rule or a key result is saved on this instance or, on PostgreSQL,
/// announced by another (ADR-013); the second bounds a lost notice. The rules only tell which alerts a value may
/// change: the evaluator reads a rule again before it stores a change, and the alert worker's pass reads them all.
/// </summary>
public sealed class KpiWatchers(IServiceScopeFactory scopes)
{
    private static readonly TimeSpan MaxAge = KpiLookup.MaxAge;

    private readonly ConcurrentDictionary<Guid, Watched> _organisations = new();

    private sealed record Watched(ILookup<Guid, AlertRule> Rules, IReadOnlySet<Guid> Followed, long ReadAt);

    /// <summary>
    /// The alert rules of these KPIs, enabled or not, ordered by id; shared by every caller, so they are read, never
    /// changed, and never attached to a context.
    /// </summary>
    public async Task<IReadOnlyList<AlertRule>> RulesOfAsync(Guid organisationId, IReadOnlyCollection<Guid> kpiIds, CancellationToken ct)
    {
        var watched = await OfAsync(organisationId, ct);
        return kpiIds.Distinct().Where(watched.Rules.Contains).SelectMany(id => watched.Rules[id]).OrderBy(r => r.Id).ToList();
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
        var rules = await db.AlertRules.AsNoTracking().ToListAsync(ct);
        var followed = await db.KeyResults.Where(k => k.KpiId != null).Select(k => k.KpiId!.Value).Distinct().ToListAsync(ct);
        watched = new Watched(rules.ToLookup(r => r.KpiId), followed.ToHashSet(), now);
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
