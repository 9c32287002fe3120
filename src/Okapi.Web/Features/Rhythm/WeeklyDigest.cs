using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Rhythm;

using Organisation = Okapi.Core.Organisations.Organisation;

/// <summary>
/// In the same weekly slot as the reminders, a digest for each person who wants one and has something in it: their
/// key results, their teams' progress, alerts on their KPIs, and what changed this week on their objectives. Each
/// person's digest is built with their own access rules, so a private objective shows only to those who may see it.
/// </summary>
public sealed class WeeklyDigest(OkapiDbContext db, Outbox outbox, TimeProvider clock, IOptions<PublicUrlOptions> urls) : IScheduledWork
{
    public const string KindName = "weekly-digest";
    private const int MaxChanges = 10;

    public string Kind => KindName;

    public Occurrence? LatestDue(Organisation organisation, DateTimeOffset now) => CheckInSlot.Of(organisation).LatestAtOrBefore(now);

    public async Task<string> RunAsync(Organisation organisation, Occurrence occurrence, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var zone = CheckInSlot.Of(organisation).Zone;
        var cycleIds = (await db.Cycles.AsNoTracking().Where(c => c.State == CycleState.Active).ToListAsync(ct))
            .Where(c => c.Window(zone).Contains(now)).Select(c => c.Id).ToList();
        var people = await db.People.AsNoTracking().Where(p => p.DigestEnabled).OrderBy(p => p.Name).ToListAsync(ct);
        var teamNames = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);

        var sent = 0;
        foreach (var person in people)
        {
            if (await DigestOfAsync(organisation, person, cycleIds, teamNames, zone, now, ct) is { } text)
            {
                outbox.QueueForPerson(person, NotificationEvent.WeeklyDigest,
                    $"Your week in Okapi: {Day(now, zone)}", text, "/", email: true);
                sent++;
            }
        }

