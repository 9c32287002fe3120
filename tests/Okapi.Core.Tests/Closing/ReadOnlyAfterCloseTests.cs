using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Core.Tests.Closing;

public class ReadOnlyAfterCloseTests
{
    private static readonly Cycle Quarter = new() { Name = "2027 Q1", Start = new(2027, 1, 1), End = new(2027, 3, 31), State = CycleState.Active };

    private static Objective In(Cycle cycle, ObjectiveState state = ObjectiveState.Active) =>
        new() { Title = "Delight our customers", CycleId = cycle.Id, OwnerTeamId = Guid.NewGuid(), State = state };

    [Fact]
    public void AnObjectiveOfARunningCycleMayChange() => Assert.Null(In(Quarter).WhyReadOnly(Quarter));

    [Fact]
    public void EveryObjectiveOfAClosedCycleIsReadOnlyAndTheReasonNamesTheCycle()
    {
        var closed = new Cycle { Name = "2027 Q1", State = CycleState.Closed };
        Assert.Equal("The cycle 2027 Q1 is closed; its objectives are read-only.", In(closed).WhyReadOnly(closed));
        Assert.NotNull(In(closed, ObjectiveState.Draft).WhyReadOnly(closed));
    }

    [Fact]
    public void AnObjectiveClosedByItsTeamsCloseIsReadOnlyWhileTheCycleRunsForOthers()
    {
        var objective = In(Quarter);
        objective.Close([], rolledUpProgress: 0.5, retrospective: null);
        Assert.Equal("The objective was closed with the cycle 2027 Q1; it is read-only.", objective.WhyReadOnly(Quarter));
    }

    [Fact]
    public void TheObjectivesOwnCycleDecides() =>
        Assert.Throws<ArgumentException>(() => In(Quarter).WhyReadOnly(new Cycle { Name = "Other" }));

    [Fact]
    public void NoObjectiveJoinsAClosedCycleNorACycleClosedForItsTeam()
    {
        Assert.Null(Quarter.WhyClosedForObjectives(closedForTeam: false));
        Assert.Equal("The cycle 2027 Q1 is closed for this team; its objectives are read-only.", Quarter.WhyClosedForObjectives(closedForTeam: true));
        Assert.Equal("The cycle 2027 Q1 is closed; its objectives are read-only.",
            new Cycle { Name = "2027 Q1", State = CycleState.Closed }.WhyClosedForObjectives(closedForTeam: false));
    }
}
