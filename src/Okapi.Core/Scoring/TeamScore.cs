namespace Okapi.Core.Scoring;

/// <summary>A team's progress: the plain mean of the progress of the objectives it owns, and how many those are.</summary>
public sealed record TeamScore(Guid TeamId, double Progress, int Objectives)
{
    /// <summary>
    /// The score of each of <paramref name="teamIds"/> from the objectives given with their owner team and progress.
    /// Each objective counts once, however many key results it has, so a team's one big objective does not outweigh
    /// its others; a team owning none of them scores 0 across 0 objectives.
    /// </summary>
    public static IReadOnlyList<TeamScore> Of(IEnumerable<Guid> teamIds, IEnumerable<(Guid? OwnerTeamId, double Progress)> objectives)
    {
        ArgumentNullException.ThrowIfNull(teamIds);
        var byTeam = objectives.Where(o => o.OwnerTeamId is not null).ToLookup(o => o.OwnerTeamId!.Value, o => o.Progress);
        return teamIds.Select(t => new TeamScore(t, AlignmentGraph.WeightedMean(byTeam[t].Select(p => (p, 1.0))), byTeam[t].Count())).ToList();
    }
}
