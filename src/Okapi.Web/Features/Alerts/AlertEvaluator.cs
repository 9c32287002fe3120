using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Alerts;

/// <summary>
/// Evaluates the alert rules of the context's organisation: loads the rules with their KPIs, recent periods and open
/// alerts a chunk at a time, lets <see cref="AlertRuleEvaluation.Evaluate"/> decide each in memory, and saves each
/// transition with its notifications in one SaveChanges. Runs after ingestion (as an <see cref="IKpiValueObserver"/>)
/// and on the worker's timer, so a pass that changes nothing reads a few statements and writes none.
/// </summary>
public sealed class AlertEvaluator(OkapiDbContext db, CallerCache cache, Outbox outbox, LiveUpdates live, KpiWatchers watchers, TimeProvider clock, OkapiInstruments instruments, ILogger<AlertEvaluator> logger) : IKpiValueObserver
{
    /// <summary>A racing pass that lost is re-decided from what the winner stored; a few rounds settle any race.</summary>
    private const int MaxAttempts = 3;

    /// <summary>Rules read and decided together: bounds a pass's memory in a large organisation, not its statements per rule.</summary>
    internal const int RulesPerChunk = 500;

    /// <summary>
    /// Evaluates the rules of the written KPIs, as <see cref="KpiWatchers"/> knows them with their open alerts, from
    /// the KPIs and periods the write left: on SQLite a value costs no query unless a rule changes an alert (or, for
    /// trailing averages, needs older periods); on PostgreSQL, one read of the open alerts. A disabled rule decides
    /// nothing unless it holds an open alert, which it then resolves.
    /// </summary>
    public async Task OnValuesStoredAsync(IReadOnlyCollection<StoredKpi> kpis, CancellationToken ct)
    {
        var rules = await watchers.RulesOfAsync(db.OrganisationId, kpis.Select(k => k.Kpi.Id).ToList(), ct);
        if (rules.Count > 0)
        {
            await EvaluateRulesAsync(InChunks(rules), kpis.ToDictionary(k => k.Kpi.Id), ct);
        }
    }

    /// <summary>Evaluates the rules of these KPIs; returns how many alerts changed state.</summary>
    public async Task<int> EvaluateAsync(IReadOnlyCollection<Guid> kpiIds, CancellationToken ct)
    {
        var ids = kpiIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return 0;
        }

