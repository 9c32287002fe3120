using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Home;

/// <summary>One of my teams and the mean progress of its objectives in the cycles looked at.</summary>
/// <param name="TeamId">The team.</param>
/// <param name="Name">The team's name.</param>
/// <param name="Progress">The mean progress of the team's objectives, each counting once, 0 to 1; 0 without any.</param>
/// <param name="Objectives">How many objectives the team owns there.</param>
public sealed record TeamProgress(Guid TeamId, string Name, double Progress, int Objectives);

/// <summary>A recent check-in on the key results of objectives I or my teams own.</summary>
/// <param name="At">When the check-in was made (UTC).</param>
/// <param name="PersonId">Its author, if a person.</param>
/// <param name="PersonName">The author's name, if known.</param>
/// <param name="ObjectiveId">The objective of the key result checked in.</param>
/// <param name="ObjectiveTitle">That objective's title.</param>
/// <param name="KeyResultTitle">The key result's title.</param>
/// <param name="Value">The value checked in.</param>
/// <param name="Unit">The key result's unit, if any.</param>
/// <param name="Confidence">The author's confidence: `onTrack`, `atRisk` or `offTrack`; null when not given.</param>
/// <param name="KpiId">The KPI a check-in with source KPI came from: it, not a person, is the author.</param>
public sealed record Activity(DateTime At, Guid? PersonId, string? PersonName, Guid ObjectiveId, string ObjectiveTitle, string KeyResultTitle, double Value, string? Unit, Confidence? Confidence,
    Guid? KpiId = null);

/// <summary>What one person should look at first: their key results due for a check-in, their objectives, their teams.</summary>
/// <param name="DueKeyResults">My key results that are stale: a check-in is due.</param>
/// <param name="MyKeyResults">All the key results I own, stale first, then the longest without a check-in first.</param>
/// <param name="MyObjectives">The objectives I own myself, oldest first.</param>
/// <param name="MyTeams">My teams' progress, by team name.</param>
/// <param name="RecentActivity">The latest 8 check-ins on objectives I or my teams own, newest first.</param>
public sealed record Focus(
    IReadOnlyList<KeyResultDto> DueKeyResults,
    IReadOnlyList<KeyResultDto> MyKeyResults,
    IReadOnlyList<ObjectiveDto> MyObjectives,
    IReadOnlyList<TeamProgress> MyTeams,
    IReadOnlyList<Activity> RecentActivity);

public sealed class FocusService(OkapiDbContext db, Caller caller, ObjectiveService objectives, KeyResultService keyResults)
{
    public const int ActivityCount = 8;

    public async Task<Focus> FocusAsync(Guid? cycleId, CancellationToken ct)
    {
        var cycles = cycleId is { } id ? [id] : await db.Cycles.Where(c => c.State == CycleState.Active).Select(c => c.Id).ToListAsync(ct);
        var me = caller.PersonId;
        var teams = caller.TeamIds.ToList();
        var visible = caller.Visible(db.Objectives.AsNoTracking()).InUse().Where(o => cycles.Contains(o.CycleId));

        var myObjectives = await visible.Where(caller.Actor.OwnsObjective)
            .OrderBy(o => o.CreatedAt).ToListAsync(ct);
        var objectiveDtos = await objectives.ToDtosAsync(myObjectives, ct);

        var myKrs = await db.KeyResults.AsNoTracking().Where(k => k.OwnerPersonId == me && visible.Any(o => o.Id == k.ObjectiveId)).ToListAsync(ct);
        var krDtos = (await keyResults.ToDtosAsync(myKrs, ct))
            .OrderByDescending(k => k.Stale).ThenBy(k => k.LastCheckInAt ?? DateTimeOffset.MinValue).ToList();

        var teamNames = await db.Teams.AsNoTracking().Where(t => teams.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var teamProgress = TeamScore.Of(teams.Where(teamNames.ContainsKey), objectiveDtos.Select(o => (o.OwnerTeamId, o.Progress)))
            .Select(s => new TeamProgress(s.TeamId, teamNames[s.TeamId], s.Progress, s.Objectives)).OrderBy(t => t.Name).ToList();

        var teamObjectiveIds = myObjectives.Select(o => o.Id).ToList();
        var activity = await db.CheckIns.AsNoTracking()
            .Join(db.KeyResults, c => c.KeyResultId, k => k.Id, (c, k) => new { c, k })
            .Where(x => teamObjectiveIds.Contains(x.k.ObjectiveId))
            .OrderByDescending(x => x.c.At).Take(ActivityCount)
            .Select(x => new { x.c.At, x.c.AuthorId, x.k.ObjectiveId, KeyResult = x.k.Title, x.c.Value, x.k.Unit, x.c.Confidence, x.c.Source, x.k.KpiId })
            .ToListAsync(ct);
        var authorIds = activity.Where(a => a.AuthorId != null).Select(a => a.AuthorId!.Value).Distinct().ToList();
        var authors = await db.People.AsNoTracking().Where(p => authorIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var titles = myObjectives.ToDictionary(o => o.Id, o => o.Title);
        var recent = activity.Select(a => new Activity(a.At, a.AuthorId, a.AuthorId is { } author ? authors.GetValueOrDefault(author) : null,
            a.ObjectiveId, titles[a.ObjectiveId], a.KeyResult, a.Value, a.Unit, a.Confidence, a.Source == CheckInSource.Kpi ? a.KpiId : null)).ToList();

        return new Focus(krDtos.Where(k => k.Stale).ToList(), krDtos, objectiveDtos.Where(o => o.OwnerPersonId == me).ToList(), teamProgress, recent);
    }
}

public static class FocusApi
{
    public static RouteGroupBuilder MapFocusApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me/focus", Focus).WithTags("People").WithSummary("The caller's focus: key results due for a check-in, objectives, teams' progress, recent activity.").WithDescription("The active cycles unless ?cycle= names one; only objectives the caller may see.");
        return api;
    }

    public static async Task<Ok<Focus>> Focus(Guid? cycle, FocusService focus, CancellationToken ct) => TypedResults.Ok(await focus.FocusAsync(cycle, ct));
}
