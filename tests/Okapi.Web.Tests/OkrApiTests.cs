using System.Net;
using System.Text.Json;
using Okapi.Core.Okrs;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Web.Features.Audit;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

public sealed class OkrApiTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task ObjectivesAreCreatedReadListedUpdatedAndDeleted(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Sales");
        var created = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Delight more customers into buying from us");
        Assert.Equal("Delight more customers into buying from us", created.Title);
        Assert.Equal(["retention"], created.Tags);

        var read = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{created.Id}");
        Assert.Equal(created.Id, read.Id);

        var list = await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={cycle.Id}&team={team.Id}&tag=retention&state=active");
        Assert.Equal([created.Id], list.Items.Select(o => o.Id));

        var updated = await app.Admin.PutAsync<ObjectiveDto>($"/api/v1/objectives/{created.Id}",
            new ObjectiveRequest("Win customers who come back", "Returning customers", cycle.Id, team.Id, null, ObjectiveState.Active, Visibility.Public, ["retention", "revenue"]),
            ifMatch: $"\"{created.Version}\"");
        Assert.Equal("Win customers who come back", updated.Title);
        Assert.Equal(created.Version + 1, updated.Version);
        Assert.Empty((await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={cycle.Id}&tag=nothing")).Items);

        await app.Admin.DeleteOkAsync($"/api/v1/objectives/{created.Id}");
        using var gone = await app.Admin.GetAsync($"/api/v1/objectives/{created.Id}");
        await Api.AssertProblemAsync(gone, HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ListsArePaginated(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync("Paged");
        var team = await app.Admin.CreateTeamAsync("Paging team");
        for (var i = 0; i < 5; i++)
        {
            await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, $"Objective number {i}");
        }

        var second = await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={cycle.Id}&page=2&pageSize=2");
        Assert.Equal(5, second.Total);
        Assert.Equal(2, second.PageNumber);
        Assert.Equal(["Objective number 2", "Objective number 3"], second.Items.Select(o => o.Title));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task KeyResultsAndCheckInsCarryTheComputedFields(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Success");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var kr = await app.Admin.CreateKeyResultAsync(objective.Id);
        Assert.Equal(0, kr.Progress);
        Assert.False(kr.Stale, "a key result created today is not stale yet");
        app.Clock.Advance(TimeSpan.FromDays(8));
        Assert.True((await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}")).Stale, "eight days without a check-in");

        // 30 → 50 with 40 checked in: half way; two check-ins fall back to the pace forecast.
        await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(35, Confidence.OnTrack, "First week", app.Clock.GetUtcNow().AddDays(-7)));
        var checkedIn = await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(40, Confidence.OnTrack, "Half way", null));
        Assert.Equal(40, checkedIn.Current);
        Assert.Equal(0.5, checkedIn.Progress, 9);
        Assert.Equal(0.5, checkedIn.Grade);
        Assert.False(checkedIn.Stale);
        Assert.Equal(ForecastMethod.Pace, checkedIn.Forecast.Method);
        Assert.Equal(Math.Min(1, 0.5 / checkedIn.ExpectedPace), checkedIn.Forecast.Value, 9);
        Assert.Equal(Confidence.OnTrack, checkedIn.LastConfidence);

        var history = await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins");
        Assert.Equal([40.0, 35.0], history.Items.Select(c => c.Value));

        var withKr = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}");
        Assert.Equal(0.5, withKr.Progress, 9);
        Assert.Equal([kr.Id], withKr.KeyResults.Select(k => k.Id));

        var listed = await app.Admin.GetAsync<Page<KeyResultDto>>($"/api/v1/key-results?objective={objective.Id}");
        Assert.Equal(0.5, Assert.Single(listed.Items).Progress, 9);

        await app.Admin.DeleteOkAsync($"/api/v1/key-results/{kr.Id}/check-ins/{history.Items[0].Id}");
        Assert.Equal(35, (await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}")).Current);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ATrendOfCheckInsAtHalfThePaceForecastsHalfAndIsAtRisk(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Forecasting");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var kr = await app.Admin.CreateKeyResultAsync(objective.Id, "Grow weekly sales from 0 to 90", 0, 90);

        // Berlin's Q1 2027 runs from 2026-12-31T23:00Z for exactly 89 days and 23 hours; values on a line that
        // reaches 45 (half of the target) at that end.
        var windowStart = new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero);
        var length = new DateTimeOffset(2027, 3, 31, 22, 0, 0, TimeSpan.Zero) - windowStart;
        KeyResultDto latest = kr;
        foreach (var days in new[] { 7, 21, 35, 42 })
        {
            var at = windowStart.AddDays(days);
            latest = await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}/check-ins",
                new CheckInRequest(45 * (at - windowStart) / length, Confidence.OnTrack, null, at));
        }

        Assert.Equal(ForecastMethod.Trend, latest.Forecast.Method);
        Assert.Equal(0.5, latest.Forecast.Value, 6);
        Assert.Equal(OkrStatus.AtRisk, latest.Status);
        Assert.False(latest.ConfidenceDisagrees);
        Assert.InRange(0.5, latest.Forecast.Low, latest.Forecast.High);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnObjectiveWithoutKeyResultsRollsUpItsChildrenByWeight(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Rollup");
        var parent = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Grow a business our customers love");
        var full = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Be loved by customers");
        var empty = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Be found by customers");
        var done = await app.Admin.CreateKeyResultAsync(full.Id, "Reach 50 % satisfaction", 30, 50);
        await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{done.Id}/check-ins", new CheckInRequest(50, Confidence.OnTrack, null, null));
        await app.Admin.CreateKeyResultAsync(empty.Id, "Reach 60,000 visits", 40_000, 60_000);

        var link = await app.Admin.PostAsync<AlignmentLinkDto>($"/api/v1/objectives/{full.Id}/parents", new AlignmentLinkRequest(parent.Id, null, 3, true));
        await app.Admin.PostAsync<AlignmentLinkDto>($"/api/v1/objectives/{empty.Id}/parents", new AlignmentLinkRequest(parent.Id, null, 1, true));

        // (1 × 3 + 0 × 1) / 4
        Assert.Equal(0.75, (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{parent.Id}")).Progress, 9);
        Assert.Equal([parent.Id], (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{full.Id}")).Parents.Select(p => p.ParentObjectiveId!.Value));

        await app.Admin.DeleteOkAsync($"/api/v1/objectives/{full.Id}/parents/{link.Id}");
        Assert.Equal(0, (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{parent.Id}")).Progress, 9);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ObjectivesAndKeyResultsFetchedByIdCarryTheirInitiativesAsTheListShowsThem(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Initiatives by id");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var kr = await app.Admin.CreateKeyResultAsync(objective.Id);
        var other = await app.Admin.CreateKeyResultAsync(objective.Id, "Cut the churn rate from 8 % to 5 %", 8, 5, KeyResultType.DecreaseTo);
        await app.Admin.PostAsync<InitiativeDto>("/api/v1/initiatives",
            new InitiativeRequest(objective.Id, kr.Id, "Call every detractor back", app.AdminId, InitiativeState.Doing, new DateOnly(2027, 3, 1)));
        await app.Admin.PostAsync<InitiativeDto>("/api/v1/initiatives",
            new InitiativeRequest(objective.Id, other.Id, "Exit interviews", null, InitiativeState.Todo, null));
        await app.Admin.PostAsync<InitiativeDto>("/api/v1/initiatives",
            new InitiativeRequest(objective.Id, null, "Publish the roadmap", null, InitiativeState.Done, null));

        var ofObjective = (await app.Admin.GetAsync<Page<InitiativeDto>>($"/api/v1/initiatives?objective={objective.Id}")).Items;
        var ofKeyResult = (await app.Admin.GetAsync<Page<InitiativeDto>>($"/api/v1/initiatives?keyResult={kr.Id}")).Items;
        Assert.Equal(3, ofObjective.Count);
        Assert.Equal(ofObjective, (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}")).Initiatives);
        Assert.Equal(ofKeyResult, (await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}")).Initiatives);
        Assert.Equal(["Call every detractor back"], ofKeyResult.Select(i => i.Title));
        Assert.Null((await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={cycle.Id}")).Items.Single().Initiatives);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task InitiativesAreCreatedReadListedUpdatedAndDeleted(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Initiatives");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var kr = await app.Admin.CreateKeyResultAsync(objective.Id);
        var created = await app.Admin.PostAsync<InitiativeDto>("/api/v1/initiatives",
            new InitiativeRequest(objective.Id, kr.Id, "Call every detractor back", app.AdminId, InitiativeState.Todo, new DateOnly(2027, 3, 1)));
        Assert.Equal(created.Id, (await app.Admin.GetAsync<InitiativeDto>($"/api/v1/initiatives/{created.Id}")).Id);
        Assert.Equal([created.Id], (await app.Admin.GetAsync<Page<InitiativeDto>>($"/api/v1/initiatives?keyResult={kr.Id}")).Items.Select(i => i.Id));

        var updated = await app.Admin.PutAsync<InitiativeDto>($"/api/v1/initiatives/{created.Id}",
            new InitiativeRequest(objective.Id, kr.Id, "Call every detractor back", app.AdminId, InitiativeState.Done, null), ifMatch: $"\"{created.Version}\"");
        Assert.Equal(InitiativeState.Done, updated.State);
        Assert.Equal(0, (await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}")).Progress);

        await app.Admin.DeleteOkAsync($"/api/v1/initiatives/{created.Id}");
        Assert.Empty((await app.Admin.GetAsync<Page<InitiativeDto>>($"/api/v1/initiatives?objective={objective.Id}")).Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task CommentsAreThreadedAndTheirMarkdownIsSanitised(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Comments");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var comment = await app.Admin.PostAsync<CommentDto>("/api/v1/comments",
            new CommentRequest(objective.Id, null, null, "**Great** start <script>alert(1)</script> [link](javascript:alert(1))"));
        Assert.Contains("<strong>Great</strong>", comment.BodyHtml);
        Assert.DoesNotContain("<script>", comment.BodyHtml);
        Assert.DoesNotContain("javascript:", comment.BodyHtml);

        var reply = await app.Admin.PostAsync<CommentDto>("/api/v1/comments", new CommentRequest(objective.Id, null, comment.Id, "Agreed"));
        Assert.Equal(comment.Id, reply.ParentCommentId);
        Assert.Equal(2, (await app.Admin.GetAsync<Page<CommentDto>>($"/api/v1/comments?objective={objective.Id}")).Total);

        var edited = await app.Admin.PutAsync<CommentDto>($"/api/v1/comments/{reply.Id}", new CommentUpdateRequest("Agreed, *fully*"), ifMatch: $"\"{reply.Version}\"");
        Assert.Contains("<em>fully</em>", edited.BodyHtml);
        Assert.Equal(edited.Body, (await app.Admin.GetAsync<CommentDto>($"/api/v1/comments/{reply.Id}")).Body);

        await app.Admin.DeleteOkAsync($"/api/v1/comments/{comment.Id}");
        Assert.Equal(0, (await app.Admin.GetAsync<Page<CommentDto>>($"/api/v1/comments?objective={objective.Id}")).Total);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ConcurrentCheckInsAllLandAndTheNewestSetsTheCurrentValue(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Busy");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var kr = await app.Admin.CreateKeyResultAsync(objective.Id);
        var now = app.Clock.GetUtcNow();
        var responses = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(30 + i, null, null, now.AddMinutes(-10 + i)))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var after = await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}");
        Assert.Equal(38, after.Current);
        Assert.Equal(8, (await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins")).Total);
        Assert.True(after.Version > kr.Version, "a check-in changes the key result's ETag");
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ALongNonLatinDescriptionIsSavedAndAudited(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Ελληνικά");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var description = string.Concat(Enumerable.Repeat("Ικανοποίηση πελατών ", 900));
        var updated = await app.Admin.PutAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}",
            new ObjectiveRequest("Κάνουμε τους πελάτες ευτυχισμένους", description, cycle.Id, team.Id, null, null, null, null));
        Assert.Equal(description, updated.Description);
        var events = await app.Admin.GetAsync<Page<AuditEventDto>>($"/api/v1/audit?entityId={objective.Id}&action=update");
        Assert.StartsWith("Ικανοποίηση", events.Items.Single().Changes.GetProperty("description").GetProperty("after").GetString());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AStaleIfMatchIsRejectedWith412AndNothingChanges(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Concurrency");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "The original title");
        var request = new ObjectiveRequest("First writer wins", null, cycle.Id, team.Id, null, null, null, null);
        using var first = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{objective.Id}", request, $"\"{objective.Version}\"");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal($"\"{objective.Version + 1}\"", first.Headers.ETag?.ToString());

        using var second = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{objective.Id}", request with { Title = "Second writer loses" }, $"\"{objective.Version}\"");
        await Api.AssertProblemAsync(second, HttpStatusCode.PreconditionFailed);
        Assert.Equal("First writer wins", (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}")).Title);

        var kr = await app.Admin.CreateKeyResultAsync(objective.Id);
        using var staleDelete = await app.Admin.SendJsonAsync(HttpMethod.Delete, $"/api/v1/key-results/{kr.Id}", null, "\"99\"");
        await Api.AssertProblemAsync(staleDelete, HttpStatusCode.PreconditionFailed);
        Assert.Equal(kr.Id, (await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}")).Id);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task EveryChangeWritesAnAuditEventWithActorAndChangedFields(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Audited");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Before");
        await app.Admin.PutAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}", new ObjectiveRequest("After", null, cycle.Id, team.Id, null, null, null, null));
        await app.Admin.DeleteOkAsync($"/api/v1/objectives/{objective.Id}");

        var events = await app.Admin.GetAsync<Page<AuditEventDto>>($"/api/v1/audit?entityId={objective.Id}");
        Assert.Equal(["Delete", "Update", "Create"], events.Items.Select(e => e.Action.ToString()));
        Assert.All(events.Items, e => Assert.Equal(app.AdminId, e.ActorId));
        Assert.All(events.Items, e => Assert.Equal("Objective", e.EntityType));
        var update = events.Items[1].Changes.GetProperty("title");
        Assert.Equal("Before", update.GetProperty("before").GetString());
        Assert.Equal("After", update.GetProperty("after").GetString());
        Assert.Equal(JsonValueKind.Object, events.Items[2].Changes.GetProperty("cycleId").ValueKind);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheLinterFlagsANumberInATitleAndAnActivityKeyResult(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync("Lint");
        var team = await app.Admin.CreateTeamAsync("Linted");
        var weak = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Increase sales by 20 % this quarter");
        await app.Admin.CreateKeyResultAsync(weak.Id, "Hold 12 sales training sessions", 0, 12);

        var findings = await app.Admin.GetAsync<JsonElement>($"/api/v1/lint?objective={weak.Id}");
        var rules = findings.EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()).ToList();
        Assert.Contains("objective-title-number", rules);
        Assert.Contains("key-result-activity", rules);
        Assert.Contains("objective-too-few-key-results", rules);
        Assert.All(findings.EnumerateArray(), f => Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("fix").GetString())));

        var byCycle = await app.Admin.GetAsync<JsonElement>($"/api/v1/lint?cycle={cycle.Id}&team={team.Id}");
        Assert.Contains(byCycle.EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "objective-title-number");
        Assert.NotEmpty((await app.Admin.GetAsync<JsonElement>("/api/v1/lint/rules")).EnumerateArray());
    }
}
