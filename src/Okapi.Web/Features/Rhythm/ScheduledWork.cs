using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;

namespace Okapi.Web.Features.Rhythm;

using Organisation = Okapi.Core.Organisations.Organisation;

/// <summary>
/// Work the job runner runs on a schedule, once per occurrence and organisation. Implementations are scoped
/// services: <see cref="RunAsync"/> adds what it produces (notifications, inbox items) to the scope's context
/// without saving, and the runner saves it in the same transaction that marks the occurrence done.
/// </summary>
public interface IScheduledWork
{
    /// <summary>The job kind stored with each occurrence, e.g. "check-in-reminders".</summary>
    string Kind { get; }

    /// <summary>The latest occurrence due at or before <paramref name="now"/> for the organisation, or null for none.</summary>
    Occurrence? LatestDue(Organisation organisation, DateTimeOffset now);

    /// <summary>Does the work of one occurrence and returns a short summary for the admin's view, e.g. "3 reminders".</summary>
    Task<string> RunAsync(Organisation organisation, Occurrence occurrence, CancellationToken ct);
}

/// <summary>The organisation's weekly check-in slot (its weekday and hour in its time zone), shared by the weekly work.</summary>
public static class CheckInSlot
{
    public static WeeklySlot Of(Organisation organisation) =>
        new(organisation.CheckInWeekday, organisation.CheckInHour, organisation.FindTimeZone());
}

public sealed class JobOptions
{
    public const string Section = "Okapi:Jobs";

    /// <summary>How often the runner looks for due occurrences.</summary>
    public int PollSeconds { get; set; } = 60;

    /// <summary>
    /// Whether this instance runs the jobs on its own timer. Instances sharing a database may all run it (each occurrence
    /// still runs once); turning it off leaves the jobs to the other instances.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
