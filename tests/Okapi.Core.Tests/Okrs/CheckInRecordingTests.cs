using Okapi.Core.Kpis;
using Okapi.Core.Okrs;

namespace Okapi.Core.Tests.Okrs;

public class CheckInRecordingTests
{
    private static readonly DateTime Now = new(2027, 2, 15, 12, 0, 0, DateTimeKind.Utc);

    private static KeyResult NewKeyResult() => new() { Title = "Grow", Start = 0, Target = 100, OrganisationId = Guid.NewGuid() };

    [Fact]
    public void TheFirstCheckInBecomesTheCurrentValue()
    {
        var kr = NewKeyResult();
        var author = Guid.NewGuid();

        var checkIn = kr.RecordCheckIn(40, Now, CheckInSource.Person, null, Confidence.AtRisk, "slow", author);

        Assert.Equal(40, kr.Current);
        Assert.Equal((kr.Id, kr.OrganisationId, 40d, Now, CheckInSource.Person, Confidence.AtRisk, "slow", author),
            (checkIn.KeyResultId, checkIn.OrganisationId, checkIn.Value, checkIn.At, checkIn.Source, checkIn.Confidence, checkIn.Note, checkIn.AuthorId));
    }

    [Fact]
    public void ABackdatedCheckInFillsTheHistoryWithoutMovingTheCurrentValue()
    {
        var kr = NewKeyResult();
        var newest = kr.RecordCheckIn(60, Now, CheckInSource.Person, null);

        kr.RecordCheckIn(20, Now.AddDays(-3), CheckInSource.Api, newest);

        Assert.Equal(60, kr.Current);
    }

    [Fact]
    public void ACheckInAtTheSameInstantAsTheNewestWins()
    {
        var kr = NewKeyResult();
        var newest = kr.RecordCheckIn(60, Now, CheckInSource.Person, null);

        kr.RecordCheckIn(70, Now, CheckInSource.Kpi, newest);

        Assert.Equal(70, kr.Current);
    }

    [Fact]
    public void CorrectingTheNewestCheckInMovesTheCurrentValueAndCorrectingAnOlderOneDoesNot()
    {
        var kr = NewKeyResult();
        var older = kr.RecordCheckIn(10, Now.AddDays(-7), CheckInSource.Kpi, null);
        var newest = kr.RecordCheckIn(30, Now, CheckInSource.Kpi, older);

        kr.CorrectCheckIn(older, 15, newest);
        Assert.Equal((15d, 30d), (older.Value, kr.Current!.Value));

        kr.CorrectCheckIn(newest, 35, newest);
        Assert.Equal(35, kr.Current);
    }

    [Fact]
    public void RemovingTheLastCheckInLetsTheStartCountAgain()
    {
        var kr = NewKeyResult();
        var only = kr.RecordCheckIn(30, Now, CheckInSource.Person, null);
        var older = kr.RecordCheckIn(10, Now.AddDays(-1), CheckInSource.Person, only);

        kr.RemoveCheckIn(older);
        Assert.Equal(10, kr.Current);

        kr.RemoveCheckIn(null);
        Assert.Equal((null, 0d), (kr.Current, kr.CurrentValue));
    }

    [Fact]
    public void ACheckInInTheFutureOrWithALongNoteOrAnUnknownConfidenceIsRefused()
    {
        var kr = NewKeyResult();
        var checkIn = kr.RecordCheckIn(double.NaN, Now.AddMinutes(6), CheckInSource.Person, null, (Confidence)9, new string('n', CheckIn.MaxNoteLength + 1));

        Assert.Equal(["at", "confidence", "note", "value"], checkIn.Validate(Now).ToDictionary().Keys.Order());
        Assert.True(kr.RecordCheckIn(1, Now.AddMinutes(5), CheckInSource.Import, null).Validate(Now).IsValid);
    }

    [Theory]
    [InlineData(CheckInSource.Person)]
    [InlineData(CheckInSource.Api)]
    [InlineData(CheckInSource.Import)]
    public void ACheckInNotFromAKpiMayBeAheadOnlyByTheClockSkew(CheckInSource source)
    {
        var kr = NewKeyResult();

        Assert.True(kr.NewCheckIn(1, Now + CheckIn.ClockSkew, source).Validate(Now).IsValid);
        Assert.Equal(["at"], kr.NewCheckIn(1, Now + CheckIn.ClockSkew + TimeSpan.FromTicks(10), source).Validate(Now).ToDictionary().Keys);
    }

    [Fact]
    public void ACheckInFromAKpiMayBeAsFarAheadAsAKpiValue()
    {
        var kr = NewKeyResult();

        Assert.True(kr.NewCheckIn(1, Now.AddHours(3), CheckInSource.Kpi).Validate(Now).IsValid);
        Assert.True(kr.NewCheckIn(1, Now + KpiValue.MaxAhead, CheckInSource.Kpi).Validate(Now).IsValid);
        Assert.Equal(["at"], kr.NewCheckIn(1, Now + KpiValue.MaxAhead + TimeSpan.FromTicks(10), CheckInSource.Kpi).Validate(Now).ToDictionary().Keys);
    }

    [Fact]
    public void ANewCheckInChangesNothingUntilItIsRecorded()
    {
        var kr = NewKeyResult();
        var older = kr.RecordCheckIn(20, Now.AddDays(-1), CheckInSource.Person, null);

        var checkIn = kr.NewCheckIn(40, Now, CheckInSource.Api, Confidence.OnTrack, "on plan");
        Assert.Equal(20, kr.Current);

        kr.RecordCheckIn(checkIn, older);
        Assert.Equal(40, kr.Current);
        Assert.Equal((kr.Id, kr.OrganisationId, CheckInSource.Api, "on plan"), (checkIn.KeyResultId, checkIn.OrganisationId, checkIn.Source, checkIn.Note));
        Assert.Throws<ArgumentException>(() => NewKeyResult().RecordCheckIn(checkIn, null));
    }

    [Fact]
    public void AnAlignmentLinkWeighsMoreThanZeroAndAtMostAThousand()
    {
        Assert.False(new ObjectiveLink { Weight = 0 }.Validate().IsValid);
        Assert.False(new ObjectiveLink { Weight = 1001 }.Validate().IsValid);
        Assert.False(new ObjectiveLink { Weight = double.NaN }.Validate().IsValid);
        Assert.True(new ObjectiveLink { Weight = 1000 }.Validate().IsValid);
    }

    [Fact]
    public void ObjectiveAndKeyResultStatesAndGradesMustBeKnown()
    {
        var objective = new Objective { Title = "Delight", OwnerTeamId = Guid.NewGuid(), State = (ObjectiveState)8, FinalGrade = 1.5 };
        var kr = new KeyResult { Title = "Grow", Start = 0, Target = 1, Type = (KeyResultType)12, GradeReason = new string('r', KeyResult.MaxGradeReasonLength + 1) };

        Assert.Equal(["finalGrade", "state"], objective.Validate().ToDictionary().Keys.Order());
        Assert.Equal(["gradeReason", "type"], kr.Validate().ToDictionary().Keys.Order());
    }
}
