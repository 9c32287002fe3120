using Okapi.Core.Organisations;
using Okapi.Core.Scoring;

namespace Okapi.Core.Okrs;

/// <summary>An objective's state: `draft`, `active`, `closed`, or `inReview` (sent to a team lead for review).</summary>
public enum ObjectiveState
{
    Draft,
    Active,
    Closed,

    /// <summary>Sent for review to a team lead; becomes active once acknowledged (last in the list: states are stored as numbers).</summary>
    InReview,
}

/// <summary>Who sees it: `public` (everyone in the organisation) or `private` (its owner, the owner team's members, and admins).</summary>
public enum Visibility
{
    Public,
    Private,
}

/// <summary>A qualitative goal for a cycle, owned by a team or by a person.</summary>
public sealed class Objective : Entity
{
    public required string Title { get; set; }
    public string? Description { get; set; }
    public Guid CycleId { get; set; }
    public Guid? OwnerTeamId { get; set; }
    public Guid? OwnerPersonId { get; set; }
    public ObjectiveState State { get; set; } = ObjectiveState.Active;
    public Visibility Visibility { get; set; } = Visibility.Public;
    public List<string> Tags { get; set; } = [];

    /// <summary>The objective this one continues from a previous cycle, if any.</summary>
    public Guid? ContinuedFromId { get; set; }

    /// <summary>Grade recorded when the cycle closed; null while the cycle runs.</summary>
    public double? FinalGrade { get; set; }

    /// <summary>What the owners learned, written when the cycle closes (Markdown).</summary>
    public string? Retrospective { get; set; }

    /// <summary>Stable key in exported documents ("OKRs as code"), unique in the organisation; null until exported or imported.</summary>
    public string? Key { get; set; }

    /// <summary>
    /// When the objective was archived (UTC), or null while it is in use. An archived objective keeps everything it
    /// had, is read-only, is left out of lists and of its parents' rollup, and comes back as it was when restored.
    /// </summary>
    public DateTime? ArchivedAt { get; set; }

    public bool IsArchived => ArchivedAt is not null;

    public const int MaxKeyLength = 100;
    public const int MaxTitleLength = 200;
    public const int MaxDescriptionLength = 20_000;

    /// <summary>
    /// Closes the objective at its cycle's close: graded from its key results' grades (which are given first), or from
    /// <paramref name="rolledUpProgress"/> when it has none of its own, with the retrospective written at the close.
    /// </summary>
    /// <returns>The objective's grade.</returns>
    public double Close(IReadOnlyCollection<KeyResult> keyResults, double rolledUpProgress, string? retrospective)
    {
        if (keyResults.Any(k => k.ObjectiveId != Id || k.FinalGrade is null))
        {
            throw new InvalidOperationException("An objective is closed with its own key results, each graded first.");
        }

        FinalGrade = CloseGrades.ObjectiveGrade(keyResults.Select(k => (k.FinalGrade!.Value, k.Weight)), rolledUpProgress);
        Retrospective = retrospective;
        State = ObjectiveState.Closed;
        return FinalGrade.Value;
    }

    /// <summary>
    /// Why the objective may no longer change, or null when it may. A close freezes what it graded: the objective, its
    /// key results and their check-ins, its initiatives and its alignment, so that the live data stay what the
    /// snapshot and the report show. The company's close closes <paramref name="cycle"/> and every objective in it;
    /// a team's close closes the team's objectives while the cycle runs on for the others.
    /// </summary>
    /// <remarks>An archived objective is read-only too, until it is restored.</remarks>
    public string? WhyReadOnly(Cycle cycle) =>
        WhyClosed(cycle) ?? (IsArchived ? "The objective is archived; restore it first to change it." : null);

    /// <summary>Why the objective may not be archived now (closed with its cycle, or archived already), or null when it may.</summary>
    public string? WhyNotArchive(Cycle cycle) =>
        WhyClosed(cycle) ?? (IsArchived ? "The objective is already archived." : null);

