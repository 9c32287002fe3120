using Okapi.Core.Alerts;

namespace Okapi.Core.Tests.Alerts;

public class ChannelSubscriptionTests
{
    private static readonly Guid TeamA = Guid.NewGuid();
    private static readonly Guid TeamB = Guid.NewGuid();

    private static Channel Slack(ChannelEvent[]? events = null, Guid[]? teams = null) => new()
    {
        Name = "Team A in Slack",
        Kind = ChannelKind.Slack,
        Target = "https://hooks.slack.com/services/x",
        Events = events is null ? [.. ChannelSubscription.Default] : [.. events],
        TeamIds = [.. teams ?? []],
    };

    [Fact]
    public void ANewChannelHearsAlertsOnlyAsEveryChannelDidBefore()
    {
        var channel = new Channel { Name = "ops" };

        Assert.Equal([ChannelEvent.Alerts], channel.Events);
        Assert.Empty(channel.TeamIds);
        Assert.True(channel.Hears(NotificationEvent.AlertFiring, TeamA));
        Assert.True(channel.Hears(NotificationEvent.AlertResolved, null));
        Assert.False(channel.Hears(NotificationEvent.CheckInCreated, TeamA));
        Assert.False(channel.Hears(NotificationEvent.CycleClosed, null));
    }

    [Theory]
    [InlineData(NotificationEvent.AlertPending)]
    [InlineData(NotificationEvent.AlertFiring)]
    [InlineData(NotificationEvent.AlertRepeat)]
    [InlineData(NotificationEvent.AlertResolved)]
    [InlineData(NotificationEvent.AlertAcknowledged)]
    public void EveryAlertNotificationIsOneKindAlerts(NotificationEvent notification) =>
        Assert.Equal(ChannelEvent.Alerts, ChannelSubscription.KindOf(notification));

    [Theory]
    [InlineData(NotificationEvent.CheckInReminder)]
    [InlineData(NotificationEvent.WeeklyDigest)]
    [InlineData(NotificationEvent.Mention)]
    [InlineData(NotificationEvent.Test)]
    public void NoticesForOnePersonNeverGoToChannels(NotificationEvent notification)
    {
        var channel = Slack([.. Enum.GetValues<ChannelEvent>()]);

        Assert.Null(ChannelSubscription.KindOf(notification));
        Assert.False(channel.Hears(notification, TeamA));
    }

    [Fact]
    public void AChannelHearsOnlyTheKindsItSubscribesTo()
    {
        var channel = Slack([ChannelEvent.CheckInCreated, ChannelEvent.ReviewRequested]);

        Assert.True(channel.Hears(NotificationEvent.CheckInCreated, TeamA));
        Assert.True(channel.Hears(NotificationEvent.ReviewRequested, TeamA));
        Assert.False(channel.Hears(NotificationEvent.ReviewAnswered, TeamA));
        Assert.False(channel.Hears(NotificationEvent.ObjectiveActivated, TeamA));
        Assert.False(channel.Hears(NotificationEvent.AlertFiring, TeamA));
    }

    [Fact]
    public void AChannelWithTeamsHearsThoseTeamsEventsOnly()
    {
        var channel = Slack([ChannelEvent.CheckInCreated, ChannelEvent.Alerts], [TeamA]);

        Assert.True(channel.Hears(NotificationEvent.CheckInCreated, TeamA));
        Assert.False(channel.Hears(NotificationEvent.CheckInCreated, TeamB));
        Assert.True(channel.Hears(NotificationEvent.AlertFiring, TeamA));
        Assert.False(channel.Hears(NotificationEvent.AlertFiring, TeamB));
    }

    [Fact]
    public void AnEventOfNoTeamReachesOnlyChannelsWithoutATeamFilter()
    {
        Assert.True(Slack([ChannelEvent.CycleClosed]).Hears(NotificationEvent.CycleClosed, null));
        Assert.False(Slack([ChannelEvent.CycleClosed], [TeamA]).Hears(NotificationEvent.CycleClosed, null));
        Assert.False(Slack([ChannelEvent.CheckInCreated], [TeamA]).Hears(NotificationEvent.CheckInCreated, null));
    }

    [Theory]
    [InlineData(ChannelKind.Slack)]
    [InlineData(ChannelKind.Teams)]
    [InlineData(ChannelKind.Webhook)]
    [InlineData(ChannelKind.Email)]
    public void APrivateObjectivesEventsNeverLeaveOkapi(ChannelKind kind)
    {
        var channel = Slack([ChannelEvent.CheckInCreated], [TeamA]);
        channel.Kind = kind;

        Assert.False(channel.Hears(NotificationEvent.CheckInCreated, TeamA, confidential: true));
        Assert.True(channel.Hears(NotificationEvent.CheckInCreated, TeamA, confidential: false));
    }

    [Fact]
    public void AnInAppChannelMayHearAPrivateObjectivesEvents()
    {
        var channel = new Channel { Name = "in app", Kind = ChannelKind.InApp, Events = [ChannelEvent.CheckInCreated] };

        Assert.True(channel.Hears(NotificationEvent.CheckInCreated, TeamA, confidential: true));
    }

    [Fact]
    public void ADisabledChannelHearsNothing()
    {
        var channel = Slack([.. Enum.GetValues<ChannelEvent>()]);
        channel.Enabled = false;

        Assert.False(channel.Hears(NotificationEvent.CheckInCreated, TeamA));
        Assert.False(channel.Hears(NotificationEvent.AlertFiring, TeamA));
    }
}
