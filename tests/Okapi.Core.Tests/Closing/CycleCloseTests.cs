using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Core.Tests.Closing;

public class CycleCloseTests
{
    private static readonly DateTime Now = new(2027, 4, 1, 9, 0, 0, DateTimeKind.Utc);

    private static Cycle NewCycle(CycleState state = CycleState.Active) =>
        new() { Name = "2027 Q1", Start = new(2027, 1, 1), End = new(2027, 3, 31), State = state, OrganisationId = Guid.NewGuid() };

    private static Objective NewObjective() => new() { Title = "Delight customers", OwnerTeamId = Guid.NewGuid(), OrganisationId = Guid.NewGuid() };

    private static KeyResult NewKeyResult(Objective objective, double weight = 1) =>
        new() { Title = "Raise NPS", ObjectiveId = objective.Id, Start = 0, Target = 100, Current = 40, Weight = weight, Unit = "points" };

    [Fact]
    public void AGradeEqualToTheProposedOneKeepsNoReason()
    {
        var kr = NewKeyResult(NewObjective());

        kr.Grade(0.4, proposed: 0.4, "no need");

        Assert.Equal((0.4, (string?)null), (kr.FinalGrade, kr.GradeReason));
    }

    [Fact]
    public void AnOverriddenGradeKeepsItsReasonTrimmed()
    {
        var kr = NewKeyResult(NewObjective());

        kr.Grade(0.3 * 3, proposed: 0.4, "  The outage was not ours. ");

        Assert.Equal((0.9, "The outage was not ours."), (kr.FinalGrade, kr.GradeReason));
    }

    [Fact]
    public void AnOverrideWithoutAReasonIsRefused()
    {
        var kr = NewKeyResult(NewObjective());

        Assert.Throws<ArgumentException>(() => kr.Grade(0.9, proposed: 0.4, " "));
        Assert.Null(kr.FinalGrade);
    }

    [Theory]
    [InlineData(0.65)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void AGradeOffTheScaleIsRefused(double grade) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NewKeyResult(NewObjective()).Grade(grade, proposed: 0.4, "reason"));

    [Fact]
    public void ClosingAnObjectiveGradesItFromItsKeyResultsAndKeepsTheRetrospective()
    {
        var objective = NewObjective();
        var strong = NewKeyResult(objective, weight: 3);
        var weak = NewKeyResult(objective);
        strong.Grade(1.0, proposed: 1.0);
        weak.Grade(0.2, proposed: 0.2);

        var grade = objective.Close([strong, weak], rolledUpProgress: 0, "We learned to ship smaller.");

        Assert.Equal((0.8, (double?)0.8, ObjectiveState.Closed, "We learned to ship smaller."),
            (grade, objective.FinalGrade, objective.State, objective.Retrospective));
    }

    [Fact]
    public void AnObjectiveWithoutKeyResultsIsGradedFromItsRolledUpProgress()
    {
        var objective = NewObjective();

        Assert.Equal(0.7, objective.Close([], rolledUpProgress: 0.65, null));
    }

    [Fact]
    public void AnObjectiveIsNotClosedBeforeItsKeyResultsAreGraded()
    {
        var objective = NewObjective();

        Assert.Throws<InvalidOperationException>(() => objective.Close([NewKeyResult(objective)], rolledUpProgress: 0.4, null));
        Assert.Equal(ObjectiveState.Active, objective.State);
    }

    [Fact]
    public void TheCompanyCloseClosesTheCycleAndRecordsWhoClosedIt()
    {
        var cycle = NewCycle();
        var admin = Guid.NewGuid();

        var closing = cycle.Close(null, closedBefore: false, Now, admin, "Ada");

        Assert.Equal(CycleState.Closed, cycle.State);
        Assert.Equal((cycle.OrganisationId, cycle.Id, (Guid?)null, Now, (Guid?)admin, "Ada"),
            (closing.OrganisationId, closing.CycleId, closing.TeamId, closing.ClosedAt, closing.ClosedById, closing.ClosedByName));
    }

