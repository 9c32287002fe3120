using System.Text;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

/// <summary>KPIs, their periods and their values, for the API and the pages alike.</summary>
public sealed class KpiService(OkapiDbContext db, Caller caller, KpiIngestion ingestion, KpiLookup lookup, TimeProvider clock)
{
    public const int DefaultMaxPoints = 1000;
    public const int MaxMaxPoints = 10_000;
    public const int SparklinePeriods = 12;
    public static readonly TimeSpan DefaultSeriesRange = TimeSpan.FromDays(30);
    public static readonly TimeSpan DefaultPeriodsRange = TimeSpan.FromDays(365);

    /// <summary>The most raw values a chart reads; a range holding more is drawn from the day rollups.</summary>
    public const int MaxRawSeriesValues = 20_000;

    public async Task<Page<KpiDto>> ListAsync(KpiFilter filter, PageRequest page, CancellationToken ct)
    {
        var query = Filtered(filter).OrderBy(k => k.Name).ThenBy(k => k.Id);
        if (filter.Health?.Value is not { } health)
        {
            var (items, total) = await page.ApplyAsync(query, ct);
            return new Page<KpiDto>(await ToDtosAsync(items, ct), page.Number, page.Size, total);
        }

        // Health depends on the clock, so this filter runs in memory, over the KPI rows alone (their current
        // figures are kept on them), never over values.
        var matching = (await ToDtosAsync(await query.ToListAsync(ct), ct)).Where(d => d.Health == health).ToList();
        var pageItems = matching.Skip((page.Number - 1) * page.Size).Take(page.Size).ToList();
        return new Page<KpiDto>(pageItems, page.Number, page.Size, matching.Count);
    }

    /// <summary>
    /// One page of the KPIs the caller may see that match the filter, with sparklines, for the dashboard: the
    /// page's day rollups are read, never raw values, so its cost is the same at any history.
    /// </summary>
    public async Task<Page<KpiTileDto>> DashboardAsync(KpiFilter filter, PageRequest page, CancellationToken ct)
    {
        var query = Filtered(filter).OrderBy(k => k.Name).ThenBy(k => k.Id);
        List<Kpi> kpis;
        int total;
        if (filter.Health?.Value is not { } health)
        {
            (kpis, total) = await page.ApplyAsync(query, ct);
        }
        else
        {
            var all = await query.ToListAsync(ct);
            var now = clock.GetUtcNow();
            var matching = all.Where(k => k.Health(LatestReading(k), now) == health).ToList();
            (kpis, total) = (matching.Skip((page.Number - 1) * page.Size).Take(page.Size).ToList(), matching.Count);
        }

        var snapshots = await SnapshotsAsync(kpis, SparklinePeriods, ct);
        var tiles = kpis.Select(k => new KpiTileDto(snapshots[k.Id].Dto, snapshots[k.Id].Periods.Select(p => p.Value).ToList())).ToList();
        return new Page<KpiTileDto>(tiles, page.Number, page.Size, total);
    }

    /// <summary>The tags of the KPIs the caller may see, for a filter: one small column of each KPI row.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(CancellationToken ct) =>
        (await caller.Visible(db.Kpis.AsNoTracking()).Select(k => k.Tags).ToListAsync(ct)).SelectMany(t => t).Distinct().Order().ToList();

    /// <summary>The KPIs the caller or one of their teams owns that have an open alert, by name (Home's "my KPIs in alert").</summary>
    public async Task<IReadOnlyList<KpiDto>> MyAlertedAsync(CancellationToken ct)
    {
        var kpis = await caller.Visible(db.Kpis.AsNoTracking()).InUse().Where(caller.Actor.OwnsKpi)
            .Where(k => db.Alerts.Any(a => a.KpiId == k.Id && a.State != AlertState.Resolved))
            .OrderBy(k => k.Name).ThenBy(k => k.Id).ToListAsync(ct);
        return await ToDtosAsync(kpis, ct);
    }

