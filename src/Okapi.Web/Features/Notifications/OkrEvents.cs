using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;

namespace Okapi.Web.Features.Notifications;

/// <summary>
/// Tells the channels that subscribe to them what happens to OKRs: check-ins, activations, reviews, closes. Each is
/// queued in the caller's unit of work, so the event is saved with the change that caused it: a committed change is
/// announced at least once, one that rolled back never. The caller saves, and wakes the outbox after its commit.
/// </summary>
public sealed class OkrEvents(OkapiDbContext db, Caller caller, Outbox outbox, TimeProvider clock)
{
    public async Task CheckedInAsync(Objective objective, KeyResult keyResult, CheckIn checkIn, double? previous, CancellationToken ct)
    {
        var team = await TeamAsync(objective.OwnerTeamId, ct);
        var change = $"{Number(previous ?? keyResult.Start)} → {Number(checkIn.Value)}{(string.IsNullOrWhiteSpace(keyResult.Unit) ? "" : " " + keyResult.Unit.Trim())}";
        var text = $"{caller.Name} checked in on {keyResult.Title}: {change}{(checkIn.Confidence is { } c ? ", " + Words(c) : "")}\n{Of(objective, team)}";
        if (!string.IsNullOrWhiteSpace(checkIn.Note))
        {
            text += $"\n{checkIn.Note.Trim()}";
        }

        var okr = Okr(objective, team) with
        {
            KeyResult = new PayloadRef(keyResult.Id, keyResult.Title),
            CheckIn = new PayloadCheckIn(checkIn.Id, previous, checkIn.Value, keyResult.Unit, checkIn.Confidence, checkIn.Note),
        };
        await QueueAsync(NotificationEvent.CheckInCreated, keyResult.Title, text, objective, okr, ct);
    }

    public async Task ActivatedAsync(Objective objective, CancellationToken ct)
    {
        var team = await TeamAsync(objective.OwnerTeamId, ct);
        await QueueAsync(NotificationEvent.ObjectiveActivated, objective.Title,
            $"{caller.Name} activated “{objective.Title}”.\n{Of(objective, team)}", objective, Okr(objective, team), ct);
    }

    public async Task ReviewRequestedAsync(Objective objective, Person reviewer, string? message, CancellationToken ct)
    {
        var team = await TeamAsync(objective.OwnerTeamId, ct);
        var text = $"{caller.Name} asked {reviewer.Name} to review “{objective.Title}”.\n{Of(objective, team)}";
        await QueueAsync(NotificationEvent.ReviewRequested, objective.Title, message is null ? text : $"{text}\n{message}", objective, Okr(objective, team), ct);
    }

    /// <param name="verb">What the reviewer did, e.g. "acknowledged" or "requested changes to".</param>
    public async Task ReviewAnsweredAsync(Objective objective, string verb, string? note, CancellationToken ct)
    {
        var team = await TeamAsync(objective.OwnerTeamId, ct);
        var text = $"{caller.Name} {verb} “{objective.Title}”.\n{Of(objective, team)}";
        await QueueAsync(NotificationEvent.ReviewAnswered, objective.Title, note is null ? text : $"{text}\n{note}", objective, Okr(objective, team), ct);
    }

    /// <summary>A cycle closed for a team (a team's event), or for the company (<paramref name="teamId"/> null: no team's).</summary>
    public async Task ClosedAsync(Cycle cycle, Guid? teamId, int graded, CancellationToken ct)
    {
        var team = await TeamAsync(teamId, ct);
        var notification = team is null ? NotificationEvent.CycleClosed : NotificationEvent.TeamClosed;
        var scope = team is null ? "the company" : team.Name;
        var title = $"{cycle.Name} for {scope}";
        var text = $"{caller.Name} closed {cycle.Name} for {scope}: {(graded == 1 ? "1 objective" : $"{graded} objectives")} graded.";
        var okr = new PayloadOkr(null, null, team is null ? null : new PayloadRef(team.Id, team.Name), new PayloadRef(cycle.Id, cycle.Name), Actor(), null);
        var payload = new NotificationPayload(notification, Now(), $"[{NotificationPayload.Label(notification)}] {title}", text, $"/cycles/{cycle.Id}/close", null, null, null, okr);
        await outbox.QueueEventAsync(payload, teamId, confidential: false, ct => team is null ? Task.FromResult(new List<Guid>()) : MembersAsync(team.Id, ct), ct);
    }

    /// <summary>Sends what was queued now rather than at the next poll; call it after the transaction commits.</summary>
    public void Wake() => outbox.Wake();

    private Task QueueAsync(NotificationEvent notification, string subject, string text, Objective objective, PayloadOkr okr, CancellationToken ct)
    {
        var payload = new NotificationPayload(notification, Now(), $"[{NotificationPayload.Label(notification)}] {subject}", text, $"/objectives/{objective.Id}", null, null, null, okr);
        return outbox.QueueEventAsync(payload, objective.OwnerTeamId, confidential: objective.Visibility != Visibility.Public, ct => OwnersAsync(objective, ct), ct);
    }

    /// <summary>In Okapi, an objective's events go to its owners (the person, or the owner team's members), not to whoever caused them.</summary>
    private async Task<List<Guid>> OwnersAsync(Objective objective, CancellationToken ct)
    {
        var people = objective.OwnerTeamId is { } team ? await MembersAsync(team, ct) : [];
        if (objective.OwnerPersonId is { } owner && owner != caller.PersonId)
        {
            people.Add(owner);
        }

        return people.Distinct().ToList();
    }

    private Task<List<Guid>> MembersAsync(Guid teamId, CancellationToken ct) =>
        db.TeamMemberships.AsNoTracking().Where(m => m.TeamId == teamId && m.PersonId != caller.PersonId).Select(m => m.PersonId).ToListAsync(ct);

    private async Task<Team?> TeamAsync(Guid? teamId, CancellationToken ct) =>
        teamId is { } id ? await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) : null;

    private PayloadOkr Okr(Objective objective, Team? team) =>
        new(new PayloadRef(objective.Id, objective.Title), null, team is null ? null : new PayloadRef(team.Id, team.Name), null, Actor(), null);

    private PayloadRef Actor() => new(caller.PersonId, caller.Name);

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    private static string Of(Objective objective, Team? team) =>
        $"Objective: {objective.Title}{(team is null ? "" : $" ({team.Name})")}";

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Words(Confidence confidence) => confidence switch
    {
        Confidence.OnTrack => "on track",
        Confidence.AtRisk => "at risk",
        _ => "off track",
    };
}
