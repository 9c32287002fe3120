namespace Okapi.Core.Okrs;

/// <summary>
/// The close of a cycle for one team (or, with no team, for the company): who closed it and when. Its
/// <see cref="ClosedScore"/> rows are the immutable snapshot that the closed cycle's pages and reports show.
/// </summary>
public sealed class CycleClosing : IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    public Guid CycleId { get; set; }

    /// <summary>The team closed; null for the company close, which closes the cycle itself.</summary>
    public Guid? TeamId { get; set; }
    public DateTime ClosedAt { get; set; }
    public Guid? ClosedById { get; set; }
    public string? ClosedByName { get; set; }

    /// <summary>
    /// The snapshot rows of one objective closed by this close: the objective's row, then its key results' in the order
    /// given, numbered from <paramref name="position"/>. Owners are named from <paramref name="ownerNames"/> (people and
    /// teams by id): an objective by its owner person, else its owner team.
    /// </summary>
    public List<ClosedScore> Snapshot(Objective objective, double progress, IEnumerable<(KeyResult KeyResult, double Progress)> keyResults,
        IReadOnlyDictionary<Guid, string> ownerNames, int position)
    {
        if (objective.FinalGrade is not { } grade)
        {
            throw new InvalidOperationException("An objective is closed before it is kept in the snapshot.");
        }

        List<ClosedScore> rows =
        [
            new()
            {
                OrganisationId = OrganisationId,
                ClosingId = Id,
                CycleId = CycleId,
                ObjectiveId = objective.Id,
                Position = position++,
            Title = objective.Title,
            OwnerTeamId = objective.OwnerTeamId,
            OwnerPersonId = objective.OwnerPersonId,
            OwnerName = ownerNames.GetValueOrDefault(objective.OwnerPersonId ?? objective.OwnerTeamId ?? Guid.Empty),
            Progress = progress,
            Grade = grade,
            Retrospective = objective.Retrospective,
            },
        ];
        foreach (var (k, keyResultProgress) in keyResults)
        {
            rows.Add(new ClosedScore
            {
                OrganisationId = OrganisationId,
                ClosingId = Id,
                CycleId = CycleId,
                ObjectiveId = objective.Id,
                KeyResultId = k.Id,
                Position = position++,
                Title = k.Title,
                OwnerPersonId = k.OwnerPersonId,
                OwnerName = k.OwnerPersonId is { } owner ? ownerNames.GetValueOrDefault(owner) : null,
                Weight = k.Weight,
                Progress = keyResultProgress,
                Grade = k.FinalGrade ?? throw new InvalidOperationException("A key result is graded before it is kept in the snapshot."),
                OverrideReason = k.GradeReason,
                Type = k.Type,
                Unit = k.Unit,
                Start = k.Start,
                Target = k.Target,
                Current = k.CurrentValue,
            });
        }

        return rows;
    }
}

/// <summary>
/// One objective (<see cref="KeyResultId"/> null) or key result as it stood when its cycle closed. Titles and
/// owners are copied, not referenced, so that the snapshot stays what it was whatever happens later.
/// </summary>
public sealed class ClosedScore : IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    public Guid ClosingId { get; set; }
    public Guid CycleId { get; set; }
    public Guid ObjectiveId { get; set; }
    public Guid? KeyResultId { get; set; }

    /// <summary>Order within the snapshot, for stable display.</summary>
    public int Position { get; set; }
    public required string Title { get; set; }
    public Guid? OwnerTeamId { get; set; }
    public Guid? OwnerPersonId { get; set; }
    public string? OwnerName { get; set; }
    public double Weight { get; set; } = 1;

    /// <summary>Progress in [0, 1] at the close.</summary>
    public double Progress { get; set; }

    /// <summary>The grade given: the progress's grade, or an override.</summary>
    public double Grade { get; set; }

    /// <summary>The reason of an overridden grade; null when the grade is the progress's.</summary>
    public string? OverrideReason { get; set; }

    /// <summary>Key results: values at the close.</summary>
    public KeyResultType? Type { get; set; }
    public string? Unit { get; set; }
    public double? Start { get; set; }
    public double? Target { get; set; }
    public double? Current { get; set; }

    /// <summary>Objectives: the retrospective note written at the close.</summary>
    public string? Retrospective { get; set; }
}