    /// <summary>
    /// The organisation's public KPIs in use, whoever asks: what may leave for a monitoring system. One read of one row
    /// per KPI with its owner team's name; the latest value and current figures are kept on the KPI row.
    /// </summary>
    public async Task<IReadOnlyList<KpiMetricsDto>> PublicMetricsAsync(CancellationToken ct)
    {
        var rows = await db.Kpis.AsNoTracking().InUse().Where(k => k.Visibility == Okapi.Core.Okrs.Visibility.Public)
            .OrderBy(k => k.Key)
            .Select(k => new { Kpi = k, Team = db.Teams.Where(t => t.Id == k.OwnerTeamId).Select(t => t.Name).FirstOrDefault() })
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        return rows.Select(r => new KpiMetricsDto(r.Kpi.Key, r.Kpi.Name, r.Kpi.Unit, r.Team, r.Kpi.LatestValue,
            r.Kpi.LatestAt is { } at ? new DateTimeOffset(at) : null, r.Kpi.Target, r.Kpi.WarningLower, r.Kpi.WarningUpper,
            r.Kpi.CriticalLower, r.Kpi.CriticalUpper, r.Kpi.Health(LatestReading(r.Kpi), now))).ToList();
    }

    public async Task<Outcome<KpiDto>> GetAsync(Guid id, CancellationToken ct)
    {
        var kpi = await FindAsync(id, ct);
        return kpi is null ? Failure.NotFound : await ToDtoAsync(kpi, ct);
    }

    /// <summary>A KPI by its key, if the caller may see it; null otherwise.</summary>
    public async Task<KpiDto?> FindByKeyAsync(string key, CancellationToken ct)
    {
        var kpi = await caller.Visible(db.Kpis.AsNoTracking()).FirstOrDefaultAsync(k => k.Key == key, ct);
        return kpi is null ? null : await ToDtoAsync(kpi, ct);
    }

