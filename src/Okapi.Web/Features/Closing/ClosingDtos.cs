using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Okapi.Core.Okrs;
using Okapi.Core.Scoring;

namespace Okapi.Web.Features.Closing;

/// <summary>What a close would grade: the objectives still open in its scope, with progress now and the proposed grades.</summary>
/// <param name="CycleId">The cycle.</param>
/// <param name="TeamId">The team whose close this is; null for the company's close.</param>
/// <param name="ClosingId">The close already made for this scope, if any.</param>
/// <param name="CycleClosed">Whether the cycle is already closed.</param>
/// <param name="CanClose">Whether the caller may close this scope now (the cycle's state and the caller's role allow it).</param>
/// <param name="Objectives">The objectives in scope not graded by a close yet, oldest first.</param>
public sealed record ClosePreviewDto(
    Guid CycleId, Guid? TeamId, Guid? ClosingId, bool CycleClosed, bool CanClose,
    IReadOnlyList<ClosePreviewObjectiveDto> Objectives);

/// <summary>An objective a close would grade.</summary>
/// <param name="Id">The objective.</param>
/// <param name="Title">The objective's title.</param>
/// <param name="OwnerTeamId">The owning team, if a team owns it.</param>
/// <param name="OwnerPersonId">The owning person, if a person owns it.</param>
/// <param name="State">The objective's state.</param>
/// <param name="Progress">Its progress now, 0 to 1.</param>
/// <param name="ProposedGrade">The grade the close gives unless told otherwise: the weighted mean of its key results' proposed grades, rounded to 0.1 (without key results, its progress rounded).</param>
/// <param name="Unfinished">Whether the objective is short of full progress: a carry-over candidate.</param>
/// <param name="KeyResults">Its key results, in their order.</param>
public sealed record ClosePreviewObjectiveDto(
    Guid Id, string Title, Guid? OwnerTeamId, Guid? OwnerPersonId, ObjectiveState State,
    double Progress, double ProposedGrade, bool Unfinished, IReadOnlyList<ClosePreviewKeyResultDto> KeyResults);

/// <summary>A key result a close would grade.</summary>
/// <param name="Id">The key result.</param>
/// <param name="Title">The key result's title.</param>
/// <param name="OwnerPersonId">The owning person, if any.</param>
/// <param name="Type">How progress is measured: `increaseTo`, `decreaseTo`, `stayAbove`, `stayBelow`, `milestone` or `commitTargetStretch`.</param>
/// <param name="Unit">The unit of its values, if any.</param>
/// <param name="Start">The value progress is measured from.</param>
/// <param name="Target">The value that means full progress.</param>
/// <param name="Current">The current value.</param>
/// <param name="Weight">How much it counts in its objective's progress and grade.</param>
/// <param name="Progress">Its progress now, 0 to 1.</param>
/// <param name="ProposedGrade">The grade the close gives unless told otherwise: the progress rounded to 0.1.</param>
/// <param name="Unfinished">Whether it is short of full progress: carried over by default.</param>
public sealed record ClosePreviewKeyResultDto(
    Guid Id, string Title, Guid? OwnerPersonId, KeyResultType Type, string? Unit, double Start, double Target, double Current,
    double Weight, double Progress, double ProposedGrade, bool Unfinished);

/// <summary>A grade other than the proposed one needs a reason; it is kept on the key result and in the audit log.</summary>
/// <param name="KeyResultId">A key result this close grades, at most once.</param>
/// <param name="Grade">Required: the grade, 0.0 to 1.0 in steps of 0.1.</param>
/// <param name="Reason">Why the grade differs from the proposed one; required then, at most 1,000 characters.</param>
public sealed record GradeRequest(Guid KeyResultId, [property: Required] double? Grade, [property: StringLength(KeyResult.MaxGradeReasonLength)] string? Reason);

