namespace Okapi.Core.Rhythm;

/// <summary>A scheduled job occurrence's state: `pending`, `done` or `failed` (gave up after the last attempt).</summary>
public enum JobState
{
    Pending,
    Done,

    /// <summary>Gave up after the last attempt.</summary>
    Failed,
}

/// <summary>
/// One occurrence of a scheduled job for an organisation, e.g. the check-in reminders of one week. The
/// occurrence key is unique per organisation and kind, so an occurrence runs once across restarts and instances;
/// its work commits in the same transaction that marks it done.
/// </summary>
public sealed class ScheduledJob : IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }

    /// <summary>What runs, e.g. "check-in-reminders" or "weekly-digest".</summary>
    public required string Kind { get; set; }

    /// <summary>Which occurrence, e.g. the local date and hour it is due ("2027-02-15T09").</summary>
    public required string Key { get; set; }
    public DateTime DueAt { get; set; }
    public JobState State { get; set; } = JobState.Pending;
    public int Attempts { get; set; }

    /// <summary>Until when a runner has claimed this occurrence; others leave it alone until then.</summary>
    public DateTime? LockedUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>What the run did, e.g. "3 reminders", for the admin's view.</summary>
    public string? Result { get; set; }
}
