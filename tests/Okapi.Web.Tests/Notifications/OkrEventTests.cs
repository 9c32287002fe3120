using System.Net;
using System.Text.Json;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Closing;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Features.Reviews;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Inbox;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Notifications;

public sealed class OkrEventTests(SmtpApps apps) : IClassFixture<SmtpApps>
{
    private const string MarkupTitle = "Cut churn <!here> & <b>";

    /// <summary>A team with a lead and a member, each with a client of their own.</summary>
    private static async Task<(TeamDto Team, Someone Lead, Someone Member)> TeamAsync(OkapiApp app, string name)
    {
        var lead = await app.SomeoneAsync($"{name} Lead");
        var member = await app.SomeoneAsync($"{name} Member");
        var team = await app.Admin.CreateTeamAsync($"{name} {Guid.NewGuid():N}"[..30], new TeamMemberDto(lead.Id, true), new TeamMemberDto(member.Id, false));
        return (team, lead, member);
    }

    private static Task<ChannelDto> SubscribeAsync(OkapiApp app, string name, string kind, string target, string[] events, params Guid[] teamIds) =>
        app.Admin.PostAsync<ChannelDto>("/api/v1/channels", new { name, kind, target, enabled = true, events, teamIds });

    private static async Task<IReadOnlyList<DeliveryDto>> DeliveriesAsync(OkapiApp app, Guid channelId) =>
        (await app.Admin.GetAsync<Page<DeliveryDto>>($"/api/v1/deliveries?channel={channelId}&pageSize=100")).Items;

    private static Task<ReceivedRequest> EventAsync(WebhookListener listener, string path, string notification) =>
        Eventually.FindAsync(() => listener.Requests.FirstOrDefault(r => r.Path == path && r.Event == notification), $"the {notification} event at {path}");

