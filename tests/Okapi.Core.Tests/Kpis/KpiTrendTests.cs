using CsCheck;
using Okapi.Core.Kpis;

namespace Okapi.Core.Tests.Kpis;

public class KpiTrendTests
{
    private static readonly DateTimeOffset Monday = new(2027, 1, 4, 0, 0, 0, TimeSpan.Zero);

    private static List<KpiPeriod> Weekly(params double[] values) =>
        values.Select((v, i) =>
        {
            var start = Monday.AddDays(7 * i);
            return new KpiPeriod(DateOnly.FromDateTime(start.UtcDateTime), DateOnly.FromDateTime(start.UtcDateTime.AddDays(7)), start, v, 1);
        }).ToList();

    [Fact]
    public void AStraightLineIsProjectedExactly()
    {
        var periods = Weekly(100, 110, 120, 130);
        Assert.Equal(180, KpiTrend.ProjectAt(periods, Monday.AddDays(7 * 8))!.Value, 9);
        Assert.Equal(100, KpiTrend.ProjectAt(periods, Monday)!.Value, 9);
    }

    [Fact]
    public void NoiseAroundALineFollowsTheLeastSquaresSlope()
    {
        // y = 10 + 2x with residuals +1, -1, -1, +1 cancelling in both the sum and the slope.
        var periods = Weekly(11, 11, 13, 17);
        Assert.Equal(10 + 2 * 5, KpiTrend.ProjectAt(periods, Monday.AddDays(7 * 5))!.Value, 9);
    }

    [Fact]
    public void AFlatSeriesProjectsItsLevel() =>
        Assert.Equal(42, KpiTrend.ProjectAt(Weekly(42, 42, 42), Monday.AddDays(365))!.Value, 9);

    [Fact]
    public void TooFewPeriodsMakeNoTrend()
    {
        Assert.Null(KpiTrend.ProjectAt([], Monday));
        Assert.Null(KpiTrend.ProjectAt(Weekly(1, 2), Monday.AddDays(30)));
    }

    [Fact]
    public void PeriodsAllStartingAtOneInstantMakeNoTrend()
    {
        var period = Weekly(5)[0];
        Assert.Null(KpiTrend.ProjectAt([period, period with { Value = 7 }, period with { Value = 9 }], Monday.AddDays(30)));
    }

    [Fact]
    public void AnAffineSeriesIsProjectedOntoItsOwnLine() =>
        Gen.Select(Gen.Double[-1e3, 1e3], Gen.Double[-1e3, 1e3], Gen.Int[3, 30], Gen.Int[0, 400]).Sample((level, step, count, days) =>
        {
            var periods = Weekly([.. Enumerable.Range(0, count).Select(i => level + step * i)]);
            var expected = level + step * days / 7.0;
            Assert.Equal(expected, KpiTrend.ProjectAt(periods, Monday.AddDays(days))!.Value, 1e-6 * Math.Max(1, Math.Abs(expected)));
        });
}
