using CsCheck;
using Okapi.Core.Scoring;
using static Okapi.Core.Tests.Okrs.KeyResults;
using static Okapi.Core.Tests.Scoring.Windows;

namespace Okapi.Core.Tests.Scoring;

public class ScoringPropertyTests
{
    [Fact]
    public void RollupOfEqualProgressesIsThatProgressWhateverTheWeights()
    {
        Gen.Select(Gen.Double[0, 1], Gen.Double[0.001, 1000].Array[1, 20]).Sample((progress, weights) =>
        {
            var own = new Dictionary<Guid, Score?>();
            var parent = Guid.NewGuid();
            var edges = new List<AlignmentEdge>();
            foreach (var weight in weights)
            {
                var child = Guid.NewGuid();
                own[child] = new Score(progress, progress);
                edges.Add(new AlignmentEdge(child, parent, weight));
            }

            var score = new AlignmentGraph(own, edges).ScoreOf(parent);

            Assert.Equal(progress, score.Progress, 1e-12);
            Assert.Equal(progress, score.Forecast, 1e-12);
        });
    }

    [Fact]
    public void ALoopCheckOnAGraphBuiltOnceAnswersAsTheCheckWithoutTheLinkItself()
    {
        Gen.Select(Gen.Int[0, 7], Gen.Int[0, 7]).Array[1, 30].Sample(pairs =>
        {
            var nodes = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToArray();
            var edges = pairs.Select(p => new AlignmentEdge(nodes[p.Item1], nodes[p.Item2])).ToList();
            var graph = AlignmentGraph.ParentsOf(edges);
            for (var i = 0; i < edges.Count; i++)
            {
                var others = edges.Where((_, j) => j != i);
                Assert.Equal(AlignmentGraph.WouldCreateLoop(others, edges[i].Child, edges[i].Parent),
                    AlignmentGraph.WouldCreateLoop(graph, edges[i].Child, edges[i].Parent));
            }
        });
    }

    [Fact]
    public void EdgesAcceptedByTheLoopCheckNeverFormACycle()
    {
        var attempts = Gen.Select(Gen.Int[0, 9], Gen.Int[0, 9]).Array[0, 60];
        attempts.Sample(pairs =>
        {
            var nodes = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToArray();
            var edges = new List<AlignmentEdge>();
            foreach (var (child, parent) in pairs)
            {
                if (!AlignmentGraph.WouldCreateLoop(edges, nodes[child], nodes[parent]))
                {
                    edges.Add(new AlignmentEdge(nodes[child], nodes[parent]));
                }
            }

            Assert.True(IsAcyclic(nodes, edges));
        });
    }

    [Fact]
    public void InARandomDagEveryForwardEdgeIsAllowedAndEveryBackEdgeIsRefused()
    {
        // Nodes are numbered in topological order: an edge child → parent always has child < parent.
        var dags = Gen.Int[2, 9].SelectMany(n => Gen.Bool.Array[n * n].Select(bits => (n, bits)));
        dags.Sample((n, bits) =>
        {
            var nodes = Enumerable.Range(0, n).Select(_ => Guid.NewGuid()).ToArray();
            var edges = new List<AlignmentEdge>();
            for (var child = 0; child < n; child++)
            {
                for (var parent = child + 1; parent < n; parent++)
                {
                    if (bits[child * n + parent])
                    {
                        edges.Add(new AlignmentEdge(nodes[child], nodes[parent]));
                    }
                }
            }

            for (var low = 0; low < n; low++)
            {
                for (var high = low + 1; high < n; high++)
                {
                    Assert.False(AlignmentGraph.WouldCreateLoop(edges, nodes[low], nodes[high]));
                    Assert.Equal(Reaches(nodes, edges, nodes[low], nodes[high]),
                        AlignmentGraph.WouldCreateLoop(edges, nodes[high], nodes[low]));
                }
            }
        });
    }

    [Fact]
    public void ForecastBandHoldsTheValueAndAllStayWithinZeroAndOne()
    {
        var checkIns = Gen.Select(Gen.Double[0, 90], Gen.Double[-1e6, 1e6]).Array[0, 12];
        Gen.Select(Gen.Int[0, 2], checkIns, Gen.Double[-10, 100], Gen.Double[-1e6, 1e6]).Sample((kind, history, today, current) =>
        {
            var keyResult = kind switch
            {
                0 => Increase(0, 100, current),
                1 => Decrease(100, 0, current),
                _ => CommitTargetStretch(0, 50, 80, 100, current),
            };
            var observations = history.Select(h => new Observation(Day(h.Item1), h.Item2)).ToArray();

            var forecast = Forecasting.Project(keyResult, observations, Quarter, Day(today));

            Assert.InRange(forecast.Low, 0, 1);
            Assert.InRange(forecast.High, 0, 1);
            Assert.InRange(forecast.Value, forecast.Low, forecast.High);
        });
    }

    private static bool Reaches(Guid[] nodes, List<AlignmentEdge> edges, Guid from, Guid to)
    {
        var seen = new HashSet<Guid> { from };
        var frontier = new Queue<Guid>([from]);
        while (frontier.TryDequeue(out var node))
        {
            if (node == to)
            {
                return true;
            }

            foreach (var edge in edges.Where(e => e.Child == node && seen.Add(e.Parent)))
            {
                frontier.Enqueue(edge.Parent);
            }
        }

        return false;
    }

    /// <summary>Kahn's algorithm: a graph is acyclic when every node can be peeled off in dependency order.</summary>
    private static bool IsAcyclic(Guid[] nodes, List<AlignmentEdge> edges)
    {
        var incoming = nodes.ToDictionary(n => n, n => edges.Count(e => e.Parent == n));
        var ready = new Queue<Guid>(nodes.Where(n => incoming[n] == 0));
        var peeled = 0;
        while (ready.TryDequeue(out var node))
        {
            peeled++;
            foreach (var edge in edges.Where(e => e.Child == node))
            {
                if (--incoming[edge.Parent] == 0)
                {
                    ready.Enqueue(edge.Parent);
                }
            }
        }

        return peeled == nodes.Length;
    }
}