    [Theory]
    [OnEveryDatabase]
    public async Task ASlackChannelOfOneTeamHearsThatTeamsCheckInsEscapedAndNotAnotherTeams(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await NotificationTests.AllowAsync(app, listener.HostAndPort);
        var (teamA, _, ana) = await TeamAsync(app, "Ana");
        var (teamB, _, bo) = await TeamAsync(app, "Bo");
        var cycle = await app.Admin.CreateCycleAsync("Check-in events Q1");
        var krA = await app.Admin.CreateKeyResultAsync((await app.Admin.CreateObjectiveAsync(cycle.Id, teamA.Id, "Keep our customers")).Id, MarkupTitle, 30, 70);
        var krB = await app.Admin.CreateKeyResultAsync((await app.Admin.CreateObjectiveAsync(cycle.Id, teamB.Id, "Ship faster")).Id, "Halve lead time", 10, 5, KeyResultType.DecreaseTo);
        var channel = await SubscribeAsync(app, "Team A in Slack", "slack", listener.UrlFor("/slack-a").ToString(), ["checkInCreated"], teamA.Id);
        Assert.Equal([ChannelEvent.CheckInCreated], channel.Events);
        Assert.Equal([teamA.Id], channel.TeamIds);

        await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{krA.Id}/check-ins", new CheckInRequest(40, null, null, null));
        await bo.Client.PostAsync<KeyResultDto>($"/api/v1/key-results/{krB.Id}/check-ins", new CheckInRequest(8, Confidence.AtRisk, null, null));
        await ana.Client.PostAsync<KeyResultDto>($"/api/v1/key-results/{krA.Id}/check-ins", new CheckInRequest(55, Confidence.OnTrack, "Churn calls <!channel> paid off", null));

        var messages = await Eventually.FindAsync(() => listener.Requests.Count(r => r.Path == "/slack-a") >= 2 ? listener.Requests.ToList() : null, "both of team A's check-ins");
        var sections = messages.Select(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString()!).ToList();
        var ana55 = Assert.Single(sections, s => s.Contains("Ana Member", StringComparison.Ordinal));
        Assert.StartsWith("Ana Member checked in on Cut churn &lt;!here&gt; &amp; &lt;b&gt;: 40 → 55 %, on track\nObjective: Keep our customers", ana55);
        Assert.Contains("Churn calls &lt;!channel&gt; paid off", ana55);
        Assert.DoesNotContain("<!", ana55.Replace($"<{SmtpSink.PublicUrl}", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("checked in on Cut churn &lt;!here&gt; &amp; &lt;b&gt;: 30 → 40 %", Assert.Single(sections, s => !s.Contains("Ana Member", StringComparison.Ordinal)));
        Assert.All(messages, m => Assert.Equal("checkInCreated", m.Event));
        Assert.DoesNotContain(messages, m => m.Body.Contains("Halve lead time", StringComparison.Ordinal));

        // Deliveries are queued with the change itself: team B's check-in queued none for this channel.
        var deliveries = await DeliveriesAsync(app, channel.Id);
        Assert.Equal(2, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(NotificationEvent.CheckInCreated, d.Event));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ActivationsAndReviewsReachAWebhookSubscribedToThemWithIdsTitlesTeamAndActor(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await NotificationTests.AllowAsync(app, listener.HostAndPort);
        var (team, lead, member) = await TeamAsync(app, "Rita");
        var cycle = await app.Admin.CreateCycleAsync("Review events Q1");
        var channel = await SubscribeAsync(app, "Review hook", "webhook", listener.UrlFor("/reviews").ToString(),
            ["objectiveActivated", "reviewRequested", "reviewAnswered"], team.Id);
        var direct = await member.Client.PostAsync<ObjectiveDto>("/api/v1/objectives",
            new ObjectiveRequest("Launch the partner portal", null, cycle.Id, team.Id, null, ObjectiveState.Draft, Visibility.Public, null));
        var reviewed = await member.Client.PostAsync<ObjectiveDto>("/api/v1/objectives",
            new ObjectiveRequest("Make onboarding effortless", null, cycle.Id, team.Id, null, ObjectiveState.Draft, Visibility.Public, null));

        await member.Client.PostAsync<ObjectiveDto>($"/api/v1/objectives/{direct.Id}/activate", new { }, HttpStatusCode.OK);
        var activated = JsonDocument.Parse((await EventAsync(listener, "/reviews", "objectiveActivated")).Body).RootElement;
        Assert.Equal("objectiveActivated", activated.GetProperty("event").GetString());
        Assert.Equal("[ACTIVATED] Launch the partner portal", activated.GetProperty("title").GetString());
        Assert.StartsWith("Rita Member activated “Launch the partner portal”.", activated.GetProperty("text").GetString());
        Assert.EndsWith($"/objectives/{direct.Id}", activated.GetProperty("link").GetString());
        var okr = activated.GetProperty("okr");
        Assert.Equal((direct.Id, "Launch the partner portal"), (okr.GetProperty("objective").GetProperty("id").GetGuid(), okr.GetProperty("objective").GetProperty("name").GetString()));
        Assert.Equal((team.Id, team.Name), (okr.GetProperty("team").GetProperty("id").GetGuid(), okr.GetProperty("team").GetProperty("name").GetString()));
        Assert.Equal((member.Id, "Rita Member"), (okr.GetProperty("actor").GetProperty("id").GetGuid(), okr.GetProperty("actor").GetProperty("name").GetString()));

        var review = await member.Client.PostAsync<ReviewDto>($"/api/v1/objectives/{reviewed.Id}/review", new ReviewRequest(lead.Id, "Ready for a look"));
        var requested = JsonDocument.Parse((await EventAsync(listener, "/reviews", "reviewRequested")).Body).RootElement;
        Assert.Equal("[REVIEW] Make onboarding effortless", requested.GetProperty("title").GetString());
        Assert.Equal($"Rita Member asked Rita Lead to review “Make onboarding effortless”.\nObjective: Make onboarding effortless ({team.Name})\nReady for a look",
            requested.GetProperty("text").GetString());

        await lead.Client.PostAsync<ReviewDto>($"/api/v1/reviews/{review.Id}/acknowledge", new ReviewAnswerRequest("Good ambition"), HttpStatusCode.OK);
        var answered = JsonDocument.Parse((await EventAsync(listener, "/reviews", "reviewAnswered")).Body).RootElement;
        Assert.Equal("[REVIEWED] Make onboarding effortless", answered.GetProperty("title").GetString());
        Assert.StartsWith("Rita Lead acknowledged “Make onboarding effortless”.", answered.GetProperty("text").GetString());
        Assert.Equal(lead.Id, answered.GetProperty("okr").GetProperty("actor").GetProperty("id").GetGuid());

        // The acknowledgement activated the objective, so it is an activation too.
        await Eventually.FindAsync(() => listener.Requests.FirstOrDefault(r => r.Event == "objectiveActivated" && r.Body.Contains(reviewed.Id.ToString(), StringComparison.Ordinal)), "the activation by review");
        Assert.Equal(4, (await DeliveriesAsync(app, channel.Id)).Count);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ATeamCloseReachesItsTeamsChannelAndTheCompanyCloseOnlyChannelsWithoutATeamFilter(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await using var listener = await WebhookListener.StartAsync();
        await NotificationTests.AllowAsync(app, listener.HostAndPort);
        var (team, _, _) = await TeamAsync(app, "Carl");
        var cycle = await app.Admin.CreateCycleAsync($"Close events {Guid.NewGuid():N}"[..20]);
        await app.Admin.CreateKeyResultAsync((await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Grow the partner channel")).Id);
        var teams = await SubscribeAsync(app, "Team close in Teams", "teams", listener.UrlFor("/teams-close").ToString(), ["teamClosed", "cycleClosed"], team.Id);
        var email = await SubscribeAsync(app, "Company close by email", "email", "leadership@example.com", ["cycleClosed"]);

        await app.Admin.PostAsync<ClosingDto>($"/api/v1/cycles/{cycle.Id}/closings", new CloseRequest(team.Id, [], null, null, null));
        var card = NotificationTests.AdaptiveCard((await EventAsync(listener, "/teams-close", "teamClosed")).Body);
        var lines = card.GetProperty("body").EnumerateArray().Select(b => b.GetProperty("text").GetString()).ToList();
        Assert.Equal($"\\[CLOSED\\] {cycle.Name} for {team.Name}", lines[0]);
        Assert.Contains("closed", lines[1]);
        Assert.Contains("1 objective graded.", lines[1]);

        await app.Admin.PostAsync<ClosingDto>($"/api/v1/cycles/{cycle.Id}/closings", new CloseRequest(null, [], null, null, null));
        var message = await app.Smtp.WaitForAsync(m => m.Subject == $"[CLOSED] {cycle.Name} for the company");
        Assert.Equal(["leadership@example.com"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Contains($"closed {cycle.Name} for the company", message.TextBody);
        Assert.Contains($"{SmtpSink.PublicUrl}/cycles/{cycle.Id}/close", message.TextBody);

        // The company's close belongs to no team: the channel that names a team does not hear it.
        Assert.Equal([NotificationEvent.TeamClosed], (await DeliveriesAsync(app, teams.Id)).Select(d => d.Event));
        Assert.Equal([NotificationEvent.CycleClosed], (await DeliveriesAsync(app, email.Id)).Select(d => d.Event));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AChannelForAlertsOnlyAndExternalChannelsOfAPrivateObjectiveHearNoOkrEvent(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (team, _, member) = await TeamAsync(app, "Pia");
        var cycle = await app.Admin.CreateCycleAsync("Quiet events Q1");
        var alertsOnly = await NotificationTests.CreateChannelAsync(app, "Alerts as before", "email", "alerts@example.com");
        Assert.Equal([ChannelEvent.Alerts], alertsOnly.Events);
        Assert.Empty(alertsOnly.TeamIds);
        var everything = await SubscribeAsync(app, "Everything of Pia's team", "email", "pia-team@example.com",
            ["checkInCreated", "objectiveActivated", "reviewRequested", "reviewAnswered", "teamClosed", "cycleClosed"], team.Id);
        var inApp = await SubscribeAsync(app, "Pia's team in Okapi", "inApp", "", ["checkInCreated"], team.Id);

        var secret = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Acquire a competitor", Visibility.Private);
        var secretKr = await app.Admin.CreateKeyResultAsync(secret.Id, "Sign the term sheet", 0, 1);
        await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{secretKr.Id}/check-ins", new CheckInRequest(1, Confidence.OnTrack, null, null));
        var open = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Be known for support");
        var openKr = await app.Admin.CreateKeyResultAsync(open.Id, "Answer within an hour", 0, 100);
        await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{openKr.Id}/check-ins", new CheckInRequest(50, null, null, null));

        Assert.Empty(await DeliveriesAsync(app, alertsOnly.Id));
        var delivered = Assert.Single(await DeliveriesAsync(app, everything.Id));
        Assert.Equal(NotificationEvent.CheckInCreated, delivered.Event);
        await app.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == "pia-team@example.com") && m.Subject == "[CHECK-IN] Answer within an hour");
        Assert.DoesNotContain(app.Smtp.Messages, m => m.TextBody?.Contains("term sheet", StringComparison.Ordinal) == true);

        // In Okapi itself the owner team hears both: the private objective is theirs.
        var notifications = await member.NotificationsAsync();
        Assert.Contains(notifications, n => n.Title == "[CHECK-IN] Sign the term sheet");
        Assert.Contains(notifications, n => n.Title == "[CHECK-IN] Answer within an hour");
        Assert.Equal([ChannelEvent.CheckInCreated], inApp.Events);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnUnknownEventKindOrTeamIsRefusedNamingTheFieldAndNothingIsStored(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var before = (await app.Admin.GetAsync<Page<ChannelDto>>("/api/v1/channels?pageSize=100")).Total;

        using (var unknownKind = await app.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/channels",
            """{"name":"Odd","kind":"email","target":"odd@example.com","events":["checkInCreated","coffeeBrewed"]}"""))
        {
            var problem = await Api.AssertProblemAsync(unknownKind, HttpStatusCode.BadRequest);
            Assert.Contains("events", problem.GetRawText(), StringComparison.Ordinal);
        }

        var missing = Guid.NewGuid();
        using (var unknownTeam = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/channels",
            new { name = "Odd", kind = "email", target = "odd@example.com", events = new[] { "checkInCreated" }, teamIds = new[] { missing } }))
        {
            var problem = await Api.AssertProblemAsync(unknownTeam, HttpStatusCode.BadRequest);
            Assert.Contains(missing.ToString(), problem.GetProperty("errors").GetProperty("teamIds")[0].GetString());
        }

        using (var none = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/channels",
            new { name = "Odd", kind = "email", target = "odd@example.com", events = Array.Empty<string>() }))
        {
            var problem = await Api.AssertProblemAsync(none, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("events", out _));
        }

        Assert.Equal(before, (await app.Admin.GetAsync<Page<ChannelDto>>("/api/v1/channels?pageSize=100")).Total);
    }
}