        // The rules of these KPIs are read whole in one statement, not their ids first.
        var rules = await RulesToEvaluate().Where(r => ids.Contains(r.KpiId)).OrderBy(r => r.Id).ToListAsync(ct);
        return await EvaluateRulesAsync(InChunks(rules), null, ct);
    }

    /// <summary>Rules already read, as the chunks <see cref="EvaluateRulesAsync"/> takes.</summary>
    private static IEnumerable<Func<Task<List<AlertRule>>>> InChunks(IReadOnlyList<AlertRule> rules) =>
        rules.Chunk(RulesPerChunk).Select(chunk => (Func<Task<List<AlertRule>>>)(() => Task.FromResult(chunk.ToList())));

    /// <summary>Evaluates every rule of the organisation: catches no data and pending periods that end without a new value.</summary>
    public async Task<int> EvaluateAllAsync(CancellationToken ct)
    {
        var ids = await RulesToEvaluate().OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(ct);
        return await EvaluateRulesAsync(ids.Chunk(RulesPerChunk).Select(chunk => (Func<Task<List<AlertRule>>>)(() => RulesAsync(chunk, ct))), null, ct);
    }

    /// <summary>Enabled rules, and disabled ones still holding an open alert (evaluating them resolves it).</summary>
    private IQueryable<AlertRule> RulesToEvaluate() =>
        db.AlertRules.AsNoTracking().Where(r => r.Enabled || db.Alerts.Any(a => a.RuleId == r.Id && a.State != AlertState.Resolved));

    private Task<List<AlertRule>> RulesAsync(IReadOnlyCollection<Guid> ruleIds, CancellationToken ct)
    {
        var ids = ruleIds.ToList();
        return db.AlertRules.AsNoTracking().Where(r => ids.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync(ct);
    }

    /// <summary>
    /// Reads the rules chunk by chunk with all they need, decides each in memory and writes only the decisions that
    /// change something: a pass costs a few statements per chunk plus the writes of its transitions. KPIs just
    /// <paramref name="stored"/> are taken as their write left them rather than read.
    /// </summary>
    private async Task<int> EvaluateRulesAsync(IEnumerable<Func<Task<List<AlertRule>>>> chunks, IReadOnlyDictionary<Guid, StoredKpi>? stored, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = OkapiInstruments.Activities.StartActivity("okapi.alert.evaluation");
        PeriodCalendar? calendar = null;
        var transitions = 0;
        var firings = 0;
        var changedKpis = new HashSet<Guid>();
        foreach (var chunk in chunks)
        {
            var rules = await chunk();
            if (rules.Count == 0)
            {
                continue;
            }

            calendar ??= await db.CalendarAsync(cache, ct);
            var now = clock.GetUtcNow();
            foreach (var state in await ReadAsync(rules, calendar, stored, ct))
            {
                if (Decide(state, now) is not null && await WriteAsync(state.Rule, calendar, ct) is { } transition)
                {
                    transitions++;
                    firings += transition is AlertTransition.OpenFiring or AlertTransition.Fire ? 1 : 0;
                    changedKpis.Add(state.Rule.KpiId);
                }
            }
        }

        if (changedKpis.Count > 0)
        {
            outbox.Wake();
            live.Publish(new KpiChanged(db.OrganisationId, changedKpis));
        }

        instruments.AlertsEvaluated(Stopwatch.GetElapsedTime(started), firings);
        activity?.SetTag("okapi.alert.transitions", transitions);
        return transitions;
    }

    /// <summary>A rule with its KPI, the KPI's periods it looks at and the newest value's instant, and its open alert (untracked).</summary>
    private sealed record RuleState(AlertRule Rule, Kpi Kpi, IReadOnlyList<KpiPeriod> Periods, DateTimeOffset? LatestAt, Alert? Open);

    /// <summary>
    /// The state of these rules in a fixed number of statements however many they are: their KPIs, their open alerts,
    /// and the recent periods of all those KPIs; after a write (<paramref name="stored"/>), the KPIs and periods it left
    /// and, on SQLite, the open alerts <see cref="KpiWatchers"/> knows. Rules whose KPI is gone are left out.
    /// </summary>
    private async Task<List<RuleState>> ReadAsync(List<AlertRule> rules, PeriodCalendar calendar, IReadOnlyDictionary<Guid, StoredKpi>? stored, CancellationToken ct)
    {
        var kpiIds = rules.Select(r => r.KpiId).Distinct().ToList();
        var kpis = stored is not null ? kpiIds.Where(stored.ContainsKey).ToDictionary(id => id, id => stored[id].Kpi)
            : kpiIds.Count == 0 ? [] : await db.Kpis.AsNoTracking().Where(k => kpiIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, ct);
        rules.RemoveAll(r => !kpis.ContainsKey(r.KpiId));
        if (rules.Count == 0)
        {
            return [];
        }

        // After a write, the open alerts as this instance knows them: a decision to change one reads it again. Not on
        // PostgreSQL, where another instance may have changed one a moment ago: a rule it fired must see this value.
        var open = stored is not null && !db.Database.IsNpgsql() ? await watchers.OpenAlertsAsync(db.OrganisationId, ct) : await OpenAlertsAsync(rules, ct);
        var recent = new Dictionary<(Guid KpiId, int Count), (IReadOnlyList<KpiPeriod> Periods, DateTimeOffset? LatestAt)>();
        var unread = new List<(Kpi Kpi, int Count)>();
        foreach (var (kpi, count) in rules.Select(r => (kpis[r.KpiId], r.PeriodsNeeded())).Distinct())
        {
            if (stored?.GetValueOrDefault(kpi.Id)?.RecentPeriods(count, calendar) is { } known)
            {
                recent[(kpi.Id, count)] = known;
            }
            else
            {
                unread.Add((kpi, count));
            }
        }

        foreach (var (key, read) in await db.RecentPeriodsAsync(unread, calendar, ct))
        {
            recent[key] = read;
        }

        return rules.Select(r =>
        {
            var (periods, latestAt) = recent[(r.KpiId, r.PeriodsNeeded())];
            return new RuleState(r, kpis[r.KpiId], periods, latestAt, open.GetValueOrDefault(r.Id));
        }).ToList();
    }

    /// <summary>The open alerts of these rules by rule id: the one-open-alert-per-rule index makes each the only one.</summary>
    private async Task<IReadOnlyDictionary<Guid, Alert>> OpenAlertsAsync(List<AlertRule> rules, CancellationToken ct)
    {
        var ids = rules.Select(r => r.Id).ToList();
        return (await db.Alerts.AsNoTracking().Where(a => ids.Contains(a.RuleId) && a.State != AlertState.Resolved).ToListAsync(ct))
            .GroupBy(a => a.RuleId).ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>The rule's decision when it changes something to store; null when it leaves everything as it is.</summary>
    private static AlertDecision? Decide(RuleState state, DateTimeOffset now)
    {
        var decision = state.Rule.Evaluate(state.Kpi, state.Periods, state.LatestAt, state.Open, now);
        return decision.Transition == AlertTransition.None ||
            (decision.Transition == AlertTransition.Stay && decision.Condition.Value is { } value && value == state.Open?.LastValue) ||
            (decision.Transition == AlertTransition.Stay && decision.Condition.Value is null)
            ? null
            : decision;
    }

    /// <summary>
    /// Stores a rule's decision in its own change tracker, so that a lost race or a failure leaves the other rules
    /// unharmed. The rule is read and decided again first: the chunk's read only tells which rules may change, and
    /// another pass may have moved the alert since; a lost race is decided again from what the winner stored.
    /// Returns the transition when the alert changed state, null when it did not.
    /// </summary>
    private async Task<AlertTransition?> WriteAsync(AlertRule rule, PeriodCalendar calendar, CancellationToken ct)
    {
        // One connection for the write's statements, opened once rather than for each; the scope's end closes it.
        await db.Database.OpenConnectionAsync(ct);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                await using var turn = await TakeTurnAsync(rule, ct);
                var now = clock.GetUtcNow();
                if (await ReadAsync(await RulesAsync([rule.Id], ct), calendar, null, ct) is not [var state] || Decide(state, now) is not { } decision)
                {
                    return null;
                }

                await StoreAsync(state, decision, now, ct);
                if (turn is not null)
                {
                    await turn.CommitAsync(ct);
                }

                return decision.Transition is AlertTransition.None or AlertTransition.Stay ? null : decision.Transition;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another pass moved the same alert first (its Version changed): what it did stands; decide again from it.
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // Most likely IX_Alerts_OpenPerRule: another pass opened this rule's alert first. Decide again from it.
            }
            catch (DbUpdateException exception)
            {
                logger.LogWarning(exception, "Alert rule {RuleId} could not be evaluated", rule.Id);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        return null;
    }

    /// <summary>
    /// On PostgreSQL, where several instances may evaluate the same rule at once, a transaction holding the rule's row
    /// lock: the passes that would change one rule's alert read, decide and store one after the other, each from what the
    /// one before committed, so none decides from a state that changed meanwhile (ADR-013). It holds the KPI's row too,
    /// which ingestion locks to write values: a value committed before the decision is in what it reads, and one
    /// committed after it is evaluated once the alert is stored, so a value resolving a just-fired alert is never
    /// decided against the state before it fired. Disposing it without a commit rolls back. On SQLite, one instance
    /// whose writers already line up, null.
    /// </summary>
    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction?> TakeTurnAsync(AlertRule rule, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return null;
        }

        var transaction = await db.Database.BeginTransactionAsync(ct);
        // NO KEY UPDATE rather than UPDATE: writes that only reference the rule (a delivery, an acknowledgement) need not
        // wait. The rule first, then its KPI, always in that order; ingestion takes KPIs only.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"AlertRules\" WHERE \"Id\" = {rule.Id} FOR NO KEY UPDATE", ct);
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Kpis\" WHERE \"Id\" = {rule.KpiId} FOR NO KEY UPDATE", ct);
        return transaction;
    }

    private async Task StoreAsync(RuleState state, AlertDecision decision, DateTimeOffset now, CancellationToken ct)
    {
        var (rule, kpi, open) = (state.Rule, state.Kpi, state.Open);
        var notification = decision.NotificationFor(open);
        if (open is not null)
        {
            // Tracked before the decision changes it, so that the save checks the Version it was read with.
            db.Alerts.Attach(open);
        }

        var alert = decision.ApplyTo(rule, open, now)!;
        if (decision.OpensAlert)
        {
            db.Alerts.Add(alert);
        }

        if (notification is { } sent)
        {
            await outbox.QueueAsync(rule, alert, kpi, sent, ct);
        }

        await db.SaveChangesAsync(ct);
    }
}