    [Fact]
    public void ATeamCloseLeavesTheCycleRunning()
    {
        var cycle = NewCycle();
        var team = Guid.NewGuid();

        var closing = cycle.Close(team, closedBefore: false, Now, null, null);

        Assert.Equal((CycleState.Active, (Guid?)team), (cycle.State, closing.TeamId));
    }

    [Fact]
    public void AClosedCycleIsNotClosedAgainForTheCompanyNorForATeam()
    {
        var cycle = NewCycle(CycleState.Closed);

        Assert.Equal("The cycle is already closed.", cycle.WhyNotClose(null, closedBefore: false));
        Assert.Equal("The cycle is already closed for this team.", cycle.WhyNotClose(Guid.NewGuid(), closedBefore: false));
        Assert.Throws<InvalidOperationException>(() => cycle.Close(null, closedBefore: false, Now, null, null));
    }

    [Fact]
    public void AScopeClosesOnlyOnce()
    {
        var cycle = NewCycle();

        Assert.Equal("The cycle is already closed for this team.", cycle.WhyNotClose(Guid.NewGuid(), closedBefore: true));
        Assert.Throws<InvalidOperationException>(() => cycle.Close(null, closedBefore: true, Now, null, null));
        Assert.Equal(CycleState.Active, cycle.State);
        Assert.Null(NewCycle().WhyNotClose(null, closedBefore: false));
    }

    [Fact]
    public void TheSnapshotKeepsTheObjectiveThenItsKeyResultsAsTheyStoodNumberedInOrder()
    {
        var closing = NewCycle().Close(null, closedBefore: false, Now, null, null);
        var objective = NewObjective();
        var owner = Guid.NewGuid();
        var kr = NewKeyResult(objective);
        kr.OwnerPersonId = owner;
        kr.Grade(0.6, proposed: 0.4, "Better than the numbers say.");
        objective.Close([kr], rolledUpProgress: 0.4, "Retro");
        var names = new Dictionary<Guid, string> { [objective.OwnerTeamId!.Value] = "Support", [owner] = "Grace" };

        var rows = closing.Snapshot(objective, 0.4, [(kr, 0.4)], names, position: 5);

        Assert.Collection(rows,
            o => Assert.Equal((closing.Id, closing.CycleId, objective.Id, (Guid?)null, 5, "Delight customers", "Support", 0.4, 0.6, "Retro"),
                (o.ClosingId, o.CycleId, o.ObjectiveId, o.KeyResultId, o.Position, o.Title, o.OwnerName, o.Progress, o.Grade, o.Retrospective)),
            k => Assert.Equal(((Guid?)kr.Id, 6, "Grace", 0.6, "Better than the numbers say.", (double?)40, (double?)100, "points"),
                (k.KeyResultId, k.Position, k.OwnerName, k.Grade, k.OverrideReason, k.Current, k.Target, k.Unit)));
    }

    [Fact]
    public void AnObjectiveOwnedByAPersonIsNamedAfterThePerson()
    {
        var closing = NewCycle().Close(Guid.NewGuid(), closedBefore: false, Now, null, null);
        var objective = NewObjective();
        objective.OwnerPersonId = Guid.NewGuid();
        objective.Close([], rolledUpProgress: 1, null);

        var row = Assert.Single(closing.Snapshot(objective, 1, [], new Dictionary<Guid, string> { [objective.OwnerPersonId.Value] = "Grace", [objective.OwnerTeamId!.Value] = "Support" }, 0));

        Assert.Equal("Grace", row.OwnerName);
    }

    [Fact]
    public void AnObjectiveThatIsNotClosedIsNotSnapshotted()
    {
        var closing = NewCycle().Close(null, closedBefore: false, Now, null, null);

        Assert.Throws<InvalidOperationException>(() => closing.Snapshot(NewObjective(), 0.5, [], new Dictionary<Guid, string>(), 0));
    }
}
