using System.Net;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Audit;
using Okapi.Web.Features.Closing;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Search;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Alignment;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Archiving;

/// <summary>An archived objective leaves the lists and rollups, is read-only, and comes back as it was when restored.</summary>
public sealed class ObjectiveArchiveTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private const string ReadOnly = "The objective is archived; restore it first to change it.";

    private static async Task<(Guid CycleId, Guid TeamId, ObjectiveDto Kept, ObjectiveDto Archived, KeyResultDto KeyResult)> ArrangeAsync(OkapiApp app, string name)
    {
        var team = await app.Admin.CreateTeamAsync(name);
        var cycle = await app.Admin.CreateCycleAsync($"{name} Q1");
        var kept = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, $"{name} keeps customers");
        var archived = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, $"{name} retires the old portal");
        var kr = await app.Admin.CreateKeyResultAsync(archived.Id, "Move portal users from 0 to 100", 0, 100);
        return (cycle.Id, team.Id, kept, archived, kr);
    }

    private static Task<ObjectiveDto> ArchiveAsync(OkapiApp app, Guid id) =>
        app.Admin.PostAsync<ObjectiveDto>($"/api/v1/objectives/{id}/archive", new { }, HttpStatusCode.OK);

    private static async Task AssertConflictAsync(HttpResponseMessage response, string because)
    {
        using (response)
        {
            var problem = await Api.AssertProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Equal(because, problem.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnArchivedObjectiveLeavesTheListsSearchAndAlignmentAndIsFoundWithArchivedTrue(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycleId, _, kept, archived, kr) = await ArrangeAsync(app, "Hidden");

        var answer = await ArchiveAsync(app, archived.Id);

        Assert.NotNull(answer.ArchivedAt);
        Assert.False(answer.CanEdit);
        Assert.True(answer.CanRestore);
        Assert.Equal([kept.Id], (await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={cycleId}")).Items.Select(o => o.Id));
        Assert.Equal([archived.Id], (await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={cycleId}&archived=true")).Items.Select(o => o.Id));
        Assert.Empty((await app.Admin.GetAsync<Page<KeyResultDto>>($"/api/v1/key-results?cycle={cycleId}")).Items);
        Assert.DoesNotContain((await app.Admin.GetAsync<List<SearchHit>>("/api/v1/search?q=portal")), h => h.Id == archived.Id || h.Id == kr.Id);
        var alignment = await app.Admin.GetAsync<AlignmentDto>($"/api/v1/alignment?cycle={cycleId}");
        Assert.DoesNotContain(alignment.Objectives, o => o.Id == archived.Id);
        Assert.DoesNotContain(alignment.Unaligned, id => id == archived.Id);

        // Still readable by its id, with its key result.
        var read = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{archived.Id}");
        Assert.Equal(answer.ArchivedAt, read.ArchivedAt);
        Assert.Equal([kr.Id], read.KeyResults.Select(k => k.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnArchivedObjectiveRefusesEditsCheckInsAndNewKeyResultsUntilRestored(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycleId, teamId, _, archived, kr) = await ArrangeAsync(app, "Frozen");
        await ArchiveAsync(app, archived.Id);

        var edit = new ObjectiveRequest("Renamed", null, cycleId, teamId, null, null, null, null);
        await AssertConflictAsync(await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/objectives/{archived.Id}", edit), ReadOnly);
        await AssertConflictAsync(await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(40, Confidence.OnTrack, null, null)), ReadOnly);
        await AssertConflictAsync(await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/key-results",
            new KeyResultRequest(archived.Id, "Close the portal", null, KeyResultType.IncreaseTo, null, 0, 1, null, null, 1, null, null)), ReadOnly);
        await AssertConflictAsync(await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/objectives/{archived.Id}/archive", null), "The objective is already archived.");
        Assert.Equal(archived.Title, (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{archived.Id}")).Title);
        Assert.Empty((await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins")).Items);

        var restored = await app.Admin.PostAsync<ObjectiveDto>($"/api/v1/objectives/{archived.Id}/restore", new { }, HttpStatusCode.OK);

        Assert.Null(restored.ArchivedAt);
        Assert.True(restored.CanEdit);
        Assert.Equal([kr.Id], restored.KeyResults.Select(k => k.Id));
        Assert.Contains((await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={cycleId}")).Items, o => o.Id == archived.Id);
        Assert.Equal("Renamed", (await app.Admin.PutAsync<ObjectiveDto>($"/api/v1/objectives/{archived.Id}", edit)).Title);
        using var checkIn = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{kr.Id}/check-ins", new CheckInRequest(40, Confidence.OnTrack, null, null));
        Assert.Equal(HttpStatusCode.Created, checkIn.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task RestoringAnActiveObjectiveIsRefusedAndAnUnknownOneIsNotFound(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (_, _, kept, _, _) = await ArrangeAsync(app, "Active");

        await AssertConflictAsync(await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/objectives/{kept.Id}/restore", null), "The objective is not archived.");
        using var unknown = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/objectives/{Guid.NewGuid()}/archive", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnObjectiveOfAClosedCycleIsNeitherArchivedNorRestored(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycleId, teamId, kept, archived, _) = await ArrangeAsync(app, "Closed");
        await ArchiveAsync(app, archived.Id);
        await app.Admin.PostAsync<ClosingDto>($"/api/v1/cycles/{cycleId}/closings", new CloseRequest(teamId, null, null, null, null));

        const string closed = "The objective was closed with the cycle Closed Q1; it is read-only.";
        await AssertConflictAsync(await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/objectives/{kept.Id}/archive", null), closed);
        await AssertConflictAsync(await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/objectives/{archived.Id}/restore", null), closed);
        Assert.NotNull((await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{archived.Id}")).ArchivedAt);
        Assert.Null((await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{kept.Id}")).ArchivedAt);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnArchivedChildCountsInNoParentsRollupUntilRestored(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Rollup");
        var cycle = await app.Admin.CreateCycleAsync("Rollup Q1");
        var parent = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Rollup grows");
        var done = await app.Admin.AlignedObjectiveAsync(cycle.Id, team.Id, "Rollup ships the app", parent.Id);
        var lagging = await app.Admin.AlignedObjectiveAsync(cycle.Id, team.Id, "Rollup opens a shop", parent.Id);
        var doneKr = await app.Admin.CreateKeyResultAsync(done.Id, "Ship from 0 to 10 screens", 0, 10);
        await app.Admin.CreateKeyResultAsync(lagging.Id, "Sell from 0 to 10 items", 0, 10);
        await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{doneKr.Id}/check-ins", new CheckInRequest(10, Confidence.OnTrack, null, null));
        async Task<double> ParentProgressAsync() => (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{parent.Id}")).Progress;
        Assert.Equal(0.5, await ParentProgressAsync(), 1e-9);

        await ArchiveAsync(app, lagging.Id);
        Assert.Equal(1, await ParentProgressAsync(), 1e-9);

        await app.Admin.PostAsync<ObjectiveDto>($"/api/v1/objectives/{lagging.Id}/restore", new { }, HttpStatusCode.OK);
        Assert.Equal(0.5, await ParentProgressAsync(), 1e-9);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ArchivingAndRestoringAreAudited(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (_, _, _, archived, _) = await ArrangeAsync(app, "Audited");

        await ArchiveAsync(app, archived.Id);
        await app.Admin.PostAsync<ObjectiveDto>($"/api/v1/objectives/{archived.Id}/restore", new { }, HttpStatusCode.OK);

        var events = (await app.Admin.GetAsync<Page<AuditEventDto>>($"/api/v1/audit?entityId={archived.Id}")).Items;
        // Creation records archivedAt too (as null); the archive and the restore each change it.
        var changes = events.Where(e => e.Changes.TryGetProperty("archivedAt", out var change) && change.TryGetProperty("before", out _)).ToList();
        Assert.Equal(2, changes.Count);
    }
}
