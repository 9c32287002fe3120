using Okapi.Core.Scoring;
using static Okapi.Core.Tests.Okrs.KeyResults;
using static Okapi.Core.Tests.Scoring.Windows;

namespace Okapi.Core.Tests.Scoring;

public class ForecastTests
{
    private const int Precision = 12;

    private static Observation[] On(params (double Day, double Value)[] points) =>
        [.. points.Select(p => new Observation(Day(p.Day), p.Value))];

    [Fact]
    public void PerfectlyLinearHistoryProjectsItsLineToCycleEnd()
    {
        // One unit a day from 0: at day 90 the value is 90, half of the 180 target.
        var keyResult = Increase(0, 180, current: 30);

        var forecast = Forecasting.Project(keyResult, On((10, 10), (20, 20), (30, 30)), Quarter, Day(30));

        Assert.Equal(ForecastMethod.Trend, forecast.Method);
        Assert.Equal(0.5, forecast.Value, Precision);
        Assert.Equal(0.5, forecast.Low, Precision);
        Assert.Equal(0.5, forecast.High, Precision);
    }

    [Fact]
    public void LinearDecreaseProjectsItsLineToCycleEnd()
    {
        // One unit a month down from 10: at day 90 the value is 7, a third of the way to 1.
        var keyResult = Decrease(10, 1, current: 8);

        var forecast = Forecasting.Project(keyResult, On((0, 10), (30, 9), (60, 8)), Quarter, Day(60));

        Assert.Equal(1.0 / 3, forecast.Value, Precision);
    }

    [Fact]
    public void OneWildOutlierDoesNotMoveTheTheilSenForecast()
    {
        // Pairwise slopes: six of 1, and 50, 99, −97, −48 through the outlier; the median stays 1.
        // A least-squares fit through the same points would project far beyond the target.
        var keyResult = Increase(0, 180, current: 40);
        var clean = On((0, 0), (10, 10), (20, 20), (30, 30), (40, 40));
        var withOutlier = On((0, 0), (10, 10), (20, 1000), (30, 30), (40, 40));

        var expected = Forecasting.Project(keyResult, clean, Quarter, Day(40));
        var forecast = Forecasting.Project(keyResult, withOutlier, Quarter, Day(40));

        Assert.Equal(0.5, expected.Value, Precision);
        Assert.Equal(expected.Value, forecast.Value, Precision);
        Assert.Equal(0.5, forecast.Low, Precision);
        Assert.Equal(0.5, forecast.High, Precision);
    }

    [Fact]
    public void FewerThanThreeCheckInsExtrapolateThePace()
    {
        // Half time with 0.3 progress: at this pace the cycle ends at 0.6.
        var keyResult = Increase(0, 10, current: 3);

        var forecast = Forecasting.Project(keyResult, On((10, 1), (40, 3)), Quarter, Day(45));

        Assert.Equal(ForecastMethod.Pace, forecast.Method);
        Assert.Equal(0.6, forecast.Value, Precision);
        Assert.InRange(forecast.Value, forecast.Low, forecast.High);
    }

    [Fact]
    public void CheckInsAfterNowDoNotCountTowardsTheTrend()
    {
        var keyResult = Increase(0, 10, current: 3);

        var forecast = Forecasting.Project(keyResult, On((10, 1), (40, 3), (60, 9)), Quarter, Day(45));

        Assert.Equal(ForecastMethod.Pace, forecast.Method);
    }

    [Fact]
    public void CheckInsAllAtOneInstantFallBackToPace()
    {
        var keyResult = Increase(0, 10, current: 3);

        var forecast = Forecasting.Project(keyResult, On((40, 1), (40, 2), (40, 3)), Quarter, Day(45));

        Assert.Equal(ForecastMethod.Pace, forecast.Method);
        Assert.Equal(0.6, forecast.Value, Precision);
    }

    [Fact]
    public void PaceBandRunsFromProgressToTwiceTheGainAndContainsTheValue()
    {
        var forecast = Forecasting.FromPace(0.3, 0.5);

        Assert.Equal(0.6, forecast.Value, Precision);
        Assert.Equal(0.3, forecast.Low, Precision);
        Assert.Equal(0.9, forecast.High, Precision);
    }

    [Fact]
    public void PaceForecastNeverExceedsFullProgress()
    {
        var forecast = Forecasting.FromPace(0.8, 0.4);

        Assert.Equal(1.0, forecast.Value);
        Assert.Equal(1.0, forecast.High);
        Assert.Equal(0.8, forecast.Low);
    }

    [Fact]
    public void NoisyTrendBandContainsTheValue()
    {
        var keyResult = Increase(0, 100, current: 35);

        var forecast = Forecasting.Project(keyResult, On((5, 4), (12, 15), (20, 18), (28, 30), (35, 35)), Quarter, Day(36));

        Assert.Equal(ForecastMethod.Trend, forecast.Method);
        Assert.True(forecast.Low < forecast.High);
        Assert.InRange(forecast.Value, forecast.Low, forecast.High);
    }

    [Theory]
    [InlineData(90)]
    [InlineData(100)]
    [InlineData(-1)]
    public void OutsideTheCycleTheForecastIsTheProgressItself(double day)
    {
        var keyResult = Increase(0, 10, current: 4);

        var forecast = Forecasting.Project(keyResult, On((10, 1), (20, 2), (30, 3)), Quarter, Day(day));

        Assert.Equal(new Forecast(0.4, 0.4, 0.4, ForecastMethod.Final), forecast);
    }
}
