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

public sealed record TeamProgress(Guid TeamId, string Name, double Progress, int Objectives);

/// <param name="KpiId">The KPI a check-in with source KPI came from: it, not a person, is the author.</param>
public sealed record Activity(DateTime At, Guid? PersonId, string? PersonName, Guid ObjectiveId, string ObjectiveTitle, string KeyResultTitle, double Value, string? Unit, Confidence? Confidence,
    Guid? KpiId = null);

/// <summary>What one person should look at first: their key results due for a check-in, their objectives, their teams.</summary>
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
