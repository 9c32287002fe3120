using Okapi.Core.Scoring;

namespace Okapi.Core.Okrs;

/// <summary>How a key result's progress is measured: `increaseTo`, `decreaseTo`, `stayAbove`, `stayBelow`, `milestone` or `commitTargetStretch`.</summary>
public enum KeyResultType
{
    IncreaseTo,
    DecreaseTo,
    StayAbove,
    StayBelow,
    Milestone,
    CommitTargetStretch,
}

/// <summary>One item of a milestone key result's checklist.</summary>
/// <param name="Title">The item's title.</param>
/// <param name="Done">Whether it is done.</param>
public sealed record ChecklistItem(string Title, bool Done);

/// <summary>A measurable outcome of an objective. Progress formulas live here, in one place.</summary>
public sealed class KeyResult : Entity
{
    public const int MaxTitleLength = 200;
    /// <summary>What the key result's column and the close's snapshot hold: the close and the importer refuse longer reasons.</summary>
    public const int MaxGradeReasonLength = 1000;
    public const int MaxUnitLength = 40;

    /// <summary>What a milestone without a checklist is checked in at once done (progress 1), and while not done; also its target and start.</summary>
    public const double MilestoneDone = 1, MilestoneNotDone = 0;

    public required string Title { get; set; }
    public Guid ObjectiveId { get; set; }
    public Guid? OwnerPersonId { get; set; }
    public KeyResultType Type { get; set; } = KeyResultType.IncreaseTo;
    public string? Unit { get; set; }
    public double Start { get; set; }
    public double Target { get; set; }

    /// <summary>Commit level of a commit/target/stretch key result (progress 0.3).</summary>
    public double? Commit { get; set; }

    /// <summary>Stretch level of a commit/target/stretch key result (progress 1.0).</summary>
    public double? Stretch { get; set; }

    /// <summary>The latest checked-in value; null until the first check-in (the start value counts).</summary>
    public double? Current { get; set; }
    public double Weight { get; set; } = 1;
    public int UpdateRhythmDays { get; set; } = 7;
    public List<ChecklistItem> Checklist { get; set; } = [];

    /// <summary>The KPI this key result takes its current value from (its latest period value), if linked.</summary>
    public Guid? KpiId { get; set; }

    /// <summary>Grade recorded when the cycle closed; null while the cycle runs.</summary>
    public double? FinalGrade { get; set; }

    /// <summary>Why the final grade differs from the grade of the progress, when it was overridden (also in the audit log).</summary>
    public string? GradeReason { get; set; }

    /// <summary>The key result this one continues from a previous cycle, if it was carried over.</summary>
    public Guid? ContinuedFromId { get; set; }

    /// <summary>Stable key in exported documents, unique within its objective; null until exported or imported.</summary>
    public string? Key { get; set; }

    /// <summary>Where the key result stands among its objective's key results, 0 first; ties fall back to creation order.</summary>
    public int Position { get; set; }

    public double CurrentValue => Current ?? Start;

    /// <summary>The order an objective's key results are shown in: by position, then as they were created.</summary>
    public static IOrderedEnumerable<KeyResult> InOrder(IEnumerable<KeyResult> keyResults) =>
        keyResults.OrderBy(k => k.Position).ThenBy(k => k.CreatedAt).ThenBy(k => k.Id);

    /// <summary>
    /// Moves <paramref name="moving"/> to <paramref name="position"/> among <paramref name="siblings"/> (its objective's key
    /// results, itself included) and numbers them all again from 0, so that gaps left by deletions and ties left by
    /// additions disappear. A position past the end moves it to the end. Returns the key results whose position changed.
    /// </summary>
    public static IReadOnlyList<KeyResult> MoveTo(IEnumerable<KeyResult> siblings, KeyResult moving, int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        var order = InOrder(siblings.Where(k => k.Id != moving.Id)).ToList();
        order.Insert(Math.Min(position, order.Count), moving);
        var changed = new List<KeyResult>();
        for (var i = 0; i < order.Count; i++)
        {
            if (order[i].Position != i)
            {
                order[i].Position = i;
                changed.Add(order[i]);
            }
        }

        return changed;
    }

