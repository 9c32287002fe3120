using Okapi.Core.Okrs;
using Okapi.Core.Scoring;

namespace Okapi.Core.Tests.Closing;

public class CloseGradesTests
{
    [Theory]
    [InlineData(0.0, true)]
    [InlineData(0.7, true)]
    [InlineData(1.0, true)]
    [InlineData(0.3 * 3, true)] // 0.8999999999999999 is still the grade 0.9
    [InlineData(0.65, false)]
    [InlineData(-0.1, false)]
    [InlineData(1.1, false)]
    [InlineData(double.NaN, false)]
    public void GradesAreTenthsFromZeroToOne(double grade, bool valid) => Assert.Equal(valid, CloseGrades.IsValid(grade));

    [Fact]
    public void AnObjectiveIsGradedByTheWeightedMeanOfItsKeyResultsGrades()
    {
        // (1.0 × 3 + 0.2 × 1) / 4 = 0.8
        Assert.Equal(0.8, CloseGrades.ObjectiveGrade([(1.0, 3), (0.2, 1)], rolledUpProgress: 0));
    }

    [Fact]
    public void AHalfTenthMeanRoundsUpLikeAnyOtherGrade() =>
        Assert.Equal(0.5, CloseGrades.ObjectiveGrade([(0.7, 1), (0.2, 1)], rolledUpProgress: 0));

    [Fact]
    public void AnObjectiveWithoutKeyResultsTakesTheGradeOfItsRolledUpProgress() =>
        Assert.Equal(0.7, CloseGrades.ObjectiveGrade([], rolledUpProgress: 0.66));

    [Fact]
    public void OnlyADifferentGradeIsAnOverride()
    {
        Assert.False(CloseGrades.IsOverride(0.7, 0.7));
        Assert.False(CloseGrades.IsOverride(0.9, 0.3 * 3));
        Assert.True(CloseGrades.IsOverride(0.7, 0.8));
    }
}

public class CarryOverTests
{
    private static KeyResult Sales(double current) =>
        new() { Title = "Grow sales", Type = KeyResultType.IncreaseTo, Start = 10, Target = 50, Current = current, Weight = 2, Unit = "k€" };

    [Fact]
    public void ACarriedOverKeyResultStartsAtItsCurrentValueWithTheSameTargetAndIsLinked()
    {
        var original = Sales(30);
        var objectiveId = Guid.NewGuid();
        var copy = CarryOver.Continue(original, objectiveId);
        Assert.Equal((30.0, 50.0, 2.0, "k€"), (copy.Start, copy.Target, copy.Weight, copy.Unit));
        Assert.Null(copy.Current);
        Assert.Equal(original.Id, copy.ContinuedFromId);
        Assert.Equal(objectiveId, copy.ObjectiveId);
        Assert.True(copy.Validate().IsValid);
    }

    [Fact]
    public void ACommitTargetStretchKeyResultPastItsCommitKeepsItsStartAndCarriesItsValue()
    {
        var original = new KeyResult { Title = "Ship", Type = KeyResultType.CommitTargetStretch, Start = 0, Commit = 10, Target = 20, Stretch = 30, Current = 15 };
        var copy = CarryOver.Continue(original, Guid.NewGuid());
        Assert.Equal((0.0, 15.0), (copy.Start, copy.Current));
        Assert.True(copy.Validate().IsValid);
    }

    [Fact]
    public void AClonedKeyResultStartsAfreshWithoutALink()
    {
        var original = new KeyResult { Title = "Launch", Type = KeyResultType.Milestone, Checklist = [new("Beta", true), new("GA", false)] };
        var copy = CarryOver.Clone(original, Guid.NewGuid());
        Assert.Null(copy.ContinuedFromId);
        Assert.All(copy.Checklist, i => Assert.False(i.Done));
        Assert.Equal(0, copy.Progress());
    }

    [Fact]
    public void CarriedOverAndClonedObjectivesAreDraftsAndOnlyTheCarriedOverOneIsLinked()
    {
        var original = new Objective { Title = "Delight customers", CycleId = Guid.NewGuid(), OwnerTeamId = Guid.NewGuid(), State = ObjectiveState.Closed, FinalGrade = 0.4, Tags = ["cx"] };
        var next = Guid.NewGuid();
        var continued = CarryOver.Continue(original, next);
        var cloned = CarryOver.Clone(original, next);
        Assert.Equal((next, ObjectiveState.Draft, original.Id), (continued.CycleId, continued.State, continued.ContinuedFromId));
        Assert.Null(continued.FinalGrade);
        Assert.Equal(["cx"], continued.Tags);
        Assert.Null(cloned.ContinuedFromId);
        Assert.Equal(ObjectiveState.Draft, cloned.State);
    }
}