/// <summary>A retrospective note for one objective of the close, kept with its snapshot.</summary>
/// <param name="ObjectiveId">An objective this close grades, at most once.</param>
/// <param name="Note">What was learned, in Markdown; at most 20,000 characters.</param>
public sealed record RetrospectiveRequest(Guid ObjectiveId, [property: StringLength(Objective.MaxDescriptionLength)] string? Note);

/// <summary>Objectives of the close to continue, as drafts linked to the originals, in another cycle.</summary>
/// <param name="TargetCycleId">The cycle to continue in: an existing cycle other than this one, not closed.</param>
/// <param name="ObjectiveIds">The objectives of this close to continue; none when left out.</param>
/// <param name="KeyResultIds">The key results to continue, each of a chosen objective; without them every unfinished key result of the chosen objectives.</param>
public sealed record CarryOverPlan(Guid TargetCycleId, List<Guid>? ObjectiveIds, List<Guid>? KeyResultIds);

/// <summary>Objectives of the close to start afresh, as unlinked drafts with their key results from their original start, in another cycle.</summary>
/// <param name="TargetCycleId">The cycle to copy into: an existing cycle other than this one, not closed.</param>
/// <param name="ObjectiveIds">The objectives of this close to copy; none when left out.</param>
public sealed record ClonePlan(Guid TargetCycleId, List<Guid>? ObjectiveIds);

/// <summary>
/// Closes a cycle for a team (its leads or an admin) or for the company (admins only): grades the open objectives in
/// scope, keeps a snapshot, and optionally carries objectives over or clones them into another cycle.
/// </summary>
/// <param name="TeamId">The team whose objectives close; none for the company close, which closes the cycle.</param>
/// <param name="Grades">Grades other than the proposed ones; key results not listed get their proposed grade.</param>
/// <param name="Retrospectives">Retrospective notes, at most one per objective of the close; optional.</param>
/// <param name="CarryOver">Objectives to continue in another cycle, linked to the originals; optional.</param>
/// <param name="CloneInto">Objectives to copy afresh into another cycle; optional.</param>
public sealed record CloseRequest(
    Guid? TeamId, List<GradeRequest>? Grades, List<RetrospectiveRequest>? Retrospectives, CarryOverPlan? CarryOver, [property: JsonPropertyName("clone")] ClonePlan? CloneInto);

/// <summary>Continues one objective in another cycle as a draft linked to it, with the chosen key results starting where they stand.</summary>
/// <param name="CycleId">The cycle to continue in: an existing cycle other than the objective's, not closed.</param>
/// <param name="KeyResultIds">The objective's key results to continue; without them, every unfinished one.</param>
public sealed record CarryOverRequest(Guid CycleId, List<Guid>? KeyResultIds);

/// <summary>Copies one objective afresh into another cycle: an unlinked draft, its key results from their original start.</summary>
/// <param name="CycleId">The cycle to copy into: an existing cycle other than the objective's, not closed.</param>
public sealed record CloneRequest(Guid CycleId);

/// <summary>A key result as a close recorded it.</summary>
/// <param name="KeyResultId">The key result.</param>
/// <param name="Title">Its title at the close.</param>
/// <param name="OwnerPersonId">Its owner at the close, if any.</param>
/// <param name="OwnerName">Its owner's name at the close, if any.</param>
/// <param name="Weight">How much it counted in its objective's grade.</param>
/// <param name="Type">How its progress was measured; null when not recorded.</param>
/// <param name="Unit">The unit of its values, if any.</param>
/// <param name="Start">The value progress was measured from; null when not recorded.</param>
/// <param name="Target">The value that meant full progress; null when not recorded.</param>
/// <param name="Current">Its value at the close; null when not recorded.</param>
/// <param name="Progress">Its progress at the close, 0 to 1.</param>
/// <param name="Grade">The grade given, 0 to 1 in steps of 0.1.</param>
/// <param name="GradeColour">The grade's band: `red`, `yellow` or `green`.</param>
/// <param name="OverrideReason">Why the grade differs from the proposed one, when it does.</param>
public sealed record ClosedKeyResultDto(
    Guid KeyResultId, string Title, Guid? OwnerPersonId, string? OwnerName, double Weight, KeyResultType? Type, string? Unit,
    double? Start, double? Target, double? Current, double Progress, double Grade, GradeColour GradeColour, string? OverrideReason);

