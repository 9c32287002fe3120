using Okapi.Core.Okrs;
using Okapi.Core.Scoring;
using static Okapi.Core.Tests.Okrs.KeyResults;
using static Okapi.Core.Tests.Scoring.Windows;

namespace Okapi.Core.Tests.Scoring;

public class KeyResultScoreTests
{
    private static KeyResult CreatedBeforeTheCycle(KeyResult keyResult)
    {
        keyResult.CreatedAt = Day(-5).UtcDateTime;
        return keyResult;
    }

    [Fact]
    public void OnTrackConfidenceWithAnOffTrackForecastIsFlagged()
    {
        // 0.1 progress at half time forecasts 0.2: off track, while the owner keeps saying on track.
        var keyResult = CreatedBeforeTheCycle(Increase(0, 100, current: 10));
        CheckIn[] checkIns = [CheckInOn(30, 5, Confidence.OnTrack), CheckInOn(44, 10, Confidence.OnTrack)];

        var score = KeyResultScore.Compute(keyResult, checkIns, Quarter, Day(45));

        Assert.Equal(0.2, score.Forecast.Value, 12);
        Assert.Equal(OkrStatus.OffTrack, score.Status);
        Assert.Equal(Confidence.OnTrack, score.LastConfidence);
        Assert.True(score.ConfidenceDisagrees);
    }

    [Theory]
    [InlineData(Confidence.OnTrack, OkrStatus.OffTrack, true)]
    [InlineData(Confidence.OffTrack, OkrStatus.OnTrack, true)]
    [InlineData(Confidence.OnTrack, OkrStatus.OnTrack, false)]
    [InlineData(Confidence.AtRisk, OkrStatus.OffTrack, false)]
    [InlineData(Confidence.OnTrack, OkrStatus.AtRisk, false)]
    [InlineData(null, OkrStatus.OffTrack, false)]
    [InlineData(Confidence.OnTrack, null, false)]
    public void OnlyOppositeEndsDisagree(Confidence? confidence, OkrStatus? status, bool disagrees)
    {
        Assert.Equal(disagrees, KeyResultScore.Disagrees(confidence, status));
    }

    [Fact]
    public void LastConfidenceSkipsCheckInsWithoutOne()
    {
        var keyResult = CreatedBeforeTheCycle(Increase(0, 100, current: 50));
        CheckIn[] checkIns = [CheckInOn(44, 50), CheckInOn(30, 40, Confidence.AtRisk)];

        var score = KeyResultScore.Compute(keyResult, checkIns, Quarter, Day(45));

        Assert.Equal(Confidence.AtRisk, score.LastConfidence);
        Assert.Equal(Day(44), score.LastCheckInAt);
    }

    [Theory]
    [InlineData(18, true)]
    [InlineData(16, false)]
    [InlineData(17, false)]
    public void WeeklyKeyResultIsStaleMoreThanSevenDaysAfterItsLastCheckIn(double today, bool stale)
    {
        var keyResult = CreatedBeforeTheCycle(Increase(0, 100, current: 10));

        var score = KeyResultScore.Compute(keyResult, [CheckInOn(10, 10)], Quarter, Day(today));

        Assert.Equal(stale, score.Stale);
    }

    [Fact]
    public void KeyResultIsNotStaleOnceTheCycleHasEnded()
    {
        var keyResult = CreatedBeforeTheCycle(Increase(0, 100, current: 10));

        var score = KeyResultScore.Compute(keyResult, [CheckInOn(10, 10)], Quarter, Day(95));

        Assert.False(score.Stale);
    }

    [Fact]
    public void StalenessWithoutCheckInsCountsFromTheCycleStart()
    {
        var keyResult = CreatedBeforeTheCycle(Increase(0, 100));

        Assert.False(KeyResultScore.Compute(keyResult, [], Quarter, Day(6)).Stale);
        Assert.True(KeyResultScore.Compute(keyResult, [], Quarter, Day(8)).Stale);
    }

    [Fact]
    public void StalenessWithoutCheckInsCountsFromCreationWhenCreatedMidCycle()
    {
        Assert.False(Staleness.IsStale(null, 7, Quarter, Day(26), createdAt: Day(20)));
        Assert.True(Staleness.IsStale(null, 7, Quarter, Day(28), createdAt: Day(20)));
    }

    [Fact]
    public void StalenessFollowsTheKeyResultsOwnRhythm()
    {
        Assert.False(Staleness.IsStale(Day(10), 30, Quarter, Day(38), Day(-5)));
        Assert.True(Staleness.IsStale(Day(10), 1, Quarter, Day(12), Day(-5)));
    }

    [Fact]
    public void StayAboveShowsTheShareOfCheckInsThatSatisfiedIt()
    {
        var keyResult = CreatedBeforeTheCycle(StayAbove(95, current: 95));
        CheckIn[] checkIns = [CheckInOn(7, 96), CheckInOn(14, 94), CheckInOn(21, 97), CheckInOn(28, 95)];

        var score = KeyResultScore.Compute(keyResult, checkIns, Quarter, Day(30));

        Assert.Equal(1.0, score.Progress);
        Assert.Equal(0.75, score.ShareSatisfied);
    }

    [Fact]
    public void ShareSatisfiedIsOnlyShownForStayKeyResults()
    {
        var keyResult = CreatedBeforeTheCycle(Increase(0, 100, current: 10));

        Assert.Null(KeyResultScore.Compute(keyResult, [CheckInOn(7, 10)], Quarter, Day(30)).ShareSatisfied);
    }

    [Fact]
    public void BeforeTheCycleStartsThereIsNoStatus()
    {
        var keyResult = CreatedBeforeTheCycle(Increase(0, 100));

        var score = KeyResultScore.Compute(keyResult, [], Quarter, Day(-1));

        Assert.Null(score.Status);
        Assert.False(score.Stale);
    }

    [Fact]
    public void ScoreCarriesGradeColourAttainmentAndPace()
    {
        var keyResult = CreatedBeforeTheCycle(Increase(0, 20, current: 13));

        var score = KeyResultScore.Compute(keyResult, [CheckInOn(40, 13)], Quarter, Day(45));

        Assert.Equal(0.65, score.Progress, 12);
        Assert.Equal(0.65, score.Attainment, 12);
        Assert.Equal(0.5, score.ExpectedPace, 12);
        Assert.Equal(0.7, score.Grade);
        Assert.Equal(GradeColour.Green, score.GradeColour);
    }

    [Fact]
    public void ClosedKeyResultKeepsItsRecordedGrade()
    {
        var keyResult = CreatedBeforeTheCycle(Increase(0, 6, current: 3));
        keyResult.FinalGrade = 0.7;

        var score = KeyResultScore.Compute(keyResult, [CheckInOn(80, 3)], Quarter, Day(100));

        Assert.Equal(0.7, score.Grade);
        Assert.Equal(GradeColour.Green, score.GradeColour);
        Assert.Equal(0.5, score.Progress);
    }
}
