using Microsoft.EntityFrameworkCore;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Alerts;

/// <summary>
/// Evaluates the alert rules of the context's organisation: loads each rule's KPI, recent periods and open alert,
/// lets <see cref="AlertRuleEvaluation.Evaluate"/> decide, and saves the transition with its notifications in one
/// SaveChanges. Runs after ingestion (as an <see cref="IKpiValueObserver"/>) and on the worker's timer.
/// </summary>
public sealed class AlertEvaluator(OkapiDbContext db, Outbox outbox, LiveUpdates live, TimeProvider clock, ILogger<AlertEvaluator> logger) : IKpiValueObserver
{
    /// <summary>A racing pass that lost is re-decided from what the winner stored; a few rounds settle any race.</summary>
    private const int MaxAttempts = 3;

    public Task OnValuesStoredAsync(IReadOnlyCollection<Guid> kpiIds, CancellationToken ct) => EvaluateAsync(kpiIds, ct);

    /// <summary>Evaluates the rules of these KPIs; returns how many alerts changed state.</summary>
    public async Task<int> EvaluateAsync(IReadOnlyCollection<Guid> kpiIds, CancellationToken ct)
    {
        var ids = kpiIds.Distinct().ToList();
        return ids.Count == 0 ? 0 : await EvaluateRulesAsync(RulesToEvaluate().Where(r => ids.Contains(r.KpiId)), ct);
    }

    /// <summary>Evaluates every rule of the organisation: catches no data and pending periods that end without a new value.</summary>
    public Task<int> EvaluateAllAsync(CancellationToken ct) => EvaluateRulesAsync(RulesToEvaluate(), ct);

    /// <summary>Enabled rules, and disabled ones still holding an open alert (evaluating them resolves it).</summary>
    private IQueryable<AlertRule> RulesToEvaluate() =>
        db.AlertRules.AsNoTracking().Where(r => r.Enabled || db.Alerts.Any(a => a.RuleId == r.Id && a.State != AlertState.Resolved));

    private async Task<int> EvaluateRulesAsync(IQueryable<AlertRule> rules, CancellationToken ct)
    {
        var byKpi = (await rules.Select(r => new { r.Id, r.KpiId }).ToListAsync(ct)).GroupBy(r => r.KpiId).ToList();
        if (byKpi.Count == 0)
        {
            return 0;
        }

        var calendar = await db.CalendarAsync(ct);
        var transitions = 0;
        var changedKpis = new HashSet<Guid>();
        foreach (var group in byKpi)
        {
            foreach (var rule in group)
            {
                if (await EvaluateRuleAsync(rule.Id, calendar, ct))
                {
                    transitions++;
                    changedKpis.Add(group.Key);
                }
            }
        }

        if (changedKpis.Count > 0)
        {
            outbox.Wake();
            live.Publish(new KpiChanged(db.OrganisationId, changedKpis));
        }

        return transitions;
    }

    /// <summary>One rule in its own change tracker, so that a lost race or a failure leaves the other rules unharmed.</summary>
    private async Task<bool> EvaluateRuleAsync(Guid ruleId, PeriodCalendar calendar, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                return await TryEvaluateRuleAsync(ruleId, calendar, ct);
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
                logger.LogWarning(exception, "Alert rule {RuleId} could not be evaluated", ruleId);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        return false;
    }

    private async Task<bool> TryEvaluateRuleAsync(Guid ruleId, PeriodCalendar calendar, CancellationToken ct)
    {
        var rule = await db.AlertRules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == ruleId, ct);
        var kpi = rule is null ? null : await db.Kpis.AsNoTracking().FirstOrDefaultAsync(k => k.Id == rule.KpiId, ct);
        if (rule is null || kpi is null)
        {
            return false;
        }

        var open = await db.Alerts.FirstOrDefaultAsync(a => a.RuleId == rule.Id && a.State != AlertState.Resolved, ct);
        var now = clock.GetUtcNow();
        var (periods, latestAt) = await db.RecentPeriodsAsync(kpi, rule.PeriodsNeeded(), calendar, ct);
        var decision = rule.Evaluate(kpi, periods, latestAt, open, now);
        if (decision.Transition == AlertTransition.None ||
            (decision.Transition == AlertTransition.Stay && decision.Condition.Value is { } value && value == open?.LastValue) ||
            (decision.Transition == AlertTransition.Stay && decision.Condition.Value is null))
        {
            return false;
        }

        var notification = decision.NotificationFor(open);
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
        return decision.Transition is not (AlertTransition.None or AlertTransition.Stay);
    }
}
