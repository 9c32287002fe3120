using Okapi.Core.Okrs;

namespace Okapi.Core.Tests.Inbox;

public class ReviewFlowTests
{
    [Fact]
    public void OnlyADraftIsSentForReview()
    {
        Assert.Null(ReviewFlow.WhyNotRequest(ObjectiveState.Draft));
        Assert.All([ObjectiveState.InReview, ObjectiveState.Active, ObjectiveState.Closed], s => Assert.NotNull(ReviewFlow.WhyNotRequest(s)));
    }

    [Fact]
    public void ADraftIsActivatedDirectlyButNotWhileAReviewIsPending()
    {
        Assert.Null(ReviewFlow.WhyNotActivate(ObjectiveState.Draft));
        Assert.Contains("pending", ReviewFlow.WhyNotActivate(ObjectiveState.InReview));
        Assert.NotNull(ReviewFlow.WhyNotActivate(ObjectiveState.Active));
    }

    [Fact]
    public void AReviewIsAnsweredOnceAndOnlyWhileTheObjectiveIsInReview()
    {
        Assert.Null(ReviewFlow.WhyNotAnswer(ReviewState.Requested, ObjectiveState.InReview));
        Assert.Contains("acknowledged", ReviewFlow.WhyNotAnswer(ReviewState.Acknowledged, ObjectiveState.Active));
        Assert.NotNull(ReviewFlow.WhyNotAnswer(ReviewState.Requested, ObjectiveState.Draft));
    }

    [Theory]
    [InlineData(ReviewState.Acknowledged, ObjectiveState.Active)]
    [InlineData(ReviewState.ChangesRequested, ObjectiveState.Draft)]
    [InlineData(ReviewState.Withdrawn, ObjectiveState.Draft)]
    public void AnAnswerMovesTheObjective(ReviewState answer, ObjectiveState after) => Assert.Equal(after, ReviewFlow.After(answer));

    [Fact]
    public void EditsNeitherEnterNorLeaveAReview()
    {
        Assert.NotNull(ReviewFlow.WhyNotEdit(ObjectiveState.Draft, ObjectiveState.InReview));
        Assert.NotNull(ReviewFlow.WhyNotEdit(ObjectiveState.InReview, ObjectiveState.Active));
        Assert.Null(ReviewFlow.WhyNotEdit(ObjectiveState.InReview, ObjectiveState.InReview));
        Assert.Null(ReviewFlow.WhyNotEdit(ObjectiveState.Draft, ObjectiveState.Active));
        Assert.Null(ReviewFlow.WhyNotEdit(ObjectiveState.Active, ObjectiveState.Draft));
    }

    [Fact]
    public void DraftsAndObjectivesInReviewAreQuiet()
    {
        Assert.True(ReviewFlow.IsQuiet(ObjectiveState.Draft));
        Assert.True(ReviewFlow.IsQuiet(ObjectiveState.InReview));
        Assert.False(ReviewFlow.IsQuiet(ObjectiveState.Active));
    }
}
