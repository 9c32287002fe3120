using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Sources;

/// <summary>
/// Pull sources of KPIs. They are configuration that may name internal systems, so only those who may edit the
/// KPI see and change them.
/// </summary>
public sealed class KpiSourceService(OkapiDbContext db, Caller caller, TimeProvider clock, OutboundGuard guard, SourceConnections connections, SourceRunner runner, SourceHeaderProtector headers)
{
    private const string EditorsOnly = "Only those who may edit the KPI manage its sources.";

    public async Task<Page<KpiSourceDto>> ListAsync(KpiSourceFilter filter, PageRequest page, CancellationToken ct)
    {
        // One KPI's sources (its page asks on every view) read that KPI alone, not every KPI the caller may see.
        var kpis = caller.Visible(db.Kpis.AsNoTracking());
        if (filter.Kpi is { } kpi) kpis = kpis.Where(k => k.Id == kpi);
        var editable = (await kpis.ToListAsync(ct)).Where(caller.CanEdit).Select(k => k.Id).ToList();
        var query = db.KpiSources.AsNoTracking().Where(s => editable.Contains(s.KpiId));
        var (items, total) = await page.ApplyAsync(query.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id), ct);
        return new Page<KpiSourceDto>(items.Select(KpiSourceDto.From).ToList(), page.Number, page.Size, total);
    }

    public async Task<Outcome<KpiSourceDto>> GetAsync(Guid id, CancellationToken ct)
    {
        var (source, kpi) = await FindAsync(id, ct);
        if (source is null || kpi is null)
        {
            return Failure.NotFound;
        }

        return caller.CanEdit(kpi) ? KpiSourceDto.From(source) : Failure.Forbidden(EditorsOnly);
    }

    public async Task<Outcome<KpiSourceDto>> CreateAsync(KpiSourceRequest request, CancellationToken ct)
    {
        var kpi = await caller.Visible(db.Kpis.AsNoTracking()).FirstOrDefaultAsync(k => k.Id == request.KpiId, ct);
        if (kpi is null)
        {
            return Failure.Invalid("kpiId", "The KPI does not exist.");
        }

        if (!caller.CanEdit(kpi))
        {
            return Failure.Forbidden(EditorsOnly);
        }

        if (kpi.WhyReadOnly is { } archived)
        {
            return Failure.Conflict(archived);
        }

        var source = new KpiSource { Schedule = "" };
        var missing = Apply(source, request);
        var errors = (await ValidateAsync(source, request, ct)).Include(missing);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        KeepHeader(source, request);
        source.NextRunAt = await NextRunAsync(source, ct);
        db.KpiSources.Add(source);
        await db.SaveChangesAsync(ct);
        return KpiSourceDto.From(source);
    }

    public async Task<Outcome<KpiSourceDto>> UpdateAsync(Guid id, KpiSourceRequest request, IfMatch expectedVersion, CancellationToken ct)
    {
        var (source, kpi) = await FindAsync(id, ct, track: true);
        if (source is null || kpi is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanEdit(kpi), EditorsOnly, db, source, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (kpi.WhyReadOnly is { } archived)
        {
            return Failure.Conflict(archived);
        }

        if (request.KpiId != source.KpiId)
        {
            return Failure.Invalid("kpiId", "A source cannot move to another KPI.");
        }

        var missing = Apply(source, request);
        var errors = (await ValidateAsync(source, request, ct)).Include(missing);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        KeepHeader(source, request);
        source.NextRunAt = await NextRunAsync(source, ct);
        await db.SaveChangesAsync(ct);
        return KpiSourceDto.From(source);
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid id, IfMatch expectedVersion, CancellationToken ct)
    {
        var (source, kpi) = await FindAsync(id, ct, track: true);
        if (source is null || kpi is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanEdit(kpi), EditorsOnly, db, source, expectedVersion) is { } refused)
        {
            return refused;
        }

        db.KpiSources.Remove(source);
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    /// <summary>Runs the source now, whatever its schedule, and says what it stored or why it stored nothing.</summary>
    public async Task<Outcome<KpiSourceRunDto>> RunNowAsync(Guid id, CancellationToken ct)
    {
        var (source, kpi) = await FindAsync(id, ct);
        if (source is null || kpi is null)
        {
            return Failure.NotFound;
        }

        if (!caller.CanEdit(kpi))
        {
            return Failure.Forbidden(EditorsOnly);
        }

        if (kpi.WhyReadOnly is { } archived)
        {
            return Failure.Conflict(archived);
        }

        var now = clock.GetUtcNow();
        var until = now.UtcDateTime + SourceWorker.LockFor;
        var at = now.UtcDateTime;
        var claimed = await db.KpiSources.Where(s => s.Id == id && (s.LockedUntil == null || s.LockedUntil < at))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LockedUntil, until), ct);
        if (claimed != 1)
        {
            return Failure.Conflict("The source is running right now; try again in a moment.");
        }

        return await runner.RunAsync(source, now, ct);
    }

    private async Task<(KpiSource? Source, Kpi? Kpi)> FindAsync(Guid id, CancellationToken ct, bool track = false)
    {
        var sources = track ? db.KpiSources : db.KpiSources.AsNoTracking();
        var source = await sources.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return (null, null);
        }

        var kpi = await caller.Visible(db.Kpis.AsNoTracking()).FirstOrDefaultAsync(k => k.Id == source.KpiId, ct);
        return kpi is not null ? (source, kpi) : (null, null);
    }

    private async Task<DateTime?> NextRunAsync(KpiSource source, CancellationToken ct) =>
        source.Enabled ? SourceRunner.NextRun(source.Schedule, clock.GetUtcNow(), (await db.CalendarAsync(ct)).Zone) : null;

    /// <summary>Copies the request onto the source; returns the errors of required fields it lacks.</summary>
    private static ValidationErrors Apply(KpiSource s, KpiSourceRequest r)
    {
        var missing = new ValidationErrors();
        s.KpiId = r.KpiId;
        s.Kind = missing.Required(r.Kind, "kind");
        s.Schedule = r.Schedule?.Trim() ?? "";
        s.Url = Clean(r.Url);
        s.JsonPath = Clean(r.JsonPath);
        s.ConnectionName = Clean(r.ConnectionName);
        s.Query = Clean(r.Query);
        s.Enabled = r.Enabled ?? true;
        return missing;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Stores the header as asked: a new value encrypted, the stored one kept when only the name comes, none without a name.</summary>
    private void KeepHeader(KpiSource s, KpiSourceRequest r)
    {
        s.HeaderName = Clean(r.HeaderName);
        if (s.HeaderName is null)
        {
            s.ProtectedHeaderValue = null;
        }
        else if (!string.IsNullOrEmpty(r.HeaderValue))
        {
            s.ProtectedHeaderValue = headers.Protect(r.HeaderValue);
        }
    }

    private async Task<ValidationErrors> ValidateAsync(KpiSource s, KpiSourceRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Validate(s.Kind, Clean(r.HeaderName), string.IsNullOrEmpty(r.HeaderValue) ? null : r.HeaderValue, s.ProtectedHeaderValue is not null)
            .Require(Enum.IsDefined(s.Kind), "kind", "must be httpJson, sql or prometheus.")
            .Require(SourceRunner.ParseSchedule(s.Schedule) is not null, "schedule",
                "must be a cron expression of five fields (minute hour day month weekday), or six with seconds first, e.g. '*/15 * * * *'.");
        switch (s.Kind)
        {
            case KpiSourceKind.HttpJson:
                await ValidateUrlAsync(s.Url, errors, ct);
                errors.Require(s.JsonPath is not null && KpiPullers.IsJsonPath(s.JsonPath), "jsonPath", "must be a JSON path starting with '$', e.g. '$.data.total'.");
                break;
            case KpiSourceKind.Prometheus:
                await ValidateUrlAsync(s.Url, errors, ct);
                errors.Text(s.Query, "query", 4000);
                break;
            case KpiSourceKind.Sql:
                errors.Require(s.ConnectionName is not null && connections.Find(s.ConnectionName) is not null, "connectionName",
                    $"must name a connection configured under {SourceConnections.Section.Replace(':', '.')}.");
                errors.Text(s.Query, "query", 4000);
                break;
        }

        return errors;
    }

    private async Task ValidateUrlAsync(string? url, ValidationErrors errors, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            errors.Add("url", "must be an absolute http or https URL.");
        }
        else if (await guard.RefuseAsync(uri, ct) is { } refused)
        {
            errors.Add("url", refused);
        }
    }
}
