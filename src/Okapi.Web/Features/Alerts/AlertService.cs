using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Alerts;

/// <summary>Alerts of the KPIs the caller may see, and acknowledging them; for the API and the pages alike.</summary>
public sealed class AlertService(OkapiDbContext db, Caller caller, Outbox outbox, LiveUpdates live, TimeProvider clock)
{
    /// <summary>Newest first.</summary>
    public async Task<Page<AlertDto>> ListAsync(AlertFilter filter, PageRequest page, CancellationToken ct)
    {
        var query = Visible();
        if (filter.Kpi is { } kpi) query = query.Where(r => r.Alert.KpiId == kpi);
        if (filter.State?.Value is { } state) query = query.Where(r => r.Alert.State == state);
        if (filter.Open is { } open) query = open ? query.Where(r => r.Alert.State != AlertState.Resolved) : query.Where(r => r.Alert.State == AlertState.Resolved);
        if (filter.Rule is { } rule) query = query.Where(r => r.Alert.RuleId == rule);
        if (filter.Since is { } since) query = query.Where(InPeriod(since.UtcDateTime));
        var (items, total) = await page.ApplyAsync(query.OrderByDescending(r => r.Alert.StartedAt).ThenByDescending(r => r.Alert.Id), ct);
        return new Page<AlertDto>(items.Select(ToDto).ToList(), page.Number, page.Size, total);
    }

    /// <summary>How far back the grouped alerts look unless asked otherwise.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(7);

    /// <summary>
    /// One group per rule with alerts in the period (still open, or resolved since its start): open groups first, firing
    /// before pending, then the latest change first.
    /// </summary>
    public async Task<Page<AlertGroupDto>> ListGroupsAsync(AlertGroupFilter filter, PageRequest page, CancellationToken ct)
    {
        var since = filter.Since?.UtcDateTime ?? clock.GetUtcNow().UtcDateTime - DefaultPeriod;
        var rows = Visible().Where(InPeriod(since));
        if (filter.Kpi is { } kpi) rows = rows.Where(r => r.Alert.KpiId == kpi);
        var groups =
            from r in rows
            group r.Alert by r.Alert.RuleId into g
            select new GroupRow
            {
                RuleId = g.Key,
                Firing = g.Count(a => a.State == AlertState.Firing),
                Open = g.Count(a => a.State != AlertState.Resolved),
                Fired = g.Count(a => a.FiredAt >= since),
                Alerts = g.Count(),
                LastChangeAt = g.Max(a => a.ResolvedAt ?? a.FiredAt ?? a.StartedAt),
            };
        var ordered = groups.OrderByDescending(g => g.Firing).ThenByDescending(g => g.Open).ThenByDescending(g => g.LastChangeAt).ThenBy(g => g.RuleId);
        var (items, total) = await page.ApplyAsync(ordered, ct);

        var ids = items.Select(g => g.RuleId).ToList();
        var rules = await (from rule in db.AlertRules.AsNoTracking()
                           join k in db.Kpis on rule.KpiId equals k.Id
                           where ids.Contains(rule.Id)
                           select new { rule.Id, rule.Name, rule.Severity, KpiId = k.Id, KpiName = k.Name }).ToDictionaryAsync(r => r.Id, ct);
        var open = (await Visible().Where(r => ids.Contains(r.Alert.RuleId) && r.Alert.State != AlertState.Resolved).ToListAsync(ct))
            .ToDictionary(r => r.Alert.RuleId, ToDto);
        var dtos = items.Select(g =>
        {
            var rule = rules[g.RuleId];
            var current = open.GetValueOrDefault(g.RuleId);
            return new AlertGroupDto(g.RuleId, rule.Name, rule.KpiId, rule.KpiName, rule.Severity, current?.State ?? AlertState.Resolved,
                g.Fired, g.Alerts, g.LastChangeAt, current);
        }).ToList();
        return new Page<AlertGroupDto>(dtos, page.Number, page.Size, total);
    }

    /// <summary>The alert history of one KPI, newest first, for its page.</summary>
    public Task<Page<AlertDto>> ListForKpiAsync(Guid kpiId, PageRequest page, CancellationToken ct) =>
        ListAsync(new AlertFilter(kpiId, null, null), page, ct);

    public async Task<Outcome<AlertDto>> GetAsync(Guid id, CancellationToken ct) =>
        await Visible().FirstOrDefaultAsync(r => r.Alert.Id == id, ct) is { } row ? ToDto(row) : Failure.NotFound;

