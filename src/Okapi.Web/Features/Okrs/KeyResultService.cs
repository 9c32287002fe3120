using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

public sealed record KeyResultFilter(Guid? Cycle, Guid? Team, Guid? Owner, Guid? Objective, EnumQuery<ObjectiveState>? State, string? Tag);

/// <summary>A new check-in and the key result it moved.</summary>
public sealed record CheckedIn(KeyResultDto KeyResult, CheckInDto CheckIn);

/// <summary>Key results and their check-ins, for the API and the pages alike.</summary>
public sealed class KeyResultService(OkapiDbContext db, Caller caller, OkrScoring scoring, TimeProvider clock, InboxWriter inbox, ILogger<KeyResultKpiFollower> followerLogger, InitiativeService initiatives, OkrEvents events)
{
    public async Task<Page<KeyResultDto>> ListAsync(KeyResultFilter filter, PageRequest page, CancellationToken ct)
    {
        var objectives = caller.Visible(db.Objectives);
        // One objective's key results follow that objective, archived or not; any other list leaves archived ones out.
        if (filter.Objective is null) objectives = objectives.InUse();
        if (filter.Cycle is { } cycle) objectives = objectives.Where(o => o.CycleId == cycle);
        if (filter.Team is { } team) objectives = objectives.Where(o => o.OwnerTeamId == team);
        if (filter.State?.Value is { } state) objectives = objectives.Where(o => o.State == state);
        if (!string.IsNullOrWhiteSpace(filter.Tag)) objectives = objectives.Where(o => o.Tags.Contains(filter.Tag));
        var query = db.KeyResults.AsNoTracking().Where(k => objectives.Any(o => o.Id == k.ObjectiveId));
        if (filter.Objective is { } objective) query = query.Where(k => k.ObjectiveId == objective);
        if (filter.Owner is { } owner) query = query.Where(k => k.OwnerPersonId == owner);
        var (items, total) = await page.ApplyAsync(query.OrderBy(k => k.ObjectiveId).ThenBy(k => k.Position).ThenBy(k => k.CreatedAt).ThenBy(k => k.Id), ct);
        return new Page<KeyResultDto>(await ToDtosAsync(items, ct), page.Number, page.Size, total);
    }

    public async Task<Outcome<KeyResultDto>> GetAsync(Guid id, CancellationToken ct)
    {
        var (kr, _) = await FindAsync(id, ct);
        if (kr is null)
        {
            return Failure.NotFound;
        }

        return await ToDtoAsync(kr, ct) with { Initiatives = await initiatives.OfAsync(kr.ObjectiveId, kr.Id, ct) };
    }