    public async Task<Outcome<KpiDto>> CreateAsync(KpiRequest request, CancellationToken ct)
    {
        if (!caller.CanWrite)
        {
            return Failure.Forbidden("Viewers can read but not create KPIs.");
        }

        var kpi = new Kpi { Name = "", Key = "" };
        Apply(kpi, request);
        if (string.IsNullOrWhiteSpace(request.Key))
        {
            kpi.Key = await UniqueKeyAsync(Slug(kpi.Name), ct);
        }

        var errors = await ValidateAsync(kpi, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        if (!caller.CanEdit(kpi))
        {
            return Failure.Forbidden("Members create KPIs for themselves or for their own teams.");
        }

        db.Kpis.Add(kpi);
        return await SaveAsync(kpi, ct);
    }

    public async Task<Outcome<KpiDto>> UpdateAsync(Guid id, KpiRequest request, IfMatch expectedVersion, CancellationToken ct)
    {
        var kpi = await FindAsync(id, ct, track: true);
        if (kpi is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanEdit(kpi), "Only the owner, the owner team's members and admins edit this KPI.", db, kpi, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (kpi.WhyReadOnly is { } archived)
        {
            return Failure.Conflict(archived);
        }

        var (key, cadence, aggregation) = (kpi.Key, kpi.Cadence, kpi.Aggregation);
        Apply(kpi, request);
        // The key is what integrations push to: it stays unless a new one is asked for.
        kpi.Key = string.IsNullOrWhiteSpace(request.Key) ? key : kpi.Key;
        var errors = await ValidateAsync(kpi, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        if (!caller.CanEdit(kpi))
        {
            return Failure.Forbidden("Members may not hand a KPI to a team they are not in.");
        }

        if (kpi.Cadence == cadence && kpi.Aggregation == aggregation)
        {
            return await SaveAsync(kpi, ct);
        }

        // The day rollups do not depend on cadence or aggregation; the current period's figures do.
        return await SaveAsync(kpi, ct, refreshCurrent: true);
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid id, IfMatch expectedVersion, CancellationToken ct)
    {
        var kpi = await FindAsync(id, ct, track: true);
        if (kpi is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanEdit(kpi), "Only the owner, the owner team's members and admins delete this KPI.", db, kpi, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (kpi.WhyReadOnly is { } archived)
        {
            return Failure.Conflict(archived);
        }

        db.Kpis.Remove(kpi);
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    /// <summary>Archives the KPI: hidden from lists and dashboards, read-only, its rules and pulls at rest, kept whole for a restore.</summary>
    public Task<Outcome<KpiDto>> ArchiveAsync(Guid id, IfMatch expectedVersion, CancellationToken ct) =>
        ArchiveOrRestoreAsync(id, archive: true, expectedVersion, ct);

    /// <summary>Restores an archived KPI as it was.</summary>
    public Task<Outcome<KpiDto>> RestoreAsync(Guid id, IfMatch expectedVersion, CancellationToken ct) =>
        ArchiveOrRestoreAsync(id, archive: false, expectedVersion, ct);

    private async Task<Outcome<KpiDto>> ArchiveOrRestoreAsync(Guid id, bool archive, IfMatch expectedVersion, CancellationToken ct)
    {
        var kpi = await FindAsync(id, ct, track: true);
        if (kpi is null)
        {
            return Failure.NotFound;
        }

        var action = archive ? "archive" : "restore";
        if (Failure.Refuse(caller.CanEdit(kpi), $"Only the owner, the owner team's members and admins {action} this KPI.", db, kpi, expectedVersion) is { } refused)
        {
            return refused;
        }

        if ((archive ? kpi.WhyNotArchive : kpi.WhyNotRestore) is { } why)
        {
            return Failure.Conflict(why);
        }

        if (archive)
        {
            kpi.Archive(clock.GetUtcNow().UtcDateTime);
        }
        else
        {
            kpi.Restore();
        }

        return await SaveAsync(kpi, ct);
    }

    /// <summary>What deleting the KPI takes with it, for the confirmation that asks first; its values are counted from the day rollups.</summary>
    public async Task<Outcome<WhatGoesWith>> WhatGoesWithAsync(Guid id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is null)
        {
            return Failure.NotFound;
        }

        return WhatGoesWith.Of(
            (await db.KpiDays.Where(d => d.KpiId == id).SumAsync(d => (long?)d.Count, ct) is { } values ? (int)Math.Min(values, int.MaxValue) : 0, "value", "values"),
            (await db.AlertRules.CountAsync(r => r.KpiId == id, ct), "alert rule", "alert rules"),
            (await db.Alerts.CountAsync(a => a.KpiId == id, ct), "alert", "alerts"),
            (await db.KpiSources.CountAsync(s => s.KpiId == id, ct), "pull source", "pull sources"));
    }

    /// <summary>The KPI's periods in [from, to) (default: the last year), newest first.</summary>
    public async Task<Outcome<IReadOnlyList<KpiPeriodDto>>> PeriodsAsync(Guid id, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var kpi = await FindAsync(id, ct);
        if (kpi is null)
        {
            return Failure.NotFound;
        }

        // Until the latest instant a value may have, so that the newest value is in the range.
        var end = to ?? clock.GetUtcNow() + KpiValue.MaxAhead;
        var start = from ?? clock.GetUtcNow() - DefaultPeriodsRange;
        if (start >= end)
        {
            return Failure.Invalid("from", "must be before 'to'.");
        }

        var calendar = await CalendarAsync(ct);
        var firstPeriod = calendar.PeriodStart(start, kpi.Cadence);
        // One period more in front, so that the first period asked for has a change too; whole days up to the one
        // holding the last instant of the range.
        var fromDay = PeriodCalendar.PreviousPeriodStart(firstPeriod, kpi.Cadence);
        var toDay = calendar.PeriodStart(end.AddTicks(-1), Cadence.Daily);
        var days = await db.KpiDays.AsNoTracking().Where(d => d.KpiId == id && d.Day >= fromDay && d.Day <= toDay)
            .OrderBy(d => d.Day).ToListAsync(ct);
        var periods = kpi.PeriodsFromDays(days, calendar);
        var result = new List<KpiPeriodDto>();
        for (var i = 0; i < periods.Count; i++)
        {
            var period = periods[i];
            if (period.Start < firstPeriod)
            {
                continue;
            }

            var change = i > 0 ? KpiPeriod.Change([periods[i - 1], period]) : null;
            result.Add(new KpiPeriodDto(period.Start, period.End, period.StartUtc, period.Value, period.Count, change, kpi.Thresholds.Classify(period.Value, kpi.Direction))
            {
                PreviousValue = change is null ? null : periods[i - 1].Value,
            });
        }

        result.Reverse();
        return result;
    }

    /// <summary>Values in [from, to) downsampled to at most <paramref name="maxPoints"/> points, for charts.</summary>
    public async Task<Outcome<KpiSeriesDto>> SeriesAsync(Guid id, DateTimeOffset? from, DateTimeOffset? to, int? maxPoints, CancellationToken ct)
    {
        var kpi = await FindAsync(id, ct);
        if (kpi is null)
        {
            return Failure.NotFound;
        }

        // Until the latest instant a value may have, so that the newest value is in the range.
        var end = to ?? clock.GetUtcNow() + KpiValue.MaxAhead;
        var start = from ?? clock.GetUtcNow() - DefaultSeriesRange;
        var points = maxPoints ?? DefaultMaxPoints;
        var errors = new ValidationErrors()
            .Require(start < end, "from", "must be before 'to'.")
            .Require(points is >= 2 and <= MaxMaxPoints, "maxPoints", $"must be between 2 and {MaxMaxPoints}.");
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        // Raw values while the range holds few enough to read; beyond, one point per day from the rollups (the
        // mean, with the day's extremes for a band), so that a year of minute values costs 365 rows.
        var calendar = await CalendarAsync(ct);
        var (fromDay, toDay) = (calendar.PeriodStart(start, Cadence.Daily), calendar.PeriodStart(end.AddTicks(-1), Cadence.Daily));
        var days = db.KpiDays.AsNoTracking().Where(d => d.KpiId == id && d.Day >= fromDay && d.Day <= toDay);
        var stored = await days.SumAsync(d => d.Count, ct);
        if (stored > MaxRawSeriesValues)
        {
            var daily = (await days.OrderBy(d => d.Day).ToListAsync(ct))
                .Select(d => new KpiPointDto(calendar.StartOf(d.Day), d.Mean) { Min = d.Min, Max = d.Max }).ToList();
            if (daily.Count > points)
            {
                var kept = Downsampling.LargestTriangleThreeBuckets(daily.Select(p => new KpiReading(p.At, p.Value)).ToList(), points)
                    .Select(r => r.At).ToHashSet();
                daily = daily.Where(p => kept.Contains(p.At)).ToList();
            }

            return new KpiSeriesDto(id, start, end, stored, "daily", daily);
        }

        var (since, until) = (start.UtcDateTime, end.UtcDateTime);
        var readings = (await db.KpiValues.AsNoTracking().Where(v => v.KpiNumber == kpi.Number && v.At >= since && v.At < until)
                .OrderBy(v => v.At).Select(v => new { v.At, v.Value }).ToListAsync(ct))
            .Select(r => new KpiReading(new DateTimeOffset(r.At), r.Value)).ToList();
        var sampled = Downsampling.LargestTriangleThreeBuckets(readings, points);
        return new KpiSeriesDto(id, start, end, readings.Count, sampled.Count < readings.Count ? "lttb" : "raw",
            sampled.Select(r => new KpiPointDto(r.At, r.Value)).ToList());
    }

    /// <summary>Stores values of one KPI (manual entry in the UI, or the API's single value and array).</summary>
    public async Task<Outcome<IngestResultDto>> AddValuesAsync(Guid id, IReadOnlyList<KpiValueInput> values, CancellationToken ct)
    {
        // From the lookup rather than the database: a sender posting a value a second costs no read of its KPI.
        var kpi = await lookup.FindAsync(db.OrganisationId, id, ct);
        if (kpi is null || !caller.CanSee(kpi))
        {
            return Failure.NotFound;
        }

        if (!caller.CanIngest(kpi))
        {
            return Failure.Forbidden("Only the KPI's editors and ingest tokens write its values.");
        }

        if (kpi.WhyReadOnly is { } archived)
        {
            return Failure.Conflict(archived);
        }

        var now = clock.GetUtcNow();
        var errors = new ValidationErrors().Require(values.Count > 0, "values", "at least one value is required.");
        for (var i = 0; i < values.Count; i++)
        {
            KpiValue.Validate(values[i].At, values[i].Value, now, errors, $"rows[{i + 1}]");
        }

        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        var source = caller.Actor.UsesToken ? KpiValueSource.Api : KpiValueSource.Manual;
        try
        {
            var stored = await ingestion.StoreAsync(
                values.Select(v => new NewKpiValue(kpi.Id, v.At.UtcDateTime, v.Value, source)).ToList(), ct);
            return new IngestResultDto(stored, 1);
        }
        catch (KpiGoneException)
        {
            // Deleted after the lookup found it: as absent as if the lookup had not.
            lookup.Forget([id]);
            return Failure.NotFound;
        }
    }

    /// <summary>
    /// KPIs with their computed fields: current period value, health, change, attainment, open alerts. One row per
    /// KPI: the current figures are kept on it, so no value or day is read.
    /// </summary>
    public async Task<IReadOnlyList<KpiDto>> ToDtosAsync(IReadOnlyList<Kpi> kpis, CancellationToken ct)
    {
        var openAlerts = await OpenAlertsAsync(kpis, ct);
        var now = clock.GetUtcNow();
        return kpis.Select(k => ToDto(k, openAlerts.GetValueOrDefault(k.Id), now)).ToList();
    }

    private async Task<KpiDto> ToDtoAsync(Kpi kpi, CancellationToken ct) => (await ToDtosAsync([kpi], ct))[0];

    private async Task<Dictionary<Guid, int>> OpenAlertsAsync(IReadOnlyList<Kpi> kpis, CancellationToken ct)
    {
        if (kpis.Count == 0)
        {
            return [];
        }

        var ids = kpis.Select(k => k.Id).ToList();
        return await db.Alerts.AsNoTracking().Where(a => ids.Contains(a.KpiId) && a.State != AlertState.Resolved)
            .GroupBy(a => a.KpiId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
    }

    /// <summary>
    /// Each KPI's DTO and its last <paramref name="periodCount"/> periods (oldest first), from one read of the day
    /// rollups of all of them since the earliest period any of them needs.
    /// </summary>
    private async Task<Dictionary<Guid, (KpiDto Dto, IReadOnlyList<KpiPeriod> Periods)>> SnapshotsAsync(IReadOnlyList<Kpi> kpis, int periodCount, CancellationToken ct)
    {
        var result = new Dictionary<Guid, (KpiDto, IReadOnlyList<KpiPeriod>)>();
        if (kpis.Count == 0)
        {
            return result;
        }

        var calendar = await CalendarAsync(ct);
        var windows = kpis.ToDictionary(k => k.Id,
            k => k.LatestAt is { } at ? calendar.LastPeriodsStart(new DateTimeOffset(at), k.Cadence, periodCount) : (DateOnly?)null);
        var days = await KpiRollups.DaysAsync(db, windows, ct);
        var openAlerts = await OpenAlertsAsync(kpis, ct);
        var now = clock.GetUtcNow();
        foreach (var kpi in kpis)
        {
            var periods = kpi.PeriodsFromDays(days.GetValueOrDefault(kpi.Id) ?? [], calendar);
            result[kpi.Id] = (ToDto(kpi, openAlerts.GetValueOrDefault(kpi.Id), now), periods);
        }

        return result;
    }

    /// <summary>The latest reading as thresholds see it: the instant of the newest value and its period's value.</summary>
    public static KpiReading? LatestReading(Kpi kpi) =>
        kpi is { LatestAt: { } at, CurrentPeriodValue: { } value } ? new KpiReading(new DateTimeOffset(at), value) : null;

    private KpiDto ToDto(Kpi k, int openAlerts, DateTimeOffset now)
    {
        var latest = LatestReading(k);
        var current = latest?.Value;
        var attainment = current is { } value ? k.Attainment(value) : null;
        return new KpiDto(k.Id, k.Name, k.Key, k.Description, k.OwnerTeamId, k.OwnerPersonId, k.Unit,
            k.Direction, k.Cadence, k.Aggregation, k.WarningLower, k.WarningUpper, k.CriticalLower, k.CriticalUpper, k.Target,
            k.Tags, k.Visibility, k.Version,
            k.Health(latest, now), current, current is null ? null : k.CurrentPeriodStart,
            k.LatestAt is { } at ? new DateTimeOffset(at) : null, k.CurrentChange,
            attainment?.Ratio, attainment?.IsOnTarget ?? false, openAlerts,
            k.CreatedAt, k.UpdatedAt, caller.CanEdit(k) && k.WhyReadOnly is null)
        {
            ArchivedAt = k.ArchivedAt,
            CanRestore = caller.CanEdit(k) && k.WhyNotRestore is null,
            LatestValue = k.LatestValue,
            PreviousValue = k.CurrentChange is null ? null : k.PreviousPeriodValue,
        };
    }

    public Task<PeriodCalendar> CalendarAsync(CancellationToken ct) => db.CalendarAsync(ct);

    private IQueryable<Kpi> Filtered(KpiFilter filter)
    {
        var query = caller.Visible(db.Kpis.AsNoTracking()).Archived(filter.Archived == true);
        if (filter.Team is { } team) query = query.Where(k => k.OwnerTeamId == team);
        if (!string.IsNullOrWhiteSpace(filter.Tag)) query = query.Where(k => k.Tags.Contains(filter.Tag));
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var search = filter.Search.Trim().ToLower();
            query = query.Where(k => k.Name.ToLower().Contains(search) || k.Key.Contains(search) ||
                (k.Description != null && k.Description.ToLower().Contains(search)));
        }

        return query;
    }

    private async Task<Kpi?> FindAsync(Guid id, CancellationToken ct, bool track = false)
    {
        var kpis = track ? db.Kpis : db.Kpis.AsNoTracking();
        var kpi = await kpis.FirstOrDefaultAsync(k => k.Id == id, ct);
        return kpi is not null && caller.CanSee(kpi) ? kpi : null;
    }

    private async Task<Outcome<KpiDto>> SaveAsync(Kpi kpi, CancellationToken ct, bool refreshCurrent = false)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request took the key between the check and the insert; the unique index kept them apart.
            db.ChangeTracker.Clear();
            if (await KeyTakenAsync(kpi, ct))
            {
                return Failure.Invalid("key", "is already used by another KPI.");
            }

            throw;
        }

        if (refreshCurrent)
        {
            await KpiRollups.RefreshCurrentAsync(db, [kpi.Id], await CalendarAsync(ct), ct);
            await db.Entry(kpi).ReloadAsync(ct);
        }

        return await ToDtoAsync(kpi, ct);
    }

    private Task<bool> KeyTakenAsync(Kpi kpi, CancellationToken ct) =>
        db.Kpis.AsNoTracking().AnyAsync(k => k.Key == kpi.Key && k.Id != kpi.Id, ct);

    private async Task<ValidationErrors> ValidateAsync(Kpi k, CancellationToken ct)
    {
        var errors = k.Validate();
        if (k.OwnerTeamId is { } team && !await db.Teams.AnyAsync(t => t.Id == team, ct)) errors.Add("ownerTeamId", "The team does not exist.");
        if (k.OwnerPersonId is { } person && !await db.People.AnyAsync(p => p.Id == person, ct)) errors.Add("ownerPersonId", "The person does not exist.");
        if (!string.IsNullOrWhiteSpace(k.Key) && await KeyTakenAsync(k, ct)) errors.Add("key", "is already used by another KPI.");
        return errors;
    }

    private async Task<string> UniqueKeyAsync(string slug, CancellationToken ct)
    {
        var taken = (await db.Kpis.AsNoTracking().Where(k => k.Key.StartsWith(slug)).Select(k => k.Key).ToListAsync(ct)).ToHashSet();
        if (!taken.Contains(slug))
        {
            return slug;
        }

        for (var n = 2; ; n++)
        {
            var suffix = $"-{n}";
            var candidate = slug[..Math.Min(slug.Length, Kpi.MaxKeyLength - suffix.Length)].TrimEnd('-') + suffix;
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>A key from a name: lowercase ASCII letters and digits, other runs become one hyphen ("Weekly leads (EU)" → "weekly-leads-eu").</summary>
    public static string Slug(string? name)
    {
        var builder = new StringBuilder();
        foreach (var c in (name ?? "").Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                builder.Append(c);
            }
            else if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark &&
                     builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString(0, Math.Min(builder.Length, Kpi.MaxKeyLength - 4)).Trim('-');
        return slug.Length == 0 ? "kpi" : slug;
    }

    private static void Apply(Kpi k, KpiRequest r)
    {
        k.Name = r.Name?.Trim() ?? "";
        k.Key = r.Key?.Trim() ?? "";
        k.Description = string.IsNullOrWhiteSpace(r.Description) ? null : r.Description.Trim();
        k.OwnerTeamId = r.OwnerTeamId;
        k.OwnerPersonId = r.OwnerPersonId;
        k.Unit = string.IsNullOrWhiteSpace(r.Unit) ? null : r.Unit.Trim();
        k.Direction = r.Direction ?? KpiDirection.HigherIsBetter;
        k.Cadence = r.Cadence ?? Cadence.Weekly;
        k.Aggregation = r.Aggregation ?? PeriodAggregation.Last;
        k.WarningLower = r.WarningLower;
        k.WarningUpper = r.WarningUpper;
        k.CriticalLower = r.CriticalLower;
        k.CriticalUpper = r.CriticalUpper;
        k.Target = r.Target;
        k.Tags = (r.Tags ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct().ToList();
        k.Visibility = r.Visibility ?? Okapi.Core.Okrs.Visibility.Public;
    }
}