/// <summary>An objective as a close recorded it, with its key results.</summary>
/// <param name="ObjectiveId">The objective.</param>
/// <param name="Title">Its title at the close.</param>
/// <param name="OwnerTeamId">Its owning team at the close, if any.</param>
/// <param name="OwnerPersonId">Its owning person at the close, if any.</param>
/// <param name="OwnerName">Its owner's name at the close, if any.</param>
/// <param name="Progress">Its progress at the close, 0 to 1.</param>
/// <param name="Grade">The grade given, 0 to 1 in steps of 0.1.</param>
/// <param name="GradeColour">The grade's band: `red`, `yellow` or `green`.</param>
/// <param name="Retrospective">The retrospective note kept at the close, if any.</param>
/// <param name="KeyResults">Its key results as recorded.</param>
public sealed record ClosedObjectiveDto(
    Guid ObjectiveId, string Title, Guid? OwnerTeamId, Guid? OwnerPersonId, string? OwnerName, double Progress, double Grade,
    GradeColour GradeColour, string? Retrospective, IReadOnlyList<ClosedKeyResultDto> KeyResults);

/// <summary>
/// A close and its snapshot: objectives and key results as they stood, with the grades given and the spread of the
/// key results' grades. <paramref name="CarriedOver"/> and <paramref name="Cloned"/> list objectives made by this request.
/// </summary>
/// <param name="Id">The close.</param>
/// <param name="CycleId">The cycle closed.</param>
/// <param name="TeamId">The team whose objectives closed; null for the company's close.</param>
/// <param name="ClosedAt">When the close was made (UTC).</param>
/// <param name="ClosedById">Who made it, if known.</param>
/// <param name="ClosedByName">Their name at the time, if known.</param>
/// <param name="Objectives">The objectives it graded, as they stood.</param>
/// <param name="Distribution">How the key results' grades spread.</param>
/// <param name="CarriedOver">The objectives the close request carried over (empty when none); null when reading a past close.</param>
/// <param name="Cloned">The objectives the close request cloned (empty when none); null when reading a past close.</param>
public sealed record ClosingDto(
    Guid Id, Guid CycleId, Guid? TeamId, DateTime ClosedAt, Guid? ClosedById, string? ClosedByName,
    IReadOnlyList<ClosedObjectiveDto> Objectives, GradeDistribution Distribution,
    IReadOnlyList<Guid>? CarriedOver = null, IReadOnlyList<Guid>? Cloned = null)
{
    public static ClosingDto From(CycleClosing closing, IEnumerable<ClosedScore> scores)
    {
        var rows = scores.OrderBy(s => s.Position).ToList();
        var byObjective = rows.Where(s => s.KeyResultId is not null).ToLookup(s => s.ObjectiveId);
        var objectives = rows.Where(s => s.KeyResultId is null).Select(o => new ClosedObjectiveDto(
            o.ObjectiveId, o.Title, o.OwnerTeamId, o.OwnerPersonId, o.OwnerName, o.Progress, o.Grade, Grades.Colour(o.Grade), o.Retrospective,
            byObjective[o.ObjectiveId].Select(k => new ClosedKeyResultDto(
                k.KeyResultId!.Value, k.Title, k.OwnerPersonId, k.OwnerName, k.Weight, k.Type, k.Unit, k.Start, k.Target, k.Current,
                k.Progress, k.Grade, Grades.Colour(k.Grade), k.OverrideReason)).ToList())).ToList();
        var grades = objectives.SelectMany(o => o.KeyResults).Select(k => k.Grade);
        return new ClosingDto(closing.Id, closing.CycleId, closing.TeamId, closing.ClosedAt, closing.ClosedById, closing.ClosedByName,
            objectives, GradeDistribution.Of(grades));
    }
}
