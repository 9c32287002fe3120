using Okapi.Core.Alerts;

namespace Okapi.Core.Tests.Alerts;

public sealed class ChannelEventTests
{
    [Theory]
    [InlineData(NotificationEvent.AlertFiring, true)]
    [InlineData(NotificationEvent.AlertRepeat, true)]
    [InlineData(NotificationEvent.AlertResolved, true)]
    [InlineData(NotificationEvent.Test, true)]
    [InlineData(NotificationEvent.AlertAcknowledged, false)]
    [InlineData(NotificationEvent.AlertPending, false)]
    [InlineData(NotificationEvent.CycleClosed, false)]
    [InlineData(NotificationEvent.ReviewRequested, false)]
    public void AnAlertmanagerFormatWebhookTakesOnlyWhatAlertmanagerSends(NotificationEvent notification, bool taken)
    {
        var channel = new Channel { Name = "Receiver", Kind = ChannelKind.Webhook, BodyFormat = WebhookBodyFormat.Alertmanager };
        Assert.Equal(taken, channel.Takes(notification));
    }

    [Fact]
    public void AChannelWithOkapisOwnBodyTakesEveryEvent()
    {
        var channel = new Channel { Name = "Receiver", Kind = ChannelKind.Webhook };
        Assert.All(Enum.GetValues<NotificationEvent>(), e => Assert.True(channel.Takes(e)));
    }
}