    /// <summary>
    /// Records a check-in: makes it for this key result and, when no check-in it already has is newer
    /// (<paramref name="newest"/>, the newest of them), takes its value as the current value. A check-in dated
    /// before the newest one fills in the history without moving the current value.
    /// </summary>
    public CheckIn RecordCheckIn(double value, DateTime at, CheckInSource source, CheckIn? newest,
        Confidence? confidence = null, string? note = null, Guid? authorId = null)
    {
        var checkIn = NewCheckIn(value, at, source, confidence, note, authorId);
        RecordCheckIn(checkIn, newest);
        return checkIn;
    }

    /// <summary>
    /// Makes a check-in for this key result without recording it: it can be validated before the key result is locked
    /// or changed, then recorded with <see cref="RecordCheckIn(CheckIn, CheckIn?)"/> once the newest check-in is known.
    /// </summary>
    public CheckIn NewCheckIn(double value, DateTime at, CheckInSource source,
        Confidence? confidence = null, string? note = null, Guid? authorId = null) => new()
        {
            OrganisationId = OrganisationId,
            KeyResultId = Id,
            Value = value,
            At = at,
            Source = source,
            Confidence = confidence,
            Note = note,
            AuthorId = authorId,
        };

    /// <summary>Records a check-in made by <see cref="NewCheckIn"/>, as <see cref="RecordCheckIn(double, DateTime, CheckInSource, CheckIn?, Confidence?, string?, Guid?)"/> does.</summary>
    public void RecordCheckIn(CheckIn checkIn, CheckIn? newest)
    {
        if (checkIn.KeyResultId != Id)
        {
            throw new ArgumentException("The check-in belongs to another key result.", nameof(checkIn));
        }

        ApplyCheckIn(checkIn, newest);
    }

    /// <summary>
    /// Corrects the value of a check-in the key result already has; when it is the newest (no check-in in
    /// <paramref name="newest"/> is later), the current value follows.
    /// </summary>
    public void CorrectCheckIn(CheckIn checkIn, double value, CheckIn? newest)
    {
        checkIn.Value = value;
        ApplyCheckIn(checkIn, newest);
    }

    /// <summary>After a check-in was removed: the newest remaining one gives the current value; with none, the start counts again.</summary>
    public void RemoveCheckIn(CheckIn? newestRemaining) => Current = newestRemaining?.Value;

    private void ApplyCheckIn(CheckIn checkIn, CheckIn? newest)
    {
        if (newest is null || checkIn.At >= newest.At)
        {
            Current = checkIn.Value;
        }
    }

    /// <summary>
    /// Records the grade given at the close. A grade other than <paramref name="proposed"/> (the grade of the progress)
    /// is an override and keeps its reason; a grade equal to it keeps none. An override without a reason, or a grade off
    /// the scale, is refused.
    /// </summary>
    public void Grade(double grade, double proposed, string? reason = null)
    {
        if (!CloseGrades.IsValid(grade))
        {
            throw new ArgumentOutOfRangeException(nameof(grade), grade, "A grade is between 0.0 and 1.0 in steps of 0.1.");
        }

        var rounded = Grades.Grade(grade);
        var isOverride = CloseGrades.IsOverride(proposed, rounded);
        if (isOverride && string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("An overridden grade needs a reason.", nameof(reason));
        }

        FinalGrade = rounded;
        GradeReason = isOverride ? reason!.Trim() : null;
    }

    /// <summary>Progress in [0, 1] of the current value.</summary>
    public double Progress() => ProgressAt(CurrentValue);

    /// <summary>Progress in [0, 1] that <paramref name="value"/> would mean for this key result.</summary>
    public double ProgressAt(double value) => double.IsNaN(value) ? 0 : Type switch
    {
        KeyResultType.IncreaseTo or KeyResultType.DecreaseTo => Math.Clamp(Linear(value, Start, Target), 0, 1),
        KeyResultType.StayAbove => Satisfies(value) ? 1 : 0,
        KeyResultType.StayBelow => Satisfies(value) ? 1 : 0,
        KeyResultType.Milestone => Checklist.Count > 0
            ? (double)Checklist.Count(i => i is { Done: true }) / Checklist.Count
            : value >= MilestoneDone ? 1 : 0,
        KeyResultType.CommitTargetStretch => CommitTargetStretchProgress(value),
        _ => 0,
    };

