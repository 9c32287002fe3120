namespace Okapi.Core.Scoring;

/// <summary>Progress and forecast of one node, before or after rollup.</summary>
public readonly record struct Score(double Progress, double Forecast);

/// <summary>A contribution edge: <see cref="Child"/> contributes to <see cref="Parent"/>.</summary>
public readonly record struct AlignmentEdge(Guid Child, Guid Parent, double Weight = 1, bool RollsUp = true);

/// <summary>
/// The alignment graph of objectives. An objective with key results scores as the weighted mean of them;
/// one without key results takes the weighted mean of the children that roll up into it.
/// </summary>
public sealed class AlignmentGraph
{
    private readonly Dictionary<Guid, Score?> _own;
    private readonly ILookup<Guid, AlignmentEdge> _childrenOf;
    private readonly Dictionary<Guid, Score> _memo = [];

    /// <param name="ownScores">Each objective's score from its own key results, or null if it has none.</param>
    /// <param name="edges">Edges between objectives (links to a key result count as links to its objective).</param>
    /// <param name="archived">
    /// Archived objectives: they keep their own score but count in no parent's rollup, as if unlinked, until restored.
    /// </param>
    public AlignmentGraph(IReadOnlyDictionary<Guid, Score?> ownScores, IEnumerable<AlignmentEdge> edges, IEnumerable<Guid>? archived = null)
    {
        _own = new Dictionary<Guid, Score?>(ownScores);
        var resting = archived?.ToHashSet() ?? [];
        _childrenOf = edges.Where(e => e.RollsUp && !resting.Contains(e.Child)).ToLookup(e => e.Parent);
    }

    public Score ScoreOf(Guid objective) => ScoreOf(objective, []);

    private Score ScoreOf(Guid objective, HashSet<Guid> path)
    {
        if (_memo.TryGetValue(objective, out var known))
        {
            return known;
        }

        if (_own.TryGetValue(objective, out var own) && own is { } ownScore)
        {
            return _memo[objective] = ownScore;
        }

        if (!path.Add(objective))
        {
            return new Score(0, 0); // a loop stored before it could be refused: count it as nothing
        }

        var children = _childrenOf[objective].Select(e => (Score: ScoreOf(e.Child, path), e.Weight)).ToList();
        path.Remove(objective);
        var score = new Score(
            WeightedMean(children.Select(c => (c.Score.Progress, c.Weight))),
            WeightedMean(children.Select(c => (c.Score.Forecast, c.Weight))));
        return _memo[objective] = score;
    }

    /// <summary>Weighted mean; 0 when there is nothing (or no weight) to average.</summary>
    public static double WeightedMean(IEnumerable<(double Value, double Weight)> items)
    {
        double sum = 0, weights = 0;
        foreach (var (value, weight) in items)
        {
            sum += value * weight;
            weights += weight;
        }

        return weights > 0 ? sum / weights : 0;
    }

    /// <summary>
    /// Whether adding <paramref name="child"/> → <paramref name="parent"/> would close a loop, i.e. the parent
    /// already contributes (directly or transitively) to the child, or is the child itself.
    /// </summary>
    public static bool WouldCreateLoop(IEnumerable<AlignmentEdge> existing, Guid child, Guid parent) =>
        WouldCreateLoop(ParentsOf(existing), child, parent);

    /// <summary>The graph as <see cref="WouldCreateLoop(ILookup{Guid, Guid}, Guid, Guid)"/> walks it: each child's parents.</summary>
    public static ILookup<Guid, Guid> ParentsOf(IEnumerable<AlignmentEdge> edges) => edges.ToLookup(e => e.Child, e => e.Parent);

    /// <summary>
    /// <see cref="WouldCreateLoop(IEnumerable{AlignmentEdge}, Guid, Guid)"/> on a graph built once, for checking many
    /// links of one graph. The graph may already hold the link itself: the walk starts at the parent and stops on
    /// reaching the child, so an edge out of the child never changes the answer.
    /// </summary>
    public static bool WouldCreateLoop(ILookup<Guid, Guid> parentsOf, Guid child, Guid parent)
    {
        if (child == parent)
        {
            return true;
        }

        var seen = new HashSet<Guid> { parent };
        var frontier = new Stack<Guid>([parent]);
        while (frontier.TryPop(out var node))
        {
            foreach (var next in parentsOf[node])
            {
                if (next == child)
                {
                    return true;
                }

                if (seen.Add(next))
                {
                    frontier.Push(next);
                }
            }
        }

        return false;
    }
}
