using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
using static Okapi.Core.Tests.Scoring.Windows;

namespace Okapi.Core.Tests.Scoring;

public class GradesTests
{
    [Theory]
    [InlineData(0.65, 0.7)]
    [InlineData(0.64, 0.6)]
    [InlineData(0.649999, 0.6)]
    [InlineData(0.05, 0.1)]
    [InlineData(0.15, 0.2)]
    [InlineData(0.25, 0.3)]
    [InlineData(0.35, 0.4)]
    [InlineData(0.45, 0.5)]
    [InlineData(0.55, 0.6)]
    [InlineData(0.75, 0.8)]
    [InlineData(0.85, 0.9)]
    [InlineData(0.95, 1.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 1.0)]
    public void GradeRoundsProgressToOneDecimalHalfUp(double progress, double grade)
    {
        Assert.Equal(grade, Grades.Grade(progress));
    }

    [Theory]
    [InlineData(-0.2, 0.0)]
    [InlineData(1.3, 1.0)]
    public void GradeStaysWithinZeroAndOne(double progress, double grade)
    {
        Assert.Equal(grade, Grades.Grade(progress));
    }

    [Fact]
    public void ProgressComputedAsSevenTwentiethsGradesAsPointFour()
    {
        Assert.Equal(0.4, Grades.Grade(7.0 / 20));
    }

    // The 0.6–0.7 sweet spot straddles the yellow/green boundary.
    [Theory]
    [InlineData(0.0, GradeColour.Red)]
    [InlineData(0.3, GradeColour.Red)]
    [InlineData(0.4, GradeColour.Yellow)]
    [InlineData(0.6, GradeColour.Yellow)]
    [InlineData(0.7, GradeColour.Green)]
    [InlineData(1.0, GradeColour.Green)]
    public void ColourBandsFollowGoogleGrading(double grade, GradeColour colour)
    {
        Assert.Equal(colour, Grades.Colour(grade));
    }

    [Theory]
    [InlineData(0.34, GradeColour.Red)]
    [InlineData(0.35, GradeColour.Yellow)]
    [InlineData(0.64, GradeColour.Yellow)]
    [InlineData(0.65, GradeColour.Green)]
    public void UnroundedProgressTakesTheColourOfItsGrade(double progress, GradeColour colour)
    {
        Assert.Equal(colour, Grades.Colour(progress));
    }

    [Theory]
    [InlineData(1.0, OkrStatus.OnTrack)]
    [InlineData(0.7, OkrStatus.OnTrack)]
    [InlineData(0.69, OkrStatus.AtRisk)]
    [InlineData(0.4, OkrStatus.AtRisk)]
    [InlineData(0.39, OkrStatus.OffTrack)]
    [InlineData(0.0, OkrStatus.OffTrack)]
    public void StatusComesFromTheForecastThresholds(double forecast, OkrStatus status)
    {
        Assert.Equal(status, Grades.Status(forecast));
    }

    [Theory]
    [InlineData(-10, 0.0)]
    [InlineData(0, 0.0)]
    [InlineData(18, 0.2)]
    [InlineData(45, 0.5)]
    [InlineData(90, 1.0)]
    [InlineData(120, 1.0)]
    public void ExpectedPaceIsTheClampedShareOfTheCycleThatHasPassed(double day, double pace)
    {
        Assert.Equal(pace, Grades.ExpectedPace(Quarter, Day(day)), 12);
    }

    [Fact]
    public void ExpectedPaceOfAnEmptyWindowIsComplete()
    {
        var instant = Day(3);

        Assert.Equal(1.0, Grades.ExpectedPace(new CycleWindow(instant, instant), instant));
    }

    [Fact]
    public void AKeyResultsGradeIsTheGradeOfItsProgressUnlessOneWasSetAtTheClose()
    {
        var keyResult = new KeyResult { Title = "Reach 100 customers", Type = KeyResultType.IncreaseTo, Start = 0, Target = 100, Current = 65 };

        Assert.Equal(0.7, Grades.Of(keyResult));
        keyResult.FinalGrade = 0.3;
        Assert.Equal(0.3, Grades.Of(keyResult));
    }
}
