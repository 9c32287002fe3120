using Okapi.Core.Okrs;
using Okapi.Core.Scoring;
using static Okapi.Core.Tests.Okrs.KeyResults;

namespace Okapi.Core.Tests.Scoring;

public class AlignmentTests
{
    private const int Precision = 12;

    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid(), D = Guid.NewGuid();
    private static readonly Guid Parent = Guid.NewGuid(), OtherParent = Guid.NewGuid(), Grandparent = Guid.NewGuid();

    private static AlignmentGraph Graph(Dictionary<Guid, Score?> own, params AlignmentEdge[] edges) => new(own, edges);

    [Fact]
    public void ObjectiveProgressIsTheWeightedMeanOfItsKeyResultsAcrossTypes()
    {
        // (0.5·1 + 1·2 + 0·1) / 4
        var half = Increase(0, 10, current: 5);
        var done = Milestone(1);
        done.Weight = 2;
        var untouched = Decrease(10, 4, current: 10);
        KeyResult[] keyResults = [half, done, untouched];

        var progress = AlignmentGraph.WeightedMean(keyResults.Select(k => (k.Progress(), k.Weight)));

        Assert.Equal(0.625, progress, Precision);
    }

    [Fact]
    public void WeightedMeanOfNothingIsZero()
    {
        Assert.Equal(0.0, AlignmentGraph.WeightedMean([]));
    }

    [Fact]
    public void ObjectiveWithoutKeyResultsTakesTheWeightedMeanOfItsChildren()
    {
        var graph = Graph(
            new() { [A] = new Score(0.2, 0.3), [B] = new Score(0.8, 0.9), [Parent] = null },
            new AlignmentEdge(A, Parent, Weight: 1), new AlignmentEdge(B, Parent, Weight: 3));

        var score = graph.ScoreOf(Parent);

        Assert.Equal(0.65, score.Progress, Precision);
        Assert.Equal(0.75, score.Forecast, Precision);
    }

    [Fact]
    public void ObjectiveWithKeyResultsIgnoresItsChildren()
    {
        var graph = Graph(
            new() { [A] = new Score(1, 1), [Parent] = new Score(0.1, 0.2) },
            new AlignmentEdge(A, Parent));

        Assert.Equal(new Score(0.1, 0.2), graph.ScoreOf(Parent));
    }

    [Fact]
    public void ChildWhoseLinkDoesNotRollUpIsIgnored()
    {
        var graph = Graph(
            new() { [A] = new Score(0.2, 0.3), [B] = new Score(0.8, 0.9), [C] = new Score(0, 0) },
            new AlignmentEdge(A, Parent, Weight: 1), new AlignmentEdge(B, Parent, Weight: 3),
            new AlignmentEdge(C, Parent, Weight: 10, RollsUp: false));

        Assert.Equal(0.65, graph.ScoreOf(Parent).Progress, Precision);
    }

    [Fact]
    public void ChildWithTwoParentsCountsInBoth()
    {
        var graph = Graph(
            new() { [A] = new Score(0.6, 0.6), [B] = new Score(0.2, 0.2) },
            new AlignmentEdge(A, Parent), new AlignmentEdge(B, Parent), new AlignmentEdge(A, OtherParent));

        Assert.Equal(0.4, graph.ScoreOf(Parent).Progress, Precision);
        Assert.Equal(0.6, graph.ScoreOf(OtherParent).Progress, Precision);
    }

    [Fact]
    public void RollupPassesThroughObjectivesWithoutKeyResults()
    {
        // Grandparent ← Parent (no KRs) ← A, B; Grandparent ← C.
        var graph = Graph(
            new() { [A] = new Score(0.2, 0.2), [B] = new Score(0.6, 0.6), [C] = new Score(1, 1) },
            new AlignmentEdge(A, Parent), new AlignmentEdge(B, Parent),
            new AlignmentEdge(Parent, Grandparent, Weight: 3), new AlignmentEdge(C, Grandparent, Weight: 1));

        // (0.4·3 + 1·1) / 4
        Assert.Equal(0.55, graph.ScoreOf(Grandparent).Progress, Precision);
    }

    [Fact]
    public void DiamondCountsTheSharedChildThroughBothPaths()
    {
        // A reaches D through B and through C: D averages two copies of A.
        var graph = Graph(
            new() { [A] = new Score(0.8, 0.8) },
            new AlignmentEdge(A, B), new AlignmentEdge(A, C), new AlignmentEdge(B, D), new AlignmentEdge(C, D));

        Assert.Equal(0.8, graph.ScoreOf(D).Progress, Precision);
    }

    [Fact]
    public void StoredLoopScoresWithoutHanging()
    {
        var graph = Graph(new() { [C] = new Score(0.5, 0.5) },
            new AlignmentEdge(A, B), new AlignmentEdge(B, A), new AlignmentEdge(C, A));

        var score = graph.ScoreOf(A);

        Assert.InRange(score.Progress, 0, 1);
    }

    [Fact]
    public void SelfLinkIsRefused()
    {
        Assert.True(AlignmentGraph.WouldCreateLoop([], A, A));
    }

    [Fact]
    public void TwoCycleIsRefused()
    {
        Assert.True(AlignmentGraph.WouldCreateLoop([new(A, B)], B, A));
    }

    [Fact]
    public void ThreeCycleIsRefused()
    {
        Assert.True(AlignmentGraph.WouldCreateLoop([new(A, B), new(B, C)], C, A));
    }

    [Fact]
    public void LoopThroughALinkThatDoesNotRollUpIsStillRefused()
    {
        Assert.True(AlignmentGraph.WouldCreateLoop([new(A, B, RollsUp: false)], B, A));
    }

    [Fact]
    public void DiamondIsNotALoop()
    {
        List<AlignmentEdge> edges = [];
        foreach (var (child, parent) in new[] { (A, B), (A, C), (B, D), (C, D) })
        {
            Assert.False(AlignmentGraph.WouldCreateLoop(edges, child, parent));
            edges.Add(new AlignmentEdge(child, parent));
        }

        Assert.False(AlignmentGraph.WouldCreateLoop(edges, A, D));
        Assert.True(AlignmentGraph.WouldCreateLoop(edges, D, A));
    }
}
