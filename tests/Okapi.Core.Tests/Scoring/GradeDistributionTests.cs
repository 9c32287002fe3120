using Okapi.Core.Scoring;

namespace Okapi.Core.Tests.Scoring;

public class GradeDistributionTests
{
    [Fact]
    public void GradesFallIntoTenthBucketsAndTheSweetSpotCountsSixAndSeven()
    {
        var distribution = GradeDistribution.Of([0.0, 0.62, 0.66, 0.7, 1.0, 0.34]);

        Assert.Equal([1, 0, 0, 1, 0, 0, 1, 2, 0, 0, 1], distribution.Counts);
        Assert.Equal(6, distribution.Total);
        Assert.Equal(3.0 / 6, distribution.SweetSpotShare, 9);
        Assert.Equal((0.0 + 0.6 + 0.7 + 0.7 + 1.0 + 0.3) / 6, distribution.Mean!.Value, 9);
    }

    [Fact]
    public void NoGradesHaveNoMeanAndAnEmptySweetSpot()
    {
        var distribution = GradeDistribution.Of([]);

        Assert.All(distribution.Counts, c => Assert.Equal(0, c));
        Assert.Null(distribution.Mean);
        Assert.Equal(0, distribution.SweetSpotShare);
    }
}