    /// <summary>Uncapped attainment: how much of the way from start to target was covered (1.2 = 120 %).</summary>
    public double Attainment() => Type switch
    {
        KeyResultType.IncreaseTo or KeyResultType.DecreaseTo or KeyResultType.CommitTargetStretch =>
            Linear(CurrentValue, Start, Target),
        _ => Progress(),
    };

    /// <summary>For stay above/below: whether a value keeps to the right side of the bound.</summary>
    public bool Satisfies(double value) => Type switch
    {
        KeyResultType.StayAbove => value >= Target,
        KeyResultType.StayBelow => value <= Target,
        _ => ProgressAt(value) >= 1,
    };

    // Validation keeps levels storable and apart, but rows stored before those rules may hold levels next to each
    // other or near the limits of a double: such a range means no progress and a ratio is bounded, so that reads
    // never meet NaN or infinity. Halved first, so that far-apart levels (−1e308 → 1e308) do not overflow;
    // halving is exact above the subnormals, so other results are unchanged.
    private static double Linear(double value, double start, double target) =>
        StorableNumber.AreApart(start, target) ? StorableNumber.Bound((value / 2 - start / 2) / (target / 2 - start / 2)) : 0;

    private double CommitTargetStretchProgress(double value)
    {
        var commit = Commit ?? Start;
        var stretch = Stretch ?? Target;
        ReadOnlySpan<(double Value, double Progress)> anchors =
            [(Start, 0), (commit, 0.3), (Target, 0.7), (stretch, 1.0)];
        var increasing = stretch >= Start;
        if ((increasing && value <= Start) || (!increasing && value >= Start))
        {
            return 0;
        }

        for (var i = 1; i < anchors.Length; i++)
        {
            var (v0, p0) = anchors[i - 1];
            var (v1, p1) = anchors[i];
            var reached = increasing ? value <= v1 : value >= v1;
            if (reached)
            {
                return v1 == v0 ? p1 : p0 + (p1 - p0) * Linear(value, v0, v1);
            }
        }

        return 1;
    }

    /// <summary>The rules a key result must satisfy, for the API, the pages and the importer; its owner and KPI need the database.</summary>
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors()
            .Text(Title, "title", MaxTitleLength)
            .Text(Unit, "unit", MaxUnitLength, required: false)
            .Finite(Start, "start").Finite(Target, "target").Finite(Commit, "commit").Finite(Stretch, "stretch")
            .Finite(Current, "current").Finite(Weight, "weight")
            .Require(Weight > 0 && Weight <= 1000, "weight", "must be greater than 0 and at most 1000.")
            .Require(UpdateRhythmDays is >= 1 and <= 92, "updateRhythmDays", "must be between 1 and 92 days.")
            .Require(Checklist.Count <= 100, "checklist", "may hold at most 100 items.")
            .Require(Enum.IsDefined(Type), "type", "is not a known key result type.")
            .Require(FinalGrade is null or (>= 0 and <= 1), "finalGrade", "must be between 0 and 1.")
            .Text(GradeReason, "gradeReason", MaxGradeReasonLength, required: false);
        foreach (var item in Checklist)
        {
            // JSON can carry a null where the type says there is none.
            if (item is null)
            {
                errors.Add("checklist", "must not contain empty items.");
                continue;
            }

            errors.Text(item.Title, "checklist", MaxTitleLength);
        }

        switch (Type)
        {
            case KeyResultType.IncreaseTo:
                errors.Require(Target > Start, "target", "must be greater than start for an 'increase to' key result.")
                    .Apart(Start, Target, "target", "start");
                break;
            case KeyResultType.DecreaseTo:
                errors.Require(Target < Start, "target", "must be less than start for a 'decrease to' key result.")
                    .Apart(Start, Target, "target", "start");
                break;
            case KeyResultType.CommitTargetStretch:
                if (Commit is not { } commit || Stretch is not { } stretch)
                {
                    errors.Add("commit", "commit and stretch are required for a commit/target/stretch key result.");
                    break;
                }

                var increasing = Start < commit && commit < Target && Target < stretch;
                var decreasing = Start > commit && commit > Target && Target > stretch;
                errors.Require(increasing || decreasing, "target",
                    "start, commit, target and stretch must be strictly increasing or strictly decreasing.")
                    .Apart(Start, commit, "commit", "start").Apart(commit, Target, "target", "commit").Apart(Target, stretch, "stretch", "target");
                break;
        }

        return errors;
    }
}
