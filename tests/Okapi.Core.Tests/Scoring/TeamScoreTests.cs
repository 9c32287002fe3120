using Okapi.Core.Scoring;

namespace Okapi.Core.Tests.Scoring;

public class TeamScoreTests
{
    private static readonly Guid Sales = Guid.NewGuid();
    private static readonly Guid Support = Guid.NewGuid();

    [Fact]
    public void ATeamsProgressIsThePlainMeanOfItsObjectives()
    {
        var scores = TeamScore.Of([Sales], [(Sales, 0.2), (Sales, 0.6), (Support, 1.0), (null, 1.0)]);

        var sales = Assert.Single(scores);
        Assert.Equal(0.4, sales.Progress, 10);
        Assert.Equal(2, sales.Objectives);
    }

    [Fact]
    public void ATeamWithoutObjectivesScoresZeroAcrossNone()
    {
        var scores = TeamScore.Of([Sales, Support], [(Sales, 0.5)]);

        Assert.Equal([(Sales, 0.5, 1), (Support, 0.0, 0)], scores.Select(s => (s.TeamId, s.Progress, s.Objectives)));
    }
}
