using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;

namespace Okapi.Core.Tests.Archiving;

public class ArchivingTests
{
    private static readonly DateTime Now = new(2027, 2, 10, 9, 30, 0, DateTimeKind.Utc);

    private static Cycle Quarter(CycleState state = CycleState.Active) =>
        new() { Name = "2027 Q1", Start = new(2027, 1, 1), End = new(2027, 3, 31), State = state };

    private static Objective In(Cycle cycle) =>
        new() { Title = "Delight our customers", CycleId = cycle.Id, OwnerTeamId = Guid.NewGuid() };

    private static Kpi Leads() => new() { Name = "Weekly leads", Key = "weekly-leads", OwnerTeamId = Guid.NewGuid() };

    [Fact]
    public void AnArchivedObjectiveIsReadOnlyUntilItIsRestored()
    {
        var cycle = Quarter();
        var objective = In(cycle);

        objective.Archive(cycle, Now);

        Assert.True(objective.IsArchived);
        Assert.Equal(Now, objective.ArchivedAt);
        Assert.Equal("The objective is archived; restore it first to change it.", objective.WhyReadOnly(cycle));

        objective.Restore(cycle);

        Assert.False(objective.IsArchived);
        Assert.Null(objective.ArchivedAt);
        Assert.Null(objective.WhyReadOnly(cycle));
    }

    [Fact]
    public void ArchivingAnArchivedObjectiveOrRestoringAnActiveOneIsRefused()
    {
        var cycle = Quarter();
        var objective = In(cycle);

        Assert.Equal("The objective is not archived.", objective.WhyNotRestore(cycle));
        Assert.Equal("The objective is not archived.", Assert.Throws<InvalidOperationException>(() => objective.Restore(cycle)).Message);

        objective.Archive(cycle, Now);

        Assert.Equal("The objective is already archived.", objective.WhyNotArchive(cycle));
        Assert.Equal("The objective is already archived.", Assert.Throws<InvalidOperationException>(() => objective.Archive(cycle, Now.AddDays(1))).Message);
        Assert.Equal(Now, objective.ArchivedAt);
    }

    [Fact]
    public void AnObjectiveOfAClosedCycleIsNeitherArchivedNorRestoredForTheCycleIsReadOnly()
    {
        var closed = Quarter(CycleState.Closed);
        var active = In(closed);
        var archived = In(closed);
        archived.ArchivedAt = Now;

        Assert.Equal("The cycle 2027 Q1 is closed; its objectives are read-only.", active.WhyNotArchive(closed));
        Assert.Equal("The cycle 2027 Q1 is closed; its objectives are read-only.", archived.WhyNotRestore(closed));
        Assert.Throws<InvalidOperationException>(() => active.Archive(closed, Now));
        Assert.Throws<InvalidOperationException>(() => archived.Restore(closed));
        Assert.Null(active.ArchivedAt);
        Assert.Equal(Now, archived.ArchivedAt);
    }

    [Fact]
    public void AnObjectiveClosedByItsTeamsCloseIsNeitherArchivedNorRestored()
    {
        var cycle = Quarter();
        var objective = In(cycle);
        objective.Close([], rolledUpProgress: 0.5, retrospective: null);

        Assert.Equal("The objective was closed with the cycle 2027 Q1; it is read-only.", objective.WhyNotArchive(cycle));
    }

    [Fact]
    public void AnArchivedKpiIsReadOnlyUntilItIsRestored()
    {
        var kpi = Leads();
        Assert.Null(kpi.WhyReadOnly);

        kpi.Archive(Now);

        Assert.True(kpi.IsArchived);
        Assert.Equal("The KPI is archived; restore it first to change it.", kpi.WhyReadOnly);

        kpi.Restore();

        Assert.False(kpi.IsArchived);
        Assert.Null(kpi.WhyReadOnly);
    }

    [Fact]
    public void ArchivingAnArchivedKpiOrRestoringAnActiveOneIsRefused()
    {
        var kpi = Leads();
        Assert.Equal("The KPI is not archived.", Assert.Throws<InvalidOperationException>(kpi.Restore).Message);

        kpi.Archive(Now);

        Assert.Equal("The KPI is already archived.", Assert.Throws<InvalidOperationException>(() => kpi.Archive(Now.AddDays(1))).Message);
        Assert.Equal(Now, kpi.ArchivedAt);
    }

    [Fact]
    public void AnArchivedChildCountsInNoParentsRollupButKeepsItsOwnScore()
    {
        var (parent, done, archived) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var own = new Dictionary<Guid, Score?> { [parent] = null, [done] = new Score(1, 1), [archived] = new Score(0, 0) };
        AlignmentEdge[] edges = [new(done, parent), new(archived, parent)];

        Assert.Equal(0.5, new AlignmentGraph(own, edges).ScoreOf(parent).Progress, 1e-12);

        var graph = new AlignmentGraph(own, edges, [archived]);
        Assert.Equal(1, graph.ScoreOf(parent).Progress, 1e-12);
        Assert.Equal(0, graph.ScoreOf(archived).Progress, 1e-12);
    }

    [Fact]
    public void ARuleOfAnArchivedKpiFiresNothingAndResolvesItsOpenAlert()
    {
        var kpi = new Kpi { Name = "Conversion", Key = "conversion", Cadence = Cadence.Daily, OwnerTeamId = Guid.NewGuid(), CriticalLower = 1 };
        var rule = new AlertRule { Name = "Conversion low", Kind = AlertRuleKind.Threshold, ThresholdLevel = KpiHealth.Critical, CreatedAt = Now.AddDays(-30) };
        var now = new DateTimeOffset(Now);
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc, DayOfWeek.Monday);
        var periods = kpi.Periods([new KpiReading(now.AddDays(-1), 0.5)], calendar);
        var open = rule.Evaluate(kpi, periods, periods[^1].StartUtc, null, now).ApplyTo(rule, null, now)!;

        kpi.Archive(Now);

        Assert.Equal(AlertTransition.None, rule.Evaluate(kpi, periods, periods[^1].StartUtc, null, now).Transition);
        Assert.Equal(AlertTransition.Resolve, rule.Evaluate(kpi, periods, periods[^1].StartUtc, open, now).Transition);
    }
}