    public async Task<Outcome<KeyResultDto>> CreateAsync(KeyResultRequest request, CancellationToken ct)
    {
        var objective = await db.ObjectiveToAddToAsync(caller, request.ObjectiveId, caller.CanEdit, "Only those who may edit the objective add key results to it.", ct);
        if (objective.Failure is { } refused)
        {
            return refused;
        }

        if (await db.RefuseReadOnlyAsync(objective.Value!, ct) is { } closed)
        {
            return closed;
        }

        var kr = new KeyResult { Title = request.Title };
        Apply(kr, request);
        // Whoever adds a key result answers for it unless the request names its owner.
        kr.OwnerPersonId ??= caller.PersonId;
        var (errors, kpi) = await ValidateAsync(kr, request, objective.Value!, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        // A new key result goes last; a concurrent addition may tie with it, which creation order then settles.
        kr.Position = (await db.KeyResults.Where(k => k.ObjectiveId == kr.ObjectiveId).MaxAsync(k => (int?)k.Position, ct) ?? -1) + 1;
        db.KeyResults.Add(kr);
        await db.SaveChangesAsync(ct);
        if (kpi is not null)
        {
            await KeyResultKpiFollower.FollowAsync(db, kr, kpi, clock, inbox, followerLogger, ct);
        }

        return await ToDtoAsync(kr, ct);
    }

    /// <summary>Moves the key result to the request's position (0 first) among its objective's key results.</summary>
    public async Task<Outcome<KeyResultDto>> MoveAsync(Guid id, KeyResultMove request, IfMatch expectedVersion, CancellationToken ct)
    {
        var (kr, objective) = await FindAsync(id, ct, track: true);
        if (kr is null || objective is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanEdit(objective), "Only those who may edit the objective reorder its key results.", db, kr, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (await db.RefuseReadOnlyAsync(objective, ct) is { } closed)
        {
            return closed;
        }

        var missing = new ValidationErrors();
        var position = missing.Required(request.Position, "position");
        if (missing.Require(position >= 0, "position", "must be 0 or more.") is { IsValid: false } errors)
        {
            return Failure.Invalid(errors);
        }

        var siblings = await db.KeyResults.Where(k => k.ObjectiveId == kr.ObjectiveId).ToListAsync(ct);
        KeyResult.MoveTo(siblings, kr, position);
        await db.SaveChangesAsync(ct);
        return await ToDtoAsync(kr, ct);
    }

    public async Task<Outcome<KeyResultDto>> UpdateAsync(Guid id, KeyResultRequest request, IfMatch expectedVersion, CancellationToken ct)
    {
        var (kr, objective) = await FindAsync(id, ct, track: true);
        if (kr is null || objective is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanEdit(objective, kr), "Only the key result's owner, those who may edit its objective and admins edit it.", db, kr, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (await db.RefuseReadOnlyAsync(objective, ct) is { } closed)
        {
            return closed;
        }

        if (request.ObjectiveId != kr.ObjectiveId)
        {
            return Failure.Invalid("objectiveId", "A key result cannot move to another objective.");
        }

        var linkedBefore = kr.KpiId;
        Apply(kr, request);
        var (errors, kpi) = await ValidateAsync(kr, request, objective, ct);
        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        await db.SaveChangesAsync(ct);
        if (kpi is not null && kr.KpiId != linkedBefore)
        {
            await KeyResultKpiFollower.FollowAsync(db, kr, kpi, clock, inbox, followerLogger, ct);
        }

        return await ToDtoAsync(kr, ct);
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid id, IfMatch expectedVersion, CancellationToken ct)
    {
        var (kr, objective) = await FindAsync(id, ct, track: true);
        if (kr is null || objective is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.CanEdit(objective), "Only those who may edit the objective delete its key results.", db, kr, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (await db.RefuseReadOnlyAsync(objective, ct) is { } closed)
        {
            return closed;
        }

        db.ObjectiveLinks.RemoveRange(await db.ObjectiveLinks.Where(l => l.ParentKeyResultId == id).ToListAsync(ct));
        db.KeyResults.Remove(kr);
        await db.SaveChangesAsync(ct);
        return new Done();
    }

    /// <summary>What deleting the key result takes with it, for the confirmation that asks first.</summary>
    public async Task<Outcome<WhatGoesWith>> WhatGoesWithAsync(Guid id, CancellationToken ct)
    {
        var (kr, _) = await FindAsync(id, ct);
        if (kr is null)
        {
            return Failure.NotFound;
        }

        return WhatGoesWith.Of(
            (await db.CheckIns.CountAsync(c => c.KeyResultId == id, ct), "check-in", "check-ins"),
            (await db.Initiatives.CountAsync(i => i.KeyResultId == id, ct), "initiative", "initiatives"),
            (await db.Comments.CountAsync(c => c.KeyResultId == id, ct), "comment", "comments"),
            (await db.ObjectiveLinks.CountAsync(l => l.ParentKeyResultId == id, ct), "alignment of an objective to it", "alignments of objectives to it"));
    }

    public async Task<Outcome<Page<CheckInDto>>> ListCheckInsAsync(Guid id, PageRequest page, CancellationToken ct)
    {
        var (kr, _) = await FindAsync(id, ct);
        if (kr is null)
        {
            return Failure.NotFound;
        }

        var (items, total) = await page.ApplyAsync(db.CheckIns.AsNoTracking().Where(c => c.KeyResultId == id).OrderByDescending(c => c.At), ct);
        return new Page<CheckInDto>(items.Select(CheckInDto.From).ToList(), page.Number, page.Size, total);
    }

    /// <summary>Every check-in of an objective's key results in one query, oldest first, for its progress charts.</summary>
    public async Task<Outcome<Dictionary<Guid, List<CheckInDto>>>> CheckInsOfObjectiveAsync(Guid objectiveId, CancellationToken ct)
    {
        if (await db.VisibleObjectiveAsync(caller, objectiveId, ct) is null)
        {
            return Failure.NotFound;
        }

        var checkIns = await db.CheckIns.AsNoTracking()
            .Where(c => db.KeyResults.Any(k => k.Id == c.KeyResultId && k.ObjectiveId == objectiveId))
            .OrderBy(c => c.At).ToListAsync(ct);
        return checkIns.Select(CheckInDto.From).GroupBy(c => c.KeyResultId).ToDictionary(g => g.Key, g => g.ToList());
    }

    public async Task<Outcome<CheckedIn>> CheckInAsync(Guid id, CheckInRequest request, CancellationToken ct)
    {
        var (kr, objective) = await FindAsync(id, ct, track: true);
        if (kr is null || objective is null)
        {
            return Failure.NotFound;
        }

        if (!caller.CanEdit(objective, kr))
        {
            return Failure.Forbidden("Only the key result's owner, those who may edit its objective and admins check in on it.");
        }

        if (await db.RefuseReadOnlyAsync(objective, ct) is { } closed)
        {
            return closed;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var source = caller.Actor.UsesToken ? CheckInSource.Api : CheckInSource.Person;
        var at = request.At?.UtcDateTime ?? now;
        var missing = new ValidationErrors();
        var checkIn = kr.NewCheckIn(missing.Required(request.Value, "value"), at, source, request.Confidence, request.Note, caller.PersonId);
        if (checkIn.Validate(now).Include(missing) is { IsValid: false } errors)
        {
            return Failure.Invalid(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(db, kr, now, ct);
        var previous = kr.Current;
        kr.RecordCheckIn(checkIn, await NewestCheckInAsync(db, kr, ct));
        db.CheckIns.Add(checkIn);
        // The check-in that was due is made, whoever made it: its reminders leave every inbox.
        await inbox.ResolveAsync(InboxItemKind.CheckInDue, kr.Id, null, ct);
        await events.CheckedInAsync(objective, kr, checkIn, previous, ct);
        await SaveCheckInAsync(db, kr, ct);
        await transaction.CommitAsync(ct);
        events.Wake();
        return new CheckedIn(await ToDtoAsync(kr, ct), CheckInDto.From(checkIn));
    }

    public async Task<Outcome<Done>> DeleteCheckInAsync(Guid id, Guid checkInId, CancellationToken ct)
    {
        var (kr, objective) = await FindAsync(id, ct, track: true);
        var checkIn = await db.CheckIns.FirstOrDefaultAsync(c => c.Id == checkInId && c.KeyResultId == id, ct);
        if (kr is null || objective is null || checkIn is null)
        {
            return Failure.NotFound;
        }

        if (!caller.CanEdit(objective, kr))
        {
            return Failure.Forbidden("Only the key result's owner, those who may edit its objective and admins remove its check-ins.");
        }

        if (await db.RefuseReadOnlyAsync(objective, ct) is { } closed)
        {
            return closed;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(db, kr, clock.GetUtcNow().UtcDateTime, ct);
        db.CheckIns.Remove(checkIn);
        kr.RemoveCheckIn(await NewestCheckInAsync(db, kr, ct, except: checkIn.Id));
        await SaveCheckInAsync(db, kr, ct);
        await transaction.CommitAsync(ct);
        return new Done();
    }

    /// <summary>
    /// Bumps the key result's version in place as the first write of the transaction: this takes the row's lock,
    /// so concurrent check-ins on one key result queue up instead of failing on its concurrency token. The key result is
    /// then read again: a check-in that committed while this one waited may have moved its current value.
    /// Shared with the KPI follower, which checks in for linked key results.
    /// </summary>
    internal static async Task LockAsync(OkapiDbContext db, KeyResult kr, DateTime now, CancellationToken ct)
    {
        await db.KeyResults.Where(k => k.Id == kr.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.Version, k => k.Version + 1).SetProperty(k => k.UpdatedAt, now), ct);
        await db.Entry(kr).ReloadAsync(ct);
    }

    /// <summary>The key result's newest check-in (the latest instant, the last made of equal ones); run under <see cref="LockAsync"/>, it sees every committed one.</summary>
    internal static Task<CheckIn?> NewestCheckInAsync(OkapiDbContext db, KeyResult kr, CancellationToken ct, Guid? except = null)
    {
        var checkIns = db.CheckIns.Where(c => c.KeyResultId == kr.Id);
        if (except is { } removed)
        {
            checkIns = checkIns.Where(c => c.Id != removed);
        }

        return checkIns.OrderByDescending(c => c.At).ThenByDescending(c => c.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Saves check-ins recorded on the key result (under <see cref="LockAsync"/>). The current value it took is written in
    /// place like the lock's version: it follows the check-ins, so the key result's history shows the check-in, not also an edit.
    /// </summary>
    internal static async Task SaveCheckInAsync(OkapiDbContext db, KeyResult kr, CancellationToken ct)
    {
        var current = kr.Current;
        var entry = db.Entry(kr);
        if (entry.State != EntityState.Detached)
        {
            entry.Property(k => k.Current).IsModified = false;
        }

        await db.SaveChangesAsync(ct);
        await db.KeyResults.Where(k => k.Id == kr.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.Current, current), ct);
        if (entry.State != EntityState.Detached)
        {
            // The row holds it now: a later save of this context must not write it again as an edit.
            var property = entry.Property(k => k.Current);
            property.OriginalValue = current;
            property.CurrentValue = current;
        }
    }

    /// <summary>A key result and its objective, if the caller may see that objective.</summary>
    private async Task<(KeyResult? KeyResult, Objective? Objective)> FindAsync(Guid id, CancellationToken ct, bool track = false)
    {
        var krs = track ? db.KeyResults : db.KeyResults.AsNoTracking();
        var kr = await krs.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (kr is null)
        {
            return (null, null);
        }

        var objective = await db.VisibleObjectiveAsync(caller, kr.ObjectiveId, ct);
        return objective is not null ? (kr, objective) : (null, null);
    }

    private async Task<KeyResultDto> ToDtoAsync(KeyResult kr, CancellationToken ct) => (await ToDtosAsync([kr], ct))[0];

    /// <summary>Key results with their computed fields and whether the caller may check in on each.</summary>
    public async Task<IReadOnlyList<KeyResultDto>> ToDtosAsync(IReadOnlyList<KeyResult> keyResults, CancellationToken ct)
    {
        var objectiveIds = keyResults.Select(k => k.ObjectiveId).Distinct().ToList();
        var objectives = await db.Objectives.AsNoTracking().Where(o => objectiveIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        var (scores, cycles) = await scoring.ScoreKeyResultsAsync(keyResults, objectives, ct);
        return keyResults.Select(k =>
        {
            var objective = objectives[k.ObjectiveId];
            return KeyResultDto.From(k, scores[k.Id], caller.MayChange(objective, k, cycles[objective.CycleId]));
        }).ToList();
    }

    private static void Apply(KeyResult k, KeyResultRequest r)
    {
        k.ObjectiveId = r.ObjectiveId;
        k.Title = r.Title?.Trim() ?? "";
        k.OwnerPersonId = r.OwnerPersonId;
        // Missing type or target: refused by ValidateAsync before anything is stored.
        k.Type = r.Type ?? k.Type;
        k.Unit = string.IsNullOrWhiteSpace(r.Unit) ? null : r.Unit.Trim();
        // A key result linked to a KPI without a start takes it from the KPI in validation; keep the old one till then.
        k.Start = r.Start ?? k.Start;
        k.KpiId = r.KpiId;
        k.Target = r.Target ?? k.Target;
        k.Commit = r.Commit;
        k.Stretch = r.Stretch;
        k.Weight = r.Weight ?? 1;
        k.UpdateRhythmDays = r.UpdateRhythmDays ?? 7;
        k.Checklist = r.Checklist ?? [];
    }

    /// <summary>
    /// The key result's rules plus its links: the owner exists, the KPI exists and the caller may see it. A linked
    /// key result without a start takes the KPI's value at the cycle's start. Returns the linked KPI.
    /// </summary>
    private async Task<(ValidationErrors Errors, Kpi? Kpi)> ValidateAsync(KeyResult k, KeyResultRequest request, Objective objective, CancellationToken ct)
    {
        var errors = new ValidationErrors()
            .Require(request.Type is not null, "type", "is required.")
            .Require(request.Target is not null, "target", "is required.");
        Kpi? kpi = null;
        if (k.KpiId is { } kpiId)
        {
            kpi = await caller.Visible(db.Kpis.AsNoTracking()).FirstOrDefaultAsync(x => x.Id == kpiId, ct);
            if (kpi is null)
            {
                errors.Add("kpiId", "The KPI does not exist.");
            }
        }

        if (request.Start is null)
        {
            if (kpi is null)
            {
                errors.Add("start", "A start value is required unless the key result follows a KPI.");
            }
            else if (await StartFromKpiAsync(kpi, objective, ct) is { } start)
            {
                k.Start = start;
            }
            else
            {
                errors.Add("start", "The KPI has no value yet to start from; give a start value.");
            }
        }

        foreach (var (field, messages) in k.Validate().ToDictionary())
        {
            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }

        if (k.OwnerPersonId is { } person && !await db.People.AnyAsync(p => p.Id == person, ct))
        {
            errors.Add("ownerPersonId", "The person does not exist.");
        }

        return (errors, kpi);
    }

    /// <summary>The KPI's value at the instant the objective's cycle starts in the organisation's time zone.</summary>
    private async Task<double?> StartFromKpiAsync(Kpi kpi, Objective objective, CancellationToken ct)
    {
        var cycle = await db.Cycles.AsNoTracking().FirstAsync(c => c.Id == objective.CycleId, ct);
        var calendar = await db.CalendarAsync(ct);
        return await LinkedKpi.ValueAtAsync(db, kpi, cycle.Window(calendar.Zone).Start.UtcDateTime, ct);
    }
}
