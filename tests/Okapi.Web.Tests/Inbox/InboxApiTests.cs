using System.Net;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Alerts;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Tests.Infrastructure;
using static Okapi.Web.Tests.Alerts.AlertArrangements;

namespace Okapi.Web.Tests.Inbox;

public sealed class InboxApiTests(SmtpApps apps) : IClassFixture<SmtpApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task MyInboxListsOpenItemsByKindAndEachIsDoneOrDismissedByMeAlone(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var me = await app.SomeoneAsync("Mia Inbox");
        var other = await app.SomeoneAsync("Oscar Other");
        await app.WriteInboxItemAsync(me.Id, InboxItemKind.CheckInDue, Guid.NewGuid(), "Check in on revenue");
        await app.WriteInboxItemAsync(me.Id, InboxItemKind.Mention, Guid.NewGuid(), "You were mentioned");
        await app.WriteInboxItemAsync(me.Id, InboxItemKind.Mention, Guid.NewGuid(), "You were mentioned again");
        await app.WriteInboxItemAsync(other.Id, InboxItemKind.Mention, Guid.NewGuid(), "Not yours");

        var inbox = await me.InboxAsync();
        Assert.Equal((3, 3), (inbox.Total, inbox.Open));
        Assert.Equal([1, 2, 0, 0], inbox.Counts.Select(c => c.Open));
        Assert.Equal(["You were mentioned again", "You were mentioned"], (await me.InboxAsync("?kind=mention")).Items.Select(i => i.Title));
        var paged = await me.InboxAsync("?page=2&pageSize=2");
        Assert.Equal(("Check in on revenue", 3), (Assert.Single(paged.Items).Title, paged.Total));

        var mention = inbox.Items[0];
        using (var notMine = await other.Client.PostAsync($"/api/v1/inbox/{mention.Id}/done", null))
        {
            await Api.AssertProblemAsync(notMine, HttpStatusCode.NotFound);
        }

        var done = await me.Client.PostAsync<InboxItemDto>($"/api/v1/inbox/{mention.Id}/done", new { }, HttpStatusCode.OK);
        Assert.Equal((InboxItemState.Done, app.Clock.GetUtcNow().UtcDateTime), (done.State, done.ResolvedAt!.Value));
        Assert.Equal(InboxItemState.Done, (await me.Client.PostAsync<InboxItemDto>($"/api/v1/inbox/{mention.Id}/done", new { }, HttpStatusCode.OK)).State);
        using (var dismissDone = await me.Client.PostAsync($"/api/v1/inbox/{mention.Id}/dismiss", null))
        {
            await Api.AssertProblemAsync(dismissDone, HttpStatusCode.Conflict);
        }

        var dismissed = await me.Client.PostAsync<InboxItemDto>($"/api/v1/inbox/{inbox.Items[1].Id}/dismiss", new { }, HttpStatusCode.OK);
        Assert.Equal(InboxItemState.Dismissed, dismissed.State);
        var after = await me.InboxAsync();
        Assert.Equal((1, 1), (after.Total, after.Open));
        Assert.Equal([mention.Id], (await me.InboxAsync("?state=done")).Items.Select(i => i.Id));
        Assert.Equal(1, (await other.InboxAsync()).Open);

        var (_, foreignAdmin) = await app.CreateOrganisationAsync($"Elsewhere {Guid.NewGuid():N}");
        using var foreign = await foreignAdmin.PostAsync($"/api/v1/inbox/{after.Items[0].Id}/done", null);
        await Api.AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        using var anonymous = await app.WithToken(null).GetAsync("/api/v1/inbox");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ACheckInMarksItsKeyResultsCheckInDueItemDone(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var owner = await app.SomeoneAsync("Kira KeyResult");
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync($"Due {Guid.NewGuid():N}", new TeamMemberDto(owner.Id, false));
        var objective = await owner.Client.CreateObjectiveAsync(cycle.Id, team.Id);
        var kr = await owner.Client.CreateKeyResultAsync(objective.Id);
        var otherKr = await owner.Client.CreateKeyResultAsync(objective.Id, "Cut churn from 8 % to 5 %", 8, 5, KeyResultType.DecreaseTo);
        await app.WriteInboxItemAsync(owner.Id, InboxItemKind.CheckInDue, kr.Id, "Check in on satisfaction");
        await app.WriteInboxItemAsync(owner.Id, InboxItemKind.CheckInDue, otherKr.Id, "Check in on churn");

        await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(40, Confidence.OnTrack, null, null));

        Assert.Equal([otherKr.Id], (await owner.InboxAsync("?kind=checkInDue")).Items.Select(i => i.SubjectId));
        Assert.Equal([kr.Id], (await owner.InboxAsync("?state=done")).Items.Select(i => i.SubjectId));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AFiringAlertIsInItsKpiOwnersInboxesUntilItResolvesOrIsAcknowledged(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var member = await app.SomeoneAsync("Ada Alerted");
        var bystander = await app.SomeoneAsync("Ben Bystander");
        var team = await app.Admin.CreateTeamAsync($"Owners {Guid.NewGuid():N}", new TeamMemberDto(member.Id, false));
        var kpi = await app.CreateKpiAsync(team.Id);
        await app.Admin.CreateRuleAsync(Rule(kpi.Id));

        await app.StoreValueAsync(kpi.Id, 0.5);
        var alert = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id, "&open=true"));
        var item = Assert.Single((await member.InboxAsync("?kind=alert")).Items);
        Assert.Equal((alert.Id, $"/kpis/{kpi.Id}", "Conversion is in alert"), (item.SubjectId, item.Link, item.Title));
        Assert.Empty((await bystander.InboxAsync()).Items);

        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.StoreValueAsync(kpi.Id, 3);
        Assert.Empty((await member.InboxAsync()).Items);
        Assert.Equal([alert.Id], (await member.InboxAsync("?state=done")).Items.Select(i => i.SubjectId));

        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.StoreValueAsync(kpi.Id, 0.4);
        var second = Assert.Single(await app.Admin.AlertsOfAsync(kpi.Id, "&open=true"));
        Assert.Equal(second.Id, Assert.Single((await member.InboxAsync()).Items).SubjectId);
        await member.Client.PostAsync<AlertDto>($"/api/v1/alerts/{second.Id}/acknowledge", new AcknowledgeRequest("Looking into it"), HttpStatusCode.OK);
        Assert.Empty((await member.InboxAsync()).Items);
    }
}