    public async Task<Outcome<AlertDto>> AcknowledgeAsync(Guid id, AcknowledgeRequest request, CancellationToken ct)
    {
        var errors = new ValidationErrors().Text(request.Note, "note", 2000, required: false);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        // The evaluator may move the alert meanwhile (its version changes); acknowledge what it left.
        for (var attempt = 0; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var visible = caller.Visible(db.Kpis);
            var alert = await db.Alerts.FirstOrDefaultAsync(a => a.Id == id && visible.Any(k => k.Id == a.KpiId), ct);
            if (alert is null)
            {
                return Failure.NotFound;
            }

            if (!caller.CanWrite)
            {
                return Failure.Forbidden("Acknowledging an alert needs write access.");
            }

            if (!alert.IsOpen)
            {
                return Failure.Conflict("The alert is resolved; only pending and firing alerts can be acknowledged.");
            }

            var rule = await db.AlertRules.AsNoTracking().FirstAsync(r => r.Id == alert.RuleId, ct);
            var kpi = await db.Kpis.AsNoTracking().FirstAsync(k => k.Id == alert.KpiId, ct);
            alert.AcknowledgedById = caller.PersonId;
            alert.AcknowledgedAt = clock.GetUtcNow().UtcDateTime;
            alert.AcknowledgementNote = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
            await outbox.QueueAsync(rule, alert, kpi, NotificationEvent.AlertAcknowledged, ct);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 2)
            {
                continue;
            }

            db.ChangeTracker.Clear();
            outbox.Wake();
            live.Publish(new KpiChanged(db.OrganisationId, new HashSet<Guid> { alert.KpiId }));
            return (await GetAsync(id, ct)).Value!;
        }
    }

    /// <summary>Alerts that belong to a period starting at <paramref name="since"/>: still open, or resolved since.</summary>
    private static Expression<Func<Row, bool>> InPeriod(DateTime since) =>
        r => r.Alert.State != AlertState.Resolved || r.Alert.ResolvedAt >= since;

    // Member initialisation rather than a constructor, so that EF can filter and order on the projection.
    private sealed class GroupRow
    {
        public required Guid RuleId { get; init; }
        public required int Firing { get; init; }
        public required int Open { get; init; }
        public required int Fired { get; init; }
        public required int Alerts { get; init; }
        public required DateTime LastChangeAt { get; init; }
    }

    private sealed class Row
    {
        public required Alert Alert { get; init; }
        public required string RuleName { get; init; }
        public required Kpi Kpi { get; init; }
    }

    private IQueryable<Row> Visible() =>
        from alert in db.Alerts.AsNoTracking()
        join rule in db.AlertRules on alert.RuleId equals rule.Id
        join kpi in caller.Visible(db.Kpis) on alert.KpiId equals kpi.Id
        select new Row { Alert = alert, RuleName = rule.Name, Kpi = kpi };

    private AlertDto ToDto(Row row)
    {
        var a = row.Alert;
        return new AlertDto(a.Id, a.RuleId, row.RuleName, a.KpiId, row.Kpi.Name, a.State, a.Severity, a.StartedAt, a.FiredAt, a.ResolvedAt,
            a.ValueAtStart, a.LastValue, a.Summary, a.AcknowledgedById, a.AcknowledgedAt, a.AcknowledgementNote, a.Version,
            caller.CanWrite && a.IsOpen);
    }
}

/// <summary>Alert rules of the KPIs the caller may see; for the API and the pages alike.</summary>
public sealed class AlertRuleService(OkapiDbContext db, Caller caller, AlertEvaluator evaluator)
{
    public async Task<Page<AlertRuleDto>> ListAsync(Guid? kpiId, PageRequest page, CancellationToken ct)
    {
        var query = Visible();
        if (kpiId is { } kpi) query = query.Where(r => r.Rule.KpiId == kpi);
        var (items, total) = await page.ApplyAsync(query.OrderBy(r => r.Rule.CreatedAt).ThenBy(r => r.Rule.Id), ct);
        return new Page<AlertRuleDto>(items.Select(r => ToDto(r.Rule, r.Kpi)).ToList(), page.Number, page.Size, total);
    }

    public async Task<Outcome<AlertRuleDto>> GetAsync(Guid id, CancellationToken ct) =>
        await Visible().FirstOrDefaultAsync(r => r.Rule.Id == id, ct) is { } row ? ToDto(row.Rule, row.Kpi) : Failure.NotFound;

    public async Task<Outcome<AlertRuleDto>> CreateAsync(AlertRuleRequest request, CancellationToken ct)
    {
        var kpi = await caller.Visible(db.Kpis).AsNoTracking().FirstOrDefaultAsync(k => k.Id == request.KpiId, ct);
        if (kpi is null)
        {
            return Failure.Invalid("kpiId", "The KPI does not exist.");
        }

        if (!caller.CanEdit(kpi))
        {
            return Failure.Forbidden("Only those who may edit the KPI add alert rules to it.");
        }

        if (kpi.WhyReadOnly is { } archived)
        {
            return Failure.Conflict(archived);
        }

        var rule = new AlertRule { Name = "" };
        var missing = Apply(rule, request);
        var errors = (await ValidateAsync(rule, ct)).Include(missing);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        db.AlertRules.Add(rule);
        await db.SaveChangesAsync(ct);
        return await EvaluatedAsync(rule, kpi, ct);
    }

