using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

/// <summary>
/// What watches the KPIs of an organisation: their alert rules (enabled or not) and the KPIs a key result follows, and
/// the alerts the rules hold open. Most values are of KPIs nothing watches; the observers ask here first and skip them
/// without a query, and the alert evaluator takes the rules (and on SQLite, the open alerts) of the others from here
/// rather than reading them for every value. Each is read at most once a second per organisation and forgotten when a
/// rule, a key result or an alert is saved on this instance; rules also when another instance announces a change on
/// PostgreSQL (ADR-013), where the second bounds a lost notice. They only tell which alerts a value may change: the
/// evaluator reads a rule and its alert again before it stores a change, and the alert worker's pass reads them all.
/// </summary>
public sealed class KpiWatchers(IServiceScopeFactory scopes)
{
    private readonly Remembered<Watched> _watched = new(scopes, async (db, ct) =>
    {
        var rules = await db.AlertRules.AsNoTracking().ToListAsync(ct);
        var followed = await db.KeyResults.Where(k => k.KpiId != null).Select(k => k.KpiId!.Value).Distinct().ToListAsync(ct);
        return new Watched(rules.ToLookup(r => r.KpiId), followed.ToHashSet());
    });

    // The one-open-alert-per-rule index makes each rule's the only one.
    private readonly Remembered<IReadOnlyDictionary<Guid, Alert>> _open = new(scopes, async (db, ct) =>
        await db.Alerts.AsNoTracking().Where(a => a.State != AlertState.Resolved).ToDictionaryAsync(a => a.RuleId, ct));

    private sealed record Watched(ILookup<Guid, AlertRule> Rules, IReadOnlySet<Guid> Followed);

    /// <summary>
    /// The alert rules of these KPIs, enabled or not, ordered by id; shared by every caller, so they are read, never
    /// changed, and never attached to a context.
    /// </summary>
    public async Task<IReadOnlyList<AlertRule>> RulesOfAsync(Guid organisationId, IReadOnlyCollection<Guid> kpiIds, CancellationToken ct)
    {
        var watched = await _watched.OfAsync(organisationId, ct);
        return kpiIds.Distinct().Where(watched.Rules.Contains).SelectMany(id => watched.Rules[id]).OrderBy(r => r.Id).ToList();
    }

    /// <summary>Those of the KPIs that a key result follows.</summary>
    public async Task<IReadOnlyCollection<Guid>> FollowedAsync(Guid organisationId, IReadOnlyCollection<Guid> kpiIds, CancellationToken ct)
    {
        var watched = await _watched.OfAsync(organisationId, ct);
        return kpiIds.Where(watched.Followed.Contains).ToList();
    }

    /// <summary>
    /// The organisation's open alerts by rule id, shared like the rules: read, never changed or attached. Current with
    /// this instance's saves only: one instance's view, as SQLite has.
    /// </summary>
    public Task<IReadOnlyDictionary<Guid, Alert>> OpenAlertsAsync(Guid organisationId, CancellationToken ct) => _open.OfAsync(organisationId, ct);

    /// <summary>Forgets the organisation's rules, key results and open alerts.</summary>
    public void Forget(Guid organisationId)
    {
        _watched.Forget(organisationId);
        _open.Forget(organisationId);
    }

    /// <summary>Forgets the organisation's open alerts only: alerts change far more often than rules.</summary>
    public void ForgetAlerts(Guid organisationId) => _open.Forget(organisationId);

    /// <summary>Forgets every organisation, e.g. after changes of other instances may have gone unheard.</summary>
    public void Clear()
    {
        _watched.Clear();
        _open.Clear();
    }

    /// <summary>
    /// One thing per organisation, read at most once per <see cref="KpiLookup.MaxAge"/>. A read that a forget overtakes
    /// is returned to its caller but not kept: it may have missed the save that caused the forget.
    /// </summary>
    private sealed class Remembered<T>(IServiceScopeFactory scopes, Func<OkapiDbContext, CancellationToken, Task<T>> read)
    {
        private readonly ConcurrentDictionary<Guid, (T Value, long ReadAt)> _kept = new();
        private readonly ConcurrentDictionary<Guid, long> _forgotten = new();
        private long _cleared;

        public async Task<T> OfAsync(Guid organisationId, CancellationToken ct)
        {
            var now = Stopwatch.GetTimestamp();
            if (_kept.TryGetValue(organisationId, out var kept) && Stopwatch.GetElapsedTime(kept.ReadAt, now) < KpiLookup.MaxAge)
            {
                return kept.Value;
            }

            var before = Generation(organisationId);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            db.OrganisationId = organisationId;
            var entry = (await read(db, ct), now);
            _kept[organisationId] = entry;
            // A forget bumps the generation before it removes: either it removes this entry, or this sees the bump.
            if (Generation(organisationId) != before)
            {
                _kept.TryRemove(KeyValuePair.Create(organisationId, entry));
            }

            return entry.Item1;
        }

        public void Forget(Guid organisationId)
        {
            _forgotten.AddOrUpdate(organisationId, 1, (_, count) => count + 1);
            _kept.TryRemove(organisationId, out _);
        }

        public void Clear()
        {
            Interlocked.Increment(ref _cleared);
            _kept.Clear();
        }

        private (long Cleared, long Forgotten) Generation(Guid organisationId) =>
            (Interlocked.Read(ref _cleared), _forgotten.GetValueOrDefault(organisationId));
    }
}

/// <summary>Tells <see cref="KpiWatchers"/> of rules, key results and alerts saved through a context, before and after the save.</summary>
public sealed class KpiWatchersInterceptor(KpiWatchers watchers) : ForgetOnSave
{
    protected override void Forget(DbContext context)
    {
        // An entity added without its organisation gets the context's when it is saved.
        var fallback = (context as OkapiDbContext)?.OrganisationId ?? Guid.Empty;
        IEnumerable<Guid> Owners<T>() where T : class, IOrganisationOwned =>
            context.ChangeTracker.Entries<T>().Select(e => e.Entity.OrganisationId is var id && id != Guid.Empty ? id : fallback).Distinct();

        foreach (var organisationId in Owners<AlertRule>().Concat(Owners<KeyResult>()).Distinct())
        {
            watchers.Forget(organisationId);
        }

        foreach (var organisationId in Owners<Alert>())
        {
            watchers.ForgetAlerts(organisationId);
        }
    }
}
