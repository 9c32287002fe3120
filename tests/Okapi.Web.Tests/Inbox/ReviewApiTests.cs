using System.Net;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Audit;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Features.Reviews;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Inbox;

public sealed class ReviewApiTests(SmtpApps apps) : IClassFixture<SmtpApps>
{
    /// <summary>A team with a lead and a member, and a draft objective of the team written by the member.</summary>
    private async Task<(Someone Lead, Someone Member, ObjectiveDto Draft, CycleDto Cycle, TeamDto Team)> DraftAsync(OkapiApp app, Visibility visibility = Visibility.Public)
    {
        var lead = await app.SomeoneAsync("Lena Lead");
        var member = await app.SomeoneAsync("Max Member");
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync($"Reviewed {Guid.NewGuid():N}", new TeamMemberDto(lead.Id, true), new TeamMemberDto(member.Id, false));
        var draft = await member.Client.PostAsync<ObjectiveDto>("/api/v1/objectives",
            new ObjectiveRequest("Make onboarding effortless", null, cycle.Id, team.Id, null, ObjectiveState.Draft, visibility, null));
        return (lead, member, draft, cycle, team);
    }

    private static async Task AssertStatusAsync(HttpClient client, string url, object? body, HttpStatusCode expected)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, url, body);
        await Api.AssertProblemAsync(response, expected);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ALeadAcknowledgesADraftWhichBecomesActiveWithTheAcknowledgementRecorded(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (lead, member, draft, _, _) = await DraftAsync(app);
        var reviewers = await member.Client.GetAsync<List<ReviewerDto>>($"/api/v1/objectives/{draft.Id}/reviewers");
        Assert.Equal(new[] { lead.Id, app.AdminId }.Order(), reviewers.Select(r => r.PersonId).Order());

        var review = await member.Client.PostAsync<ReviewDto>($"/api/v1/objectives/{draft.Id}/review", new ReviewRequest(lead.Id, "Ready for a look"));
        Assert.Equal((ReviewState.Requested, member.Id, lead.Id, "Ready for a look"), (review.State, review.RequestedById!.Value, review.ReviewerId, review.Message));
        Assert.Equal(ObjectiveState.InReview, (await member.Client.GetAsync<ObjectiveDto>($"/api/v1/objectives/{draft.Id}")).State);
        var asked = Assert.Single((await lead.InboxAsync("?kind=reviewRequest")).Items);
        Assert.Equal(review.Id, asked.SubjectId);
        Assert.Equal("Max Member asks you to review “Make onboarding effortless”", Assert.Single(await lead.NotificationsAsync()).Title);
        await app.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == lead.Person.Email) && (m.Subject ?? "").Contains("asks you to review", StringComparison.Ordinal));
        Assert.Equal([review.Id], (await lead.Client.GetAsync<Page<ReviewDto>>("/api/v1/reviews?reviewer=me&state=requested")).Items.Select(r => r.Id));
        Assert.True((await lead.Client.GetAsync<ReviewDto>($"/api/v1/reviews/{review.Id}")).CanAnswer);

        await AssertStatusAsync(member.Client, $"/api/v1/reviews/{review.Id}/acknowledge", new ReviewAnswerRequest("Self-approved"), HttpStatusCode.Forbidden);

        app.Clock.Advance(TimeSpan.FromHours(2));
        var acknowledged = await lead.Client.PostAsync<ReviewDto>($"/api/v1/reviews/{review.Id}/acknowledge", new ReviewAnswerRequest("Good ambition"), HttpStatusCode.OK);
        Assert.Equal((ReviewState.Acknowledged, "Good ambition", app.Clock.GetUtcNow().UtcDateTime), (acknowledged.State, acknowledged.Note, acknowledged.AnsweredAt!.Value));

        var active = await member.Client.GetAsync<ObjectiveDto>($"/api/v1/objectives/{draft.Id}");
        Assert.Equal(ObjectiveState.Active, active.State);
        Assert.Equal((lead.Id, ReviewState.Acknowledged, "Good ambition"), (active.Review!.ReviewerId, active.Review.State, active.Review.Note));
        Assert.Empty((await lead.InboxAsync()).Items);
        Assert.Contains(await member.NotificationsAsync(), n => n.Title == "Lena Lead acknowledged “Make onboarding effortless”");

        var audit = await app.Admin.GetAsync<Page<AuditEventDto>>($"/api/v1/audit?entityId={draft.Id}");
        var activation = audit.Items.First(e => e.Action == Okapi.Core.Auditing.AuditAction.Update);
        Assert.Equal(("Lena Lead", "Lena Lead acknowledged the objective: Good ambition"), (activation.ActorName, activation.Reason));
        Assert.Contains(audit.Items, e => e.Reason == "Sent for review to Lena Lead");

        await AssertStatusAsync(lead.Client, $"/api/v1/reviews/{review.Id}/acknowledge", new ReviewAnswerRequest(null), HttpStatusCode.Conflict);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task RequestedChangesAndWithdrawalsSendTheObjectiveBackToDraftAndWrongStepsAreRefused(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (lead, member, draft, cycle, team) = await DraftAsync(app);
        var outsider = await app.SomeoneAsync("Omar Outsider");
        var otherLeadTeam = await app.Admin.CreateTeamAsync($"Elsewhere {Guid.NewGuid():N}", new TeamMemberDto(outsider.Id, true));
        Assert.NotEqual(team.Id, otherLeadTeam.Id);

        using (var notALead = await member.Client.SendJsonAsync(HttpMethod.Post, $"/api/v1/objectives/{draft.Id}/review", new ReviewRequest(outsider.Id, null)))
        {
            var problem = await Api.AssertProblemAsync(notALead, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("reviewerId", out _));
        }

        await AssertStatusAsync(outsider.Client, $"/api/v1/objectives/{draft.Id}/review", new ReviewRequest(lead.Id, null), HttpStatusCode.Forbidden);
        var review = await member.Client.PostAsync<ReviewDto>($"/api/v1/objectives/{draft.Id}/review", new ReviewRequest(lead.Id, null));
        await AssertStatusAsync(member.Client, $"/api/v1/objectives/{draft.Id}/review", new ReviewRequest(lead.Id, null), HttpStatusCode.Conflict);
        await AssertStatusAsync(member.Client, $"/api/v1/objectives/{draft.Id}/activate", null, HttpStatusCode.Conflict);
        using (var skip = await member.Client.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{draft.Id}",
            new ObjectiveRequest(draft.Title, null, cycle.Id, team.Id, null, ObjectiveState.Active, Visibility.Public, null)))
        {
            await Api.AssertProblemAsync(skip, HttpStatusCode.Conflict);
        }

        await AssertStatusAsync(lead.Client, $"/api/v1/reviews/{review.Id}/request-changes", new ReviewAnswerRequest(" "), HttpStatusCode.BadRequest);
        var changes = await lead.Client.PostAsync<ReviewDto>($"/api/v1/reviews/{review.Id}/request-changes", new ReviewAnswerRequest("Add a KR for activation"), HttpStatusCode.OK);
        Assert.Equal(ReviewState.ChangesRequested, changes.State);
        Assert.Equal(ObjectiveState.Draft, (await member.Client.GetAsync<ObjectiveDto>($"/api/v1/objectives/{draft.Id}")).State);
        Assert.Equal(0, (await lead.InboxAsync()).Open);

        var again = await member.Client.PostAsync<ReviewDto>($"/api/v1/objectives/{draft.Id}/review", new ReviewRequest(lead.Id, "Added it"));
        await AssertStatusAsync(lead.Client, $"/api/v1/reviews/{again.Id}/withdraw", null, HttpStatusCode.Forbidden);
        var withdrawn = await member.Client.PostAsync<ReviewDto>($"/api/v1/reviews/{again.Id}/withdraw", new { }, HttpStatusCode.OK);
        Assert.Equal(ReviewState.Withdrawn, withdrawn.State);
        Assert.Equal(0, (await lead.InboxAsync()).Open);

        var activated = await member.Client.PostAsync<ObjectiveDto>($"/api/v1/objectives/{draft.Id}/activate", new { }, HttpStatusCode.OK);
        Assert.Equal((ObjectiveState.Active, ReviewState.Withdrawn), (activated.State, activated.Review!.State));
        await AssertStatusAsync(member.Client, $"/api/v1/objectives/{draft.Id}/review", new ReviewRequest(lead.Id, null), HttpStatusCode.Conflict);
        Assert.Equal([again.Id, review.Id], (await member.Client.GetAsync<Page<ReviewDto>>($"/api/v1/reviews?objective={draft.Id}")).Items.Select(r => r.Id));
        using (var bad = await member.Client.GetAsync("/api/v1/reviews?reviewer=somebody"))
        {
            await Api.AssertProblemAsync(bad, HttpStatusCode.BadRequest);
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task APrivateDraftIsReviewedOnlyByThoseWhoMaySeeItAndItsReviewsStayHidden(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (lead, member, draft, _, _) = await DraftAsync(app, Visibility.Private);
        var viewer = await app.SomeoneAsync("Vera Viewer", Role.Viewer);
        var review = await member.Client.PostAsync<ReviewDto>($"/api/v1/objectives/{draft.Id}/review", new ReviewRequest(lead.Id, null));

        using (var hidden = await viewer.Client.GetAsync($"/api/v1/reviews/{review.Id}"))
        {
            await Api.AssertProblemAsync(hidden, HttpStatusCode.NotFound);
        }

        Assert.Empty((await viewer.Client.GetAsync<Page<ReviewDto>>($"/api/v1/reviews?objective={draft.Id}")).Items);
        await AssertStatusAsync(viewer.Client, $"/api/v1/reviews/{review.Id}/acknowledge", new ReviewAnswerRequest(null), HttpStatusCode.Forbidden);
        var (_, foreignAdmin) = await app.CreateOrganisationAsync($"Foreign {Guid.NewGuid():N}");
        await AssertStatusAsync(foreignAdmin, $"/api/v1/reviews/{review.Id}/acknowledge", new ReviewAnswerRequest(null), HttpStatusCode.NotFound);
        using var creatingInReview = await member.Client.SendJsonAsync(HttpMethod.Post, "/api/v1/objectives",
            new ObjectiveRequest("Skip the queue", null, draft.CycleId, draft.OwnerTeamId, null, ObjectiveState.InReview, Visibility.Public, null));
        await Api.AssertProblemAsync(creatingInReview, HttpStatusCode.BadRequest);
    }
}
