namespace Okapi.Core.Okrs;

/// <summary>
/// Continuing an objective in a later cycle (carry-over, linked to where it came from) or starting afresh from it
/// (clone, unlinked). Both land as drafts: the next cycle's plan is made by its team, not by the close.
/// </summary>
public static class CarryOver
{
    /// <summary>The objective continued in <paramref name="cycleId"/>, linked to the original.</summary>
    public static Objective Continue(Objective original, Guid cycleId)
    {
        var copy = Copy(original, cycleId);
        copy.ContinuedFromId = original.Id;
        return copy;
    }

    /// <summary>A fresh copy of the objective in <paramref name="cycleId"/>, with no link to the original.</summary>
    public static Objective Clone(Objective original, Guid cycleId) => Copy(original, cycleId);

    /// <summary>
    /// The unfinished key result continued under <paramref name="objectiveId"/>: it starts where it stands now and aims
    /// at the same target. Where starting at the current value would break its own rules (a commit/target/stretch key
    /// result already past its commit level), it keeps its start and carries the current value instead.
    /// </summary>
    public static KeyResult Continue(KeyResult original, Guid objectiveId)
    {
        var copy = Copy(original, objectiveId);
        copy.ContinuedFromId = original.Id;
        copy.Checklist = [.. original.Checklist];
        if (original.Type is KeyResultType.IncreaseTo or KeyResultType.DecreaseTo or KeyResultType.CommitTargetStretch)
        {
            copy.Start = original.CurrentValue;
            if (!copy.Validate().IsValid)
            {
                copy.Start = original.Start;
                copy.Current = original.Current;
            }
        }
        else
        {
            copy.Current = original.Current;
        }

        return copy;
    }

    /// <summary>A fresh copy of the key result under <paramref name="objectiveId"/>: from its original start, nothing checked in or done.</summary>
    public static KeyResult Clone(KeyResult original, Guid objectiveId)
    {
        var copy = Copy(original, objectiveId);
        copy.Checklist = original.Checklist.Select(i => i with { Done = false }).ToList();
        return copy;
    }

    /// <summary>Unfinished key results are those short of full progress: the candidates to carry over.</summary>
    public static bool IsUnfinished(double progress) => progress < 1 - 1e-9;

    private static Objective Copy(Objective o, Guid cycleId) => new()
    {
        Title = o.Title,
        Description = o.Description,
        CycleId = cycleId,
        OwnerTeamId = o.OwnerTeamId,
        OwnerPersonId = o.OwnerPersonId,
        State = ObjectiveState.Draft,
        Visibility = o.Visibility,
        Tags = [.. o.Tags],
    };

    private static KeyResult Copy(KeyResult k, Guid objectiveId) => new()
    {
        Title = k.Title,
        ObjectiveId = objectiveId,
        OwnerPersonId = k.OwnerPersonId,
        Type = k.Type,
        Unit = k.Unit,
        Start = k.Start,
        Target = k.Target,
        Commit = k.Commit,
        Stretch = k.Stretch,
        Weight = k.Weight,
        UpdateRhythmDays = k.UpdateRhythmDays,
        Position = k.Position,
        KpiId = k.KpiId,
    };
}