        return sent == 1 ? "1 digest" : $"{sent} digests";
    }

    /// <summary>The digest's text for one person, or null when it would say nothing.</summary>
    private async Task<string?> DigestOfAsync(Organisation organisation, Person person, List<Guid> cycleIds,
        Dictionary<Guid, string> teamNames, TimeZoneInfo zone, DateTimeOffset now, CancellationToken ct)
    {
        var viewer = await ViewerAsync(person, ct);
        var me = person.Id;
        var teams = viewer.TeamIds.ToList();
        var weekAgo = (now - TimeSpan.FromDays(7)).UtcDateTime;
        var visible = viewer.Visible(db.Objectives.AsNoTracking()).InUse().Where(o => o.State == ObjectiveState.Active && cycleIds.Contains(o.CycleId));

        var myKeyResults = await db.KeyResults.AsNoTracking().Where(k => k.OwnerPersonId == me && visible.Any(o => o.Id == k.ObjectiveId))
            .OrderBy(k => k.Title).ToListAsync(ct);
        var myKeyResultObjectives = myKeyResults.Select(k => k.ObjectiveId).Distinct().ToList();
        var owned = visible.Where(viewer.Actor.OwnsObjective).Select(o => o.Id);
        var objectives = await visible.Where(o => myKeyResultObjectives.Contains(o.Id) || owned.Contains(o.Id))
            .OrderBy(o => o.Title).ToListAsync(ct);
        var scored = await new OkrScoring(db, viewer, clock).ScoreAsync(objectives, ct);
        var titles = objectives.ToDictionary(o => o.Id, o => o.Title);

        var text = new StringBuilder();
        if (myKeyResults.Count > 0)
        {
            text.Append("Your key results\n");
            foreach (var k in myKeyResults)
            {
                var score = scored.KeyResults[k.Id];
                var status = score.Status is { } s ? Words(s) : "not started";
                text.Append($"- {k.Title} ({titles[k.ObjectiveId]}): {Percent(score.Progress)}, {status}{(score.Stale ? ", check-in due" : "")}\n");
            }
        }

        var teamLines = TeamScore.Of(teams.Where(teamNames.ContainsKey), objectives.Select(o => (o.OwnerTeamId, scored.Objectives[o.Id].Progress)))
            .Where(s => s.Objectives > 0).OrderBy(s => teamNames[s.TeamId])
            .Select(s => $"- {teamNames[s.TeamId]}: {Percent(s.Progress)} across {(s.Objectives == 1 ? "1 objective" : $"{s.Objectives} objectives")}\n")
            .ToList();
        if (teamLines.Count > 0)
        {
            text.Append(text.Length > 0 ? "\n" : "").Append("Your teams\n");
            teamLines.ForEach(line => text.Append(line));
        }

        var kpis = await viewer.Visible(db.Kpis.AsNoTracking()).Where(viewer.Actor.OwnsKpi)
            .ToDictionaryAsync(k => k.Id, k => k.Name, ct);
        var kpiIds = kpis.Keys.ToList();
        var alerts = await db.Alerts.AsNoTracking()
            .Where(a => kpiIds.Contains(a.KpiId) && a.FiredAt != null && (a.State == AlertState.Firing || a.FiredAt >= weekAgo || a.ResolvedAt >= weekAgo))
            .OrderBy(a => a.FiredAt).ToListAsync(ct);
        if (alerts.Count > 0)
        {
            text.Append(text.Length > 0 ? "\n" : "").Append("Alerts on your KPIs\n");
            foreach (var a in alerts)
            {
                var state = a.State == AlertState.Firing ? $"firing since {Day(a.FiredAt!.Value, zone)}" : $"resolved {Day(a.ResolvedAt ?? a.FiredAt!.Value, zone)}";
                text.Append($"- {kpis[a.KpiId]}: {state}. {a.Summary}\n");
            }
        }

        var objectiveIds = objectives.Select(o => o.Id).ToList();
        var checkIns = await db.CheckIns.AsNoTracking()
            .Join(db.KeyResults, c => c.KeyResultId, k => k.Id, (c, k) => new { c.At, c.AuthorId, c.Value, k.Unit, KeyResult = k.Title, k.ObjectiveId })
            .Where(x => objectiveIds.Contains(x.ObjectiveId) && x.At >= weekAgo)
            .OrderByDescending(x => x.At).ToListAsync(ct);
        var comments = await db.Comments.AsNoTracking().Where(c => objectiveIds.Contains(c.ObjectiveId) && c.CreatedAt >= weekAgo)
            .OrderByDescending(c => c.CreatedAt).ToListAsync(ct);
        if (checkIns.Count + comments.Count > 0)
        {
            var authorIds = checkIns.Select(c => c.AuthorId).Concat(comments.Select(c => c.AuthorId)).OfType<Guid>().Distinct().ToList();
            var authors = await db.People.AsNoTracking().Where(p => authorIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
            string Author(Guid? id) => id is { } a && authors.TryGetValue(a, out var name) ? name : "Someone";

            text.Append(text.Length > 0 ? "\n" : "").Append($"This week: {Count(checkIns.Count, "check-in")}, {Count(comments.Count, "new comment")}\n");
            foreach (var c in checkIns.Take(MaxChanges))
            {
                var value = c.Value.ToString("G6", CultureInfo.InvariantCulture) + (string.IsNullOrEmpty(c.Unit) ? "" : $" {c.Unit}");
                text.Append($"- {Day(c.At, zone)} {Author(c.AuthorId)} checked in {c.KeyResult} at {value}\n");
            }

            foreach (var c in comments.Take(MaxChanges))
            {
                var body = c.Body.ReplaceLineEndings(" ");
                text.Append($"- {Day(c.CreatedAt, zone)} {Author(c.AuthorId)} commented on {titles[c.ObjectiveId]}: {(body.Length > 120 ? body[..120] + "…" : body)}\n");
            }
        }

        if (text.Length == 0)
        {
            return null;
        }

        var home = NotificationPayload.AbsoluteLink(urls.Value.PublicUrl, "/") is { } link ? $"Open Okapi: {link}\n" : "";
        return $"Hello {person.Name}, here is your week.\n\n{text}\n{home}" +
            "To stop this digest, ask an admin to turn off \"Weekly digest\" for you, or send PUT /api/v1/people/me/notifications with {\"digestEnabled\": false}.";
    }

    /// <summary>
    /// The person as a caller, loaded by the same code that loads a signed-in person, so that the digest applies
    /// exactly the access rules the person has in the app and the API.
    /// </summary>
    private async Task<Caller> ViewerAsync(Person person, CancellationToken ct)
    {
        var viewer = new Caller();
        await viewer.LoadAsync(person, db, ct);
        // Loading names the person as the actor; the digest's writes are the system's.
        db.ActorId = null;
        db.ActorName = null;
        return viewer;
    }

    private static string Words(OkrStatus status) => status switch
    {
        OkrStatus.OnTrack => "on track",
        OkrStatus.AtRisk => "at risk",
        _ => "off track",
    };

    private static string Percent(double progress) => (progress * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";

    private static string Day(DateTime utc, TimeZoneInfo zone) => Day(new DateTimeOffset(utc), zone);

    private static string Day(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).ToString("ddd d MMM", CultureInfo.InvariantCulture);
}
