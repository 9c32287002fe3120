using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Features.Kpis;

namespace Okapi.Web.Features.Okrs;

/// <summary>
/// Key results linked to a KPI follow it: after each ingestion every such key result of an active cycle and an
/// objective that is not closed gets a check-in (source <see cref="CheckInSource.Kpi"/>) with the KPI's latest
/// period value, so that progress, forecast and status move with the KPI; the check-in that was due is then made,
/// so the key results' "check-in due" inbox items are done.
/// </summary>
public sealed class KeyResultKpiFollower(OkapiDbContext db, TimeProvider clock, InboxWriter inbox, KpiWatchers watchers, ILogger<KeyResultKpiFollower> logger) : IKpiValueObserver
{
    public async Task OnValuesStoredAsync(IReadOnlyCollection<StoredKpi> stored, CancellationToken ct)
    {
        // Values of KPIs that no key result follows cost no query.
        var ids = (await watchers.FollowedAsync(db.OrganisationId, stored.Select(k => k.Kpi.Id).ToList(), ct)).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var followers = await db.KeyResults
            .Where(k => k.KpiId != null && ids.Contains(k.KpiId.Value))
            .Where(k => db.Objectives.InUse().Any(o => o.Id == k.ObjectiveId && o.State != ObjectiveState.Closed
                && db.Cycles.Any(c => c.Id == o.CycleId && c.State == CycleState.Active)))
            .ToListAsync(ct);
        if (followers.Count == 0)
        {
            return;
        }

        // The KPIs as their write left them, with their latest periods: shared with the other observers, so only read.
        var kpis = stored.ToDictionary(k => k.Kpi.Id);
        var calendar = await db.CalendarAsync(ct);
        var checkedIn = new List<Guid>();
        foreach (var kr in followers)
        {
            if (kpis.TryGetValue(kr.KpiId!.Value, out var kpi)
                && await FollowAsync(db, kr, kpi.Kpi, await LinkedKpi.LatestPeriodAsync(db, kpi, calendar, ct), clock, logger, ct))
            {
                checkedIn.Add(kr.Id);
            }
        }

        await inbox.ResolveAllAsync(InboxItemKind.CheckInDue, checkedIn, ct);
    }

    /// <summary>Checks in the KPI's latest period value on a key result that follows it, if the KPI has a value.</summary>
    internal static async Task FollowAsync(OkapiDbContext db, KeyResult kr, Kpi kpi, TimeProvider clock, InboxWriter inbox, ILogger logger, CancellationToken ct)
    {
        if (await FollowAsync(db, kr, kpi, await LinkedKpi.LatestPeriodAsync(db, kpi, await db.CalendarAsync(ct), ct), clock, logger, ct))
        {
            await inbox.ResolveAllAsync(InboxItemKind.CheckInDue, [kr.Id], ct);
        }
    }

    /// <summary>
    /// One check-in per instant of the KPI's newest value: a re-posted value changes nothing, a changed period
    /// value at the same instant (a late value summed into the period, a replaced value) updates that check-in.
    /// A reading the check-in rules refuse is left out and logged, like a KPI without values: the KPI's values are stored
    /// whatever becomes of the key results that follow it. Returns whether it checked in.
    /// </summary>
    private static async Task<bool> FollowAsync(OkapiDbContext db, KeyResult kr, Kpi kpi, KpiPeriodReading? latest, TimeProvider clock, ILogger logger, CancellationToken ct)
    {
        if (latest is not { } reading)
        {
            return false;
        }

        var existing = await db.CheckIns.FirstOrDefaultAsync(c => c.KeyResultId == kr.Id && c.Source == CheckInSource.Kpi && c.At == reading.At, ct);
        if (existing?.Value == reading.Value)
        {
            return false;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var checkIn = kr.NewCheckIn(reading.Value, reading.At, CheckInSource.Kpi, note: $"From KPI {kpi.Name}.");
        if (checkIn.Validate(now) is { IsValid: false } errors)
        {
            logger.LogWarning("Key result {KeyResultId} did not follow KPI {KpiId}: its check-in at {At} is refused ({Errors}).",
                kr.Id, kpi.Id, reading.At, string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))));
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await KeyResultService.LockAsync(db, kr, now, ct);
        var newest = await KeyResultService.NewestCheckInAsync(db, kr, ct);
        if (existing is null)
        {
            kr.RecordCheckIn(checkIn, newest);
            db.CheckIns.Add(checkIn);
        }
        else
        {
            kr.CorrectCheckIn(existing, reading.Value, newest);
        }

        await KeyResultService.SaveCheckInAsync(db, kr, ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}