    /// <summary>Why the objective may not be restored now (closed with its cycle, or not archived), or null when it may.</summary>
    public string? WhyNotRestore(Cycle cycle) =>
        WhyClosed(cycle) ?? (IsArchived ? null : "The objective is not archived.");

    /// <summary>Archives the objective at <paramref name="now"/> (UTC), if <see cref="WhyNotArchive"/> allows it.</summary>
    public void Archive(Cycle cycle, DateTime now)
    {
        if (WhyNotArchive(cycle) is { } why)
        {
            throw new InvalidOperationException(why);
        }

        ArchivedAt = now;
    }

    /// <summary>Restores the archived objective as it was, if <see cref="WhyNotRestore"/> allows it.</summary>
    public void Restore(Cycle cycle)
    {
        if (WhyNotRestore(cycle) is { } why)
        {
            throw new InvalidOperationException(why);
        }

        ArchivedAt = null;
    }

    /// <summary>Why the objective's cycle close froze it, or null when it did not: a closed cycle is read-only, archived or not.</summary>
    private string? WhyClosed(Cycle cycle) =>
        cycle.Id != CycleId ? throw new ArgumentException("The objective's own cycle decides whether it is closed.", nameof(cycle))
        : cycle.State == CycleState.Closed ? cycle.WhyClosedForObjectives(closedForTeam: false)
        : State == ObjectiveState.Closed ? $"The objective was closed with the cycle {cycle.Name}; it is read-only."
        : null;

    /// <summary>The rules an objective must satisfy, for the API, the pages and the importer; its cycle and owners need the database.</summary>
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors()
            .Text(Title, "title", MaxTitleLength)
            .Text(Description, "description", MaxDescriptionLength, required: false)
            .Require(OwnerTeamId is not null || OwnerPersonId is not null, "owner", "an owner team or an owner person is required.")
            .Require(Enum.IsDefined(State), "state", "must be draft, active, inReview or closed.")
            .Require(Enum.IsDefined(Visibility), "visibility", "must be public or private.")
            .Require(Tags.Count <= 20, "tags", "at most 20 tags.")
            .Require(FinalGrade is null or (>= 0 and <= 1), "finalGrade", "must be between 0 and 1.")
            .Text(Retrospective, "retrospective", MaxDescriptionLength, required: false);
        foreach (var tag in Tags)
        {
            errors.Text(tag, "tags", 40);
        }

        return errors;
    }
}

/// <summary>
/// An alignment edge: the child objective contributes to a parent objective or to a parent key result.
/// Alignment is a graph: an objective may have several parents.
/// </summary>
public sealed class ObjectiveLink : IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    public Guid ChildObjectiveId { get; set; }
    public Guid? ParentObjectiveId { get; set; }
    public Guid? ParentKeyResultId { get; set; }

    /// <summary>Contribution weight of the child in the parent's rollup.</summary>
    public double Weight { get; set; } = 1;

    /// <summary>Whether the child's progress counts in the parent's progress.</summary>
    public bool RollsUp { get; set; } = true;

    /// <summary>The rules a link must satisfy, for the API and the importer; that it closes no loop needs the whole graph.</summary>
    public ValidationErrors Validate() => new ValidationErrors()
        .Finite(Weight, "weight")
        .Require(!double.IsFinite(Weight) || (Weight > 0 && Weight <= 1000), "weight", "must be greater than 0 and at most 1000.");
}

/// <summary>Which objectives a list shows: those in use, or when asked for only the archived ones, never both mixed.</summary>
public static class ObjectiveQueries
{
    public static IQueryable<Objective> InUse(this IQueryable<Objective> objectives) => objectives.Where(o => o.ArchivedAt == null);

    public static IQueryable<Objective> Archived(this IQueryable<Objective> objectives, bool archived) =>
        archived ? objectives.Where(o => o.ArchivedAt != null) : objectives.InUse();
}
