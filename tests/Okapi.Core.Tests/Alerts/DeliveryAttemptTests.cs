using Okapi.Core.Alerts;

namespace Okapi.Core.Tests.Alerts;

public class DeliveryAttemptTests
{
    private static readonly DateTime Now = new(2027, 2, 15, 12, 0, 0, DateTimeKind.Utc);

    private static Delivery Claimed() => new() { Payload = "{}", NextAttemptAt = Now, LockedUntil = Now.AddMinutes(2), LastError = "earlier" };

    [Fact]
    public void ASuccessfulAttemptDeliversAndClearsTheError()
    {
        var delivery = Claimed();

        delivery.RecordAttempt(Now, null, giveUp: false, jitter: 0);

        Assert.Equal((DeliveryState.Delivered, 1, Now, null, null), (delivery.State, delivery.Attempts, delivery.DeliveredAt, delivery.LastError, delivery.LockedUntil));
    }

    [Fact]
    public void AFailedAttemptIsRetriedAfterTheBackoffWithItsErrorKept()
    {
        var delivery = Claimed();

        delivery.RecordAttempt(Now, new string('e', 3000), giveUp: false, jitter: 0);

        Assert.Equal((DeliveryState.Pending, 1, Now.AddSeconds(5), Delivery.MaxErrorLength, null),
            (delivery.State, delivery.Attempts, delivery.NextAttemptAt, delivery.LastError!.Length, delivery.LockedUntil));
    }

    [Fact]
    public void TheTenthFailureGivesUp()
    {
        var delivery = Claimed();
        for (var i = 0; i < Delivery.MaxAttempts; i++)
        {
            Assert.Equal(DeliveryState.Pending, delivery.State);
            delivery.RecordAttempt(Now, "down", giveUp: false, jitter: 0.5);
        }

        Assert.Equal((DeliveryState.Failed, Delivery.MaxAttempts), (delivery.State, delivery.Attempts));
    }

    [Fact]
    public void AFailureThatCannotSucceedGivesUpAtOnce()
    {
        var delivery = Claimed();

        delivery.RecordAttempt(Now, "the channel is disabled.", giveUp: true, jitter: 0);

        Assert.Equal((DeliveryState.Failed, 1, Now), (delivery.State, delivery.Attempts, delivery.NextAttemptAt));
    }

    [Theory]
    [InlineData(400, true)]
    [InlineData(401, true)]
    [InlineData(404, true)]
    [InlineData(410, true)]
    [InlineData(408, false)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void OnlyClientErrorsOtherThanTimeoutAndTooManyRequestsAreFinal(int status, bool permanent) =>
        Assert.Equal(permanent, Delivery.IsPermanentFailure(status));

    [Fact]
    public void RetryingAGivenUpDeliveryMakesItDueNowWithAFreshScheduleAndKeepsWhyItFailed()
    {
        var delivery = Claimed();
        for (var i = 0; i < Delivery.MaxAttempts; i++)
        {
            delivery.RecordAttempt(Now, "down", giveUp: false, jitter: 0);
        }

        var later = Now.AddHours(3);
        Assert.True(delivery.CanRetry);
        Assert.True(delivery.Retry(later));

        Assert.Equal((DeliveryState.Pending, 0, later, (DateTime?)null, "down"),
            (delivery.State, delivery.Attempts, delivery.NextAttemptAt, delivery.LockedUntil, delivery.LastError));
        Assert.False(delivery.CanRetry);

        // The retry is a new series: one failure waits for the first backoff step again instead of giving up.
        delivery.RecordAttempt(later, "still down", giveUp: false, jitter: 0);
        Assert.Equal((DeliveryState.Pending, 1, later.AddSeconds(5)), (delivery.State, delivery.Attempts, delivery.NextAttemptAt));
    }

    [Fact]
    public void PendingAndDeliveredDeliveriesAreNotRetriedAndStayAsTheyAre()
    {
        var pending = Claimed();
        pending.RecordAttempt(Now, "down", giveUp: false, jitter: 0);
        var delivered = Claimed();
        delivered.RecordAttempt(Now, null, giveUp: false, jitter: 0);

        foreach (var delivery in new[] { pending, delivered })
        {
            var before = (delivery.State, delivery.Attempts, delivery.NextAttemptAt, delivery.LastError, delivery.DeliveredAt);
            Assert.False(delivery.CanRetry);
            Assert.False(delivery.Retry(Now.AddHours(1)));
            Assert.Equal(before, (delivery.State, delivery.Attempts, delivery.NextAttemptAt, delivery.LastError, delivery.DeliveredAt));
        }
    }
}
