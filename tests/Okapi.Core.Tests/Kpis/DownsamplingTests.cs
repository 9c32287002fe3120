using CsCheck;
using Okapi.Core.Kpis;

namespace Okapi.Core.Tests.Kpis;

public class DownsamplingTests
{
    private static readonly DateTimeOffset Origin = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<KpiReading> Series(IEnumerable<double> values) =>
        values.Select((v, i) => new KpiReading(Origin.AddMinutes(i), v)).ToList();

    [Fact]
    public void FewerReadingsThanTheThresholdStayAsTheyAre()
    {
        var readings = Series([1, 5, 2]);
        Assert.Same(readings, Downsampling.LargestTriangleThreeBuckets(readings, 3));
        Assert.Empty(Downsampling.LargestTriangleThreeBuckets([], 10));
    }

    [Fact]
    public void ASpikeSurvives()
    {
        var values = Enumerable.Repeat(1.0, 1000).ToArray();
        values[437] = 50;
        var sampled = Downsampling.LargestTriangleThreeBuckets(Series(values), 20);
        Assert.Equal(20, sampled.Count);
        Assert.Contains(sampled, r => r.Value == 50);
    }

    [Fact]
    public void TwoPointsAreTheFirstAndTheLast()
    {
        var readings = Series([3, 1, 4, 1, 5]);
        Assert.Equal([readings[0], readings[^1]], Downsampling.LargestTriangleThreeBuckets(readings, 2));
    }

    [Fact]
    public void NeverMoreThanTheThresholdKeepsTheEndsAndPicksOrderedReadingsOfTheInput() =>
        Gen.Select(Gen.Double[-1e6, 1e6].Array[0, 600], Gen.Int[2, 120]).Sample((values, threshold) =>
        {
            var readings = Series(values);
            var sampled = Downsampling.LargestTriangleThreeBuckets(readings, threshold);
            Assert.True(sampled.Count <= threshold);
            Assert.Equal(Math.Min(readings.Count, threshold), sampled.Count);
            if (readings.Count > 0)
            {
                Assert.Equal(readings[0], sampled[0]);
                Assert.Equal(readings[^1], sampled[^1]);
            }

            Assert.All(sampled.Zip(sampled.Skip(1)), pair => Assert.True(pair.First.At < pair.Second.At));
            Assert.All(sampled, r => Assert.Contains(r, readings));
        });
}
