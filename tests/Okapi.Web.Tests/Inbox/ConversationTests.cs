using System.Net;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Inbox;

public sealed class ConversationTests(SmtpApps apps) : IClassFixture<SmtpApps>
{
    private Task<int> MentionEmailsToAsync(OkapiApp app, string email) =>
        app.QueryAsync(db => db.Deliveries.CountAsync(d => d.Recipient == email && d.Event == NotificationEvent.Mention));

    [Theory]
    [OnEveryDatabase]
    public async Task AMentionNotifiesInAppByEmailAndInTheInboxButNeverTheAuthor(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var ann = await app.SomeoneAsync("Ann Author");
        var bob = await app.SomeoneAsync("Bob Mentioned");
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync($"Mentions {Guid.NewGuid():N}", new TeamMemberDto(ann.Id, false));
        var objective = await ann.Client.CreateObjectiveAsync(cycle.Id, team.Id, "Win back the customers we lost");

        var comment = await ann.Client.PostAsync<CommentDto>("/api/v1/comments",
            new CommentRequest(objective.Id, null, null, $"{bob.Mention}, can you check? cc @{ann.Person.Email.ToUpperInvariant()}"));

        Assert.Equal([bob.Id, ann.Id], comment.MentionedPersonIds);
        Assert.Contains($"href=\"/okrs/person/{bob.Id}\"", comment.BodyHtml);
        var notification = Assert.Single(await bob.NotificationsAsync());
        Assert.Equal("Ann Author mentioned you on “Win back the customers we lost”", notification.Title);
        Assert.Equal($"/objectives/{objective.Id}#comment-{comment.Id}", notification.Link);
        Assert.StartsWith("@Bob Mentioned, can you check?", notification.Body, StringComparison.Ordinal);
        var item = Assert.Single((await bob.InboxAsync()).Items);
        Assert.Equal((InboxItemKind.Mention, comment.Id), (item.Kind, item.SubjectId));
        var email = await app.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == bob.Person.Email));
        Assert.Contains("mentioned you", email.Subject ?? "", StringComparison.Ordinal);

        Assert.Empty(await ann.NotificationsAsync());
        Assert.Empty((await ann.InboxAsync()).Items);
        Assert.Equal(0, await MentionEmailsToAsync(app, ann.Person.Email));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task SomeoneOutsideAPrivateObjectiveIsNotToldOfIt(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var insider = await app.SomeoneAsync("Ivy Insider");
        var outsider = await app.SomeoneAsync("Otto Outsider");
        var colleague = await app.SomeoneAsync("Cleo Colleague");
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync($"Secret {Guid.NewGuid():N}", new TeamMemberDto(insider.Id, false), new TeamMemberDto(colleague.Id, false));
        var objective = await insider.Client.CreateObjectiveAsync(cycle.Id, team.Id, "Acquire our quiet competitor", Visibility.Private);

        await insider.Client.PostAsync<CommentDto>("/api/v1/comments",
            new CommentRequest(objective.Id, null, null, $"{outsider.Mention} and @{colleague.Person.Email} should know"));

        Assert.Empty(await outsider.NotificationsAsync());
        Assert.Empty((await outsider.InboxAsync()).Items);
        Assert.Equal(0, await MentionEmailsToAsync(app, outsider.Person.Email));
        Assert.Single(await colleague.NotificationsAsync());
        Assert.Equal(1, await MentionEmailsToAsync(app, colleague.Person.Email));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnEditNotifiesOnlyThePeopleItAddsAndDeletingTheCommentClearsTheirInboxes(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var author = await app.SomeoneAsync("Edda Editor");
        var first = await app.SomeoneAsync("Finn First");
        var later = await app.SomeoneAsync("Lou Later");
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync($"Edits {Guid.NewGuid():N}", new TeamMemberDto(author.Id, false));
        var objective = await author.Client.CreateObjectiveAsync(cycle.Id, team.Id);
        var comment = await author.Client.PostAsync<CommentDto>("/api/v1/comments", new CommentRequest(objective.Id, null, null, $"Over to {first.Mention}"));

        var edited = await author.Client.PutAsync<CommentDto>($"/api/v1/comments/{comment.Id}",
            new CommentUpdateRequest($"Over to {first.Mention} and {later.Mention}"), ifMatch: $"\"{comment.Version}\"");

        Assert.Equal([first.Id, later.Id], edited.MentionedPersonIds);
        Assert.Single(await first.NotificationsAsync());
        Assert.Single(await later.NotificationsAsync());
        Assert.Equal(1, await MentionEmailsToAsync(app, first.Person.Email));
        Assert.Equal(1, await MentionEmailsToAsync(app, later.Person.Email));

        await author.Client.DeleteOkAsync($"/api/v1/comments/{comment.Id}");
        Assert.Equal(0, (await later.InboxAsync()).Open);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ADraftTellsOnlyItsOwners(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var owner = await app.SomeoneAsync("Olga Owner");
        var teammate = await app.SomeoneAsync("Tom Teammate");
        var stranger = await app.SomeoneAsync("Sam Stranger");
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync($"Drafts {Guid.NewGuid():N}", new TeamMemberDto(owner.Id, false), new TeamMemberDto(teammate.Id, false));
        var draft = await owner.Client.PostAsync<ObjectiveDto>("/api/v1/objectives",
            new ObjectiveRequest("Enter the Nordic market", null, cycle.Id, team.Id, null, ObjectiveState.Draft, Visibility.Public, null));

        await owner.Client.PostAsync<CommentDto>("/api/v1/comments", new CommentRequest(draft.Id, null, null, $"{teammate.Mention} {stranger.Mention} thoughts?"));

        Assert.Single(await teammate.NotificationsAsync());
        Assert.Empty(await stranger.NotificationsAsync());
        Assert.Empty((await stranger.InboxAsync()).Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task CommentsOnACheckInBelongToItsKeyResultAndRepliesFormThreads(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync($"Check-in talk {Guid.NewGuid():N}");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var other = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Another objective entirely");
        var kr = await app.Admin.CreateKeyResultAsync(objective.Id);
        var checkIn = await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(35, Confidence.AtRisk, "Slow week", null));
        var checkInId = (await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins")).Items[0].Id;
        Assert.Equal(35, checkIn.Current);

        var onCheckIn = await app.Admin.PostAsync<CommentDto>("/api/v1/comments", new CommentRequest(objective.Id, null, null, "Why slow?", checkInId));
        Assert.Equal((checkInId, kr.Id), (onCheckIn.CheckInId!.Value, onCheckIn.KeyResultId!.Value));
        var reply = await app.Admin.PostAsync<CommentDto>("/api/v1/comments", new CommentRequest(objective.Id, null, onCheckIn.Id, "Holidays"));
        Assert.Equal(onCheckIn.Id, reply.ParentCommentId);
        Assert.Equal([onCheckIn.Id], (await app.Admin.GetAsync<Page<CommentDto>>($"/api/v1/comments?checkIn={checkInId}")).Items.Select(c => c.Id));

        using var elsewhere = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/comments", new CommentRequest(other.Id, null, null, "Wrong place", checkInId));
        var problem = await Api.AssertProblemAsync(elsewhere, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("checkInId", out _));
        Assert.Equal(2, (await app.Admin.GetAsync<Page<CommentDto>>($"/api/v1/comments?objective={objective.Id}")).Total);
    }
}
