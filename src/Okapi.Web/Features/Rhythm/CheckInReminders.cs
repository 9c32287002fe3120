using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Features.Notifications;

namespace Okapi.Web.Features.Rhythm;

using Organisation = Okapi.Core.Organisations.Organisation;

/// <summary>
/// At the organisation's check-in weekday and hour, one reminder (in-app and email) to each person who owns a stale
/// key result, listing all of them, and a "check-in due" inbox item per stale key result. Only key results of
/// active objectives in active cycles that are running count, and never for people who turned reminders off.
/// </summary>
public sealed class CheckInReminders(OkapiDbContext db, Outbox outbox, InboxWriter inbox, TimeProvider clock, IOptions<PublicUrlOptions> urls) : IScheduledWork
{
    public const string KindName = "check-in-reminders";

    public string Kind => KindName;

    public Occurrence? LatestDue(Organisation organisation, DateTimeOffset now) => CheckInSlot.Of(organisation).LatestAtOrBefore(now);

    public async Task<string> RunAsync(Organisation organisation, Occurrence occurrence, CancellationToken ct)
    {
        // Staleness as of the run, not the slot: after a catch-up, a key result checked in since the slot is no longer due.
        var now = clock.GetUtcNow();
        var stale = await StaleKeyResultsAsync(organisation, now, db, ct);
        var owners = stale.Select(s => s.KeyResult.OwnerPersonId!.Value).Distinct().ToList();
        var people = await db.People.Where(p => owners.Contains(p.Id) && p.RemindersEnabled).OrderBy(p => p.Name).ToListAsync(ct);

        var byOwner = stale.ToLookup(s => s.KeyResult.OwnerPersonId!.Value);
        var items = new List<InboxWriter.Entry>();
        foreach (var person in people)
        {
            var mine = byOwner[person.Id].OrderBy(s => s.Objective.Title).ThenBy(s => s.KeyResult.Title).ToList();
            var text = new StringBuilder($"Hello {person.Name}, {Count(mine.Count)} of yours {(mine.Count == 1 ? "is" : "are")} waiting for a check-in:\n");
            foreach (var (keyResult, objective, last) in mine)
            {
                text.Append($"\n- {keyResult.Title} ({objective.Title}): {Since(last, now)}");
                if (NotificationPayload.AbsoluteLink(urls.Value.PublicUrl, $"/objectives/{objective.Id}") is { } link)
                {
                    text.Append($"\n  {link}");
                }

                items.Add(new InboxWriter.Entry(person.Id, InboxItemKind.CheckInDue, keyResult.Id, $"Check in on {keyResult.Title}",
                    $"{objective.Title}: {Since(last, now)}", $"/objectives/{objective.Id}"));
            }

            outbox.QueueForPerson(person, NotificationEvent.CheckInReminder, $"Check-in due: {Count(mine.Count)}", text.ToString(),
                $"/objectives/{mine[0].Objective.Id}", email: true);
        }

        await inbox.AddAsync(items, ct);
        return people.Count == 1 ? "1 reminder" : $"{people.Count} reminders";
    }

    public sealed record Stale(KeyResult KeyResult, Objective Objective, DateTimeOffset? LastCheckIn);

    /// <summary>The owned key results that are stale at <paramref name="now"/>, by the same rule the key result's score uses.</summary>
    public static async Task<List<Stale>> StaleKeyResultsAsync(Organisation organisation, DateTimeOffset now, OkapiDbContext db, CancellationToken ct)
    {
        var zone = CheckInSlot.Of(organisation).Zone;
        var cycles = (await db.Cycles.AsNoTracking().Where(c => c.State == CycleState.Active).ToListAsync(ct))
            .Select(c => (c.Id, Window: c.Window(zone))).Where(c => c.Window.Contains(now)).ToDictionary(c => c.Id, c => c.Window);
        var cycleIds = cycles.Keys.ToList();
        var objectives = await db.Objectives.AsNoTracking().InUse().Where(o => o.State == ObjectiveState.Active && cycleIds.Contains(o.CycleId)).ToDictionaryAsync(o => o.Id, ct);
        var objectiveIds = objectives.Keys.ToList();
        var keyResults = await db.KeyResults.AsNoTracking()
            .Where(k => k.OwnerPersonId != null && k.FinalGrade == null && objectiveIds.Contains(k.ObjectiveId)).ToListAsync(ct);
        var keyResultIds = keyResults.Select(k => k.Id).ToList();
        // The newest check-in per key result, computed by the database (a cycle holds many check-ins per key result).
        var lastCheckIns = await db.CheckIns.AsNoTracking().Where(c => keyResultIds.Contains(c.KeyResultId))
            .GroupBy(c => c.KeyResultId).Select(g => new { g.Key, At = g.Max(c => c.At) })
            .ToDictionaryAsync(g => g.Key, g => g.At, ct);

        return keyResults.Select(k =>
            {
                var objective = objectives[k.ObjectiveId];
                DateTimeOffset? last = lastCheckIns.TryGetValue(k.Id, out var at) ? new DateTimeOffset(at) : null;
                return (Stale: new Stale(k, objective, last), IsStale: Staleness.IsStale(last, k.UpdateRhythmDays, cycles[objective.CycleId], now, new DateTimeOffset(k.CreatedAt)));
            })
            .Where(x => x.IsStale).Select(x => x.Stale).ToList();
    }

    private static string Count(int n) => n == 1 ? "1 key result" : $"{n} key results";

    private static string Since(DateTimeOffset? last, DateTimeOffset now) => last is not { } at
        ? "no check-in yet"
        : (int)(now - at).TotalDays is var days && days <= 1 ? "last check-in a day ago" : $"last check-in {days} days ago";
}