    public async Task<Outcome<AlertRuleDto>> UpdateAsync(Guid id, AlertRuleRequest request, IfMatch expectedVersion, CancellationToken ct)
    {
        var (rule, kpi) = await FindAsync(id, ct);
        if (rule is null || kpi is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanEdit(kpi), "Only those who may edit the KPI edit its alert rules.", db, rule, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (kpi.WhyReadOnly is { } archived)
        {
            return Failure.Conflict(archived);
        }

        if (request.KpiId != rule.KpiId)
        {
            return Failure.Invalid("kpiId", "An alert rule cannot move to another KPI; create a new rule instead.");
        }

        var missing = Apply(rule, request);
        var errors = (await ValidateAsync(rule, ct)).Include(missing);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        await db.SaveChangesAsync(ct);
        return await EvaluatedAsync(rule, kpi, ct);
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid id, IfMatch expectedVersion, CancellationToken ct)
    {
        var (rule, kpi) = await FindAsync(id, ct);
        if (rule is null || kpi is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanEdit(kpi), "Only those who may edit the KPI delete its alert rules.", db, rule, expectedVersion) is { } refused)
        {
            return refused;
        }

        db.AlertRules.Remove(rule);
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    /// <summary>
    /// A new or changed rule is evaluated at once, as Grafana does on its next tick: a KPI already in trouble alerts
    /// without waiting for a value, and a disabled rule's open alert resolves.
    /// </summary>
    private async Task<AlertRuleDto> EvaluatedAsync(AlertRule rule, Kpi kpi, CancellationToken ct)
    {
        var dto = ToDto(rule, kpi);
        await evaluator.EvaluateAsync([rule.KpiId], ct);
        return dto;
    }

    private sealed class Row
    {
        public required AlertRule Rule { get; init; }
        public required Kpi Kpi { get; init; }
    }

    private IQueryable<Row> Visible() =>
        from rule in db.AlertRules.AsNoTracking()
        join kpi in caller.Visible(db.Kpis) on rule.KpiId equals kpi.Id
        select new Row { Rule = rule, Kpi = kpi };

    /// <summary>The rule, tracked for a change, and its KPI, if the caller may see that KPI.</summary>
    private async Task<(AlertRule? Rule, Kpi? Kpi)> FindAsync(Guid id, CancellationToken ct)
    {
        var rule = await db.AlertRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        var kpi = rule is null ? null : await caller.Visible(db.Kpis).AsNoTracking().FirstOrDefaultAsync(k => k.Id == rule.KpiId, ct);
        return kpi is null ? (null, null) : (rule, kpi);
    }

    private AlertRuleDto ToDto(AlertRule r, Kpi kpi) =>
        new(r.Id, r.KpiId, r.Name, r.Kind, r.Severity, r.ThresholdLevel, r.ChangePercent, r.ChangeDirection, r.ChangeBaseline, r.WindowPeriods,
            r.NoDataCadences, r.PendingSeconds, r.RepeatMinutes, r.Enabled, r.ChannelIds, r.Version, r.CreatedAt, r.UpdatedAt, caller.CanEdit(kpi));

    /// <summary>Copies the request onto the rule; returns the errors of required fields it lacks.</summary>
    private static ValidationErrors Apply(AlertRule rule, AlertRuleRequest r)
    {
        var missing = new ValidationErrors();
        var defaults = new AlertRule { Name = "" };
        rule.KpiId = r.KpiId;
        rule.Name = r.Name?.Trim() ?? "";
        rule.Kind = missing.Required(r.Kind, "kind");
        rule.Severity = r.Severity ?? defaults.Severity;
        rule.ThresholdLevel = r.ThresholdLevel ?? defaults.ThresholdLevel;
        rule.ChangePercent = r.ChangePercent;
        rule.ChangeDirection = r.ChangeDirection ?? defaults.ChangeDirection;
        rule.ChangeBaseline = r.ChangeBaseline ?? defaults.ChangeBaseline;
        rule.WindowPeriods = r.WindowPeriods ?? defaults.WindowPeriods;
        rule.NoDataCadences = r.NoDataCadences ?? defaults.NoDataCadences;
        rule.PendingSeconds = r.PendingSeconds ?? defaults.PendingSeconds;
        rule.RepeatMinutes = r.RepeatMinutes;
        rule.Enabled = r.Enabled ?? true;
        rule.ChannelIds = r.ChannelIds?.ToList() ?? [];
        return missing;
    }

    private async Task<ValidationErrors> ValidateAsync(AlertRule rule, CancellationToken ct)
    {
        var errors = rule.Validate();
        var ids = rule.ChannelIds.Distinct().ToList();
        var known = await db.Channels.CountAsync(c => ids.Contains(c.Id), ct);
        return errors.Require(known == ids.Count, "channelIds", "names a channel that does not exist.");
    }
}
