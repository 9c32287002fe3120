using System.Net;
using Okapi.Core.Access;
using Okapi.Core.Kpis;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Sources;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Sources;

/// <summary>Sources are created, validated, and a failing one records why and stores nothing.</summary>
public sealed class KpiSourceTests(OkapiApps apps) : IClassFixture<OkapiApps>, IAsyncLifetime
{
    private LocalListener _listener = null!;

    public async Task InitializeAsync() => _listener = await LocalListener.StartAsync();

    public async Task DisposeAsync() => await _listener.DisposeAsync();

    /// <summary>The provider's app, allowed to call this test's listener.</summary>
    private async Task<OkapiApp> StartAsync(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        await app.AllowHostAsync(_listener.HostAndPort);
        return app;
    }

    private async Task<Kpi> KpiAsync(OkapiApp app, string name) => await app.AddKpiAsync((await app.Admin.CreateTeamAsync($"{name} team")).Id, name);

    private static KpiSourceRequest Json(Guid kpiId, string url, string path = "$.data.total", string schedule = "*/15 * * * *") =>
        new(kpiId, KpiSourceKind.HttpJson, schedule, url, path, null, null, null);

    [Theory]
    [OnEveryDatabase]
    public async Task SourcesAreCreatedReadListedUpdatedAndDeleted(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, "Orders");
        var created = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources", Json(kpi.Id, _listener.Url("/orders"), schedule: "0 * * * *"));
        Assert.Equal(KpiSourceKind.HttpJson, created.Kind);
        Assert.True(created.Enabled);
        Assert.Equal(NextFullHour(app), created.NextRunAt);

        var read = await app.Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{created.Id}");
        Assert.Equal(created.Url, read.Url);
        var list = await app.Admin.GetAsync<Page<KpiSourceDto>>($"/api/v1/kpi-sources?kpi={kpi.Id}");
        Assert.Equal([created.Id], list.Items.Select(s => s.Id));

        // Daily at 06:00 in Berlin is 05:00 UTC in February.
        var updated = await app.Admin.PutAsync<KpiSourceDto>($"/api/v1/kpi-sources/{created.Id}",
            Json(kpi.Id, _listener.Url("/orders"), "$.count", "0 6 * * *"), ifMatch: $"\"{created.Version}\"");
        Assert.Equal("$.count", updated.JsonPath);
        Assert.Equal(new DateTime(2027, 2, 16, 5, 0, 0, DateTimeKind.Utc), updated.NextRunAt);

        using var stale = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/kpi-sources/{created.Id}", Json(kpi.Id, _listener.Url("/orders")), ifMatch: $"\"{created.Version}\"");
        await Api.AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);

        await app.Admin.DeleteOkAsync($"/api/v1/kpi-sources/{created.Id}");
        using var gone = await app.Admin.GetAsync($"/api/v1/kpi-sources/{created.Id}");
        await Api.AssertProblemAsync(gone, HttpStatusCode.NotFound);
    }

    private DateTime NextFullHour(OkapiApp app)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(1);
    }

    [Theory]
    [OnEveryDatabase("http://169.254.169.254/latest/meta-data", "$.x", "*/5 * * * *", "url")]
    [OnEveryDatabase("http://10.0.0.7/metrics", "$.x", "*/5 * * * *", "url")]
    [OnEveryDatabase("ftp://example.com/data.json", "$.x", "*/5 * * * *", "url")]
    [OnEveryDatabase("not a url", "$.x", "*/5 * * * *", "url")]
    [OnEveryDatabase(null, "$.x", "every five minutes", "schedule")]
    [OnEveryDatabase(null, "$.x", "61 * * * *", "schedule")]
    [OnEveryDatabase(null, "$.x", "* * *", "schedule")]
    [OnEveryDatabase(null, "$.data[", "*/5 * * * *", "jsonPath")]
    [OnEveryDatabase(null, "", "*/5 * * * *", "jsonPath")]
    public async Task BadSourcesAreRefusedAndNothingIsStored(DatabaseProvider provider, string? url, string path, string schedule, string field)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, $"Refused {Guid.NewGuid():N}");
        using var response = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-sources", Json(kpi.Id, url ?? _listener.Url("/fine"), path, schedule));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty((await app.Admin.GetAsync<Page<KpiSourceDto>>($"/api/v1/kpi-sources?kpi={kpi.Id}")).Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task LoopbackIsRefusedUnlessTheHostIsAllowed(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, "Loopback");
        using var response = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-sources", Json(kpi.Id, "http://127.0.0.1:1/elsewhere"));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task OnlyThoseWhoMayEditTheKpiSeeAndChangeItsSources(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, "Guarded");
        var source = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources", Json(kpi.Id, _listener.Url("/guarded")));
        var member = await app.Admin.CreatePersonAsync("Mia Member", Role.Member);
        var client = await app.ClientForAsync(member.Id, TokenScope.Read, TokenScope.Write);

        using var create = await client.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-sources", Json(kpi.Id, _listener.Url("/mine")));
        await Api.AssertProblemAsync(create, HttpStatusCode.Forbidden);
        using var read = await client.GetAsync($"/api/v1/kpi-sources/{source.Id}");
        await Api.AssertProblemAsync(read, HttpStatusCode.Forbidden);
        using var run = await client.SendJsonAsync(HttpMethod.Post, $"/api/v1/kpi-sources/{source.Id}/run", new { });
        await Api.AssertProblemAsync(run, HttpStatusCode.Forbidden);
        using var delete = await client.SendJsonAsync(HttpMethod.Delete, $"/api/v1/kpi-sources/{source.Id}", null);
        await Api.AssertProblemAsync(delete, HttpStatusCode.Forbidden);
        Assert.Empty((await client.GetAsync<Page<KpiSourceDto>>($"/api/v1/kpi-sources?kpi={kpi.Id}")).Items);
        Assert.Single((await app.Admin.GetAsync<Page<KpiSourceDto>>($"/api/v1/kpi-sources?kpi={kpi.Id}")).Items);
        Assert.DoesNotContain("/guarded", _listener.Requests);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ADisabledSourceIsNotScheduledAndASixFieldScheduleCountsSeconds(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, "Paused");
        var disabled = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.HttpJson, "*/5 * * * *", _listener.Url("/paused"), "$.x", null, null, false));
        Assert.False(disabled.Enabled);
        Assert.Null(disabled.NextRunAt);
        _listener.Answer("/paused", 200, """{"x":4}""");
        var run = await app.Admin.PostAsync<KpiSourceRunDto>($"/api/v1/kpi-sources/{disabled.Id}/run", new { }, HttpStatusCode.OK);
        Assert.True(run.Succeeded, run.Error); // running by hand works, and schedules nothing
        Assert.Null(run.NextRunAt);
        Assert.Equal(4, Assert.Single(await app.ValuesAsync(kpi.Id)).Value);

        var seconds = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources", Json(kpi.Id, _listener.Url("/seconds"), schedule: "30 * * * * *"));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(30 - app.Clock.GetUtcNow().Second), seconds.NextRunAt);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task SqlAndPrometheusSourcesNeedTheirParts(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, "Parts");
        using var unknownConnection = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.Sql, "0 * * * *", null, null, "okapi", "SELECT 1", null));
        var problem = await Api.AssertProblemAsync(unknownConnection, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("connectionName", out _));

        using var noQuery = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.Prometheus, "0 * * * *", _listener.Url("/"), null, null, null, null));
        problem = await Api.AssertProblemAsync(noQuery, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("query", out _));
    }

    [Theory]
    [OnEveryDatabase(500, """{"data":{"total":1}}""", "$.data.total", "500")]
    [OnEveryDatabase(200, """{"data":{"total":1}}""", "$.data.count", "matches nothing")]
    [OnEveryDatabase(200, """{"data":{"total":"n/a"}}""", "$.data.total", "not a number")]
    [OnEveryDatabase(200, """{"data":{"total":{"a":1}}}""", "$.data.total", "not a number")]
    [OnEveryDatabase(200, "<html>", "$.data.total", "not JSON")]
    [OnEveryDatabase(200, "LARGE", "$.data.total", "larger than 1 MB")]
    public async Task AFailingSourceRecordsWhyAndStoresNothing(DatabaseProvider provider, int status, string body, string path, string error)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, $"Failing {Guid.NewGuid():N}");
        var route = $"/failing/{Guid.NewGuid():N}";
        _listener.Answer(route, status, body == "LARGE" ? "{\"data\":{\"total\":1,\"padding\":\"" + new string('x', 1 << 20) + "\"}}" : body);
        var source = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources", Json(kpi.Id, _listener.Url(route), path));

        var run = await app.Admin.PostAsync<KpiSourceRunDto>($"/api/v1/kpi-sources/{source.Id}/run", new { }, HttpStatusCode.OK);

        Assert.False(run.Succeeded);
        Assert.Null(run.Value);
        Assert.Contains(error, run.Error);
        var after = await app.Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}");
        Assert.Equal(run.Error, after.LastError);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, after.LastRunAt);
        Assert.Null(after.LastSuccessAt);
        Assert.Equal(source.Version, after.Version); // a run is not an edit
        Assert.Empty(await app.ValuesAsync(kpi.Id));
    }

    [Theory]
    [OnEveryDatabase(500, """{"error":"secret-remote-text"}""", "500 Internal Server Error")]
    [OnEveryDatabase(200, """{"data":{"total":"secret-remote-text"}}""", "not a number")]
    [OnEveryDatabase(200, "secret-remote-text", "not JSON")]
    public async Task ALastErrorSaysTheStatusAndOkapisReasonButNoTextOfTheRemoteAnswer(DatabaseProvider provider, int status, string body, string reason)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, $"Echo {Guid.NewGuid():N}");
        var route = $"/echo/{Guid.NewGuid():N}";
        _listener.Answer(route, status, body);
        var source = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources", Json(kpi.Id, _listener.Url(route)));

        var run = await app.Admin.PostAsync<KpiSourceRunDto>($"/api/v1/kpi-sources/{source.Id}/run", new { }, HttpStatusCode.OK);

        var lastError = (await app.Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}")).LastError;
        Assert.False(run.Succeeded);
        Assert.Contains(reason, lastError);
        Assert.DoesNotContain("secret-remote-text", lastError);
        Assert.DoesNotContain("secret-remote-text", run.Error);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheWorkerRunsADueFailingSourceOnceAndSchedulesTheNext(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, "Due");
        var route = $"/due/{Guid.NewGuid():N}";
        _listener.Answer(route, 503, "{}");
        var source = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources", Json(kpi.Id, _listener.Url(route), schedule: "0 * * * *"));
        var due = NextFullHour(app);
        Assert.Equal(due, source.NextRunAt);

        // Two instances' passes at once: the claim lets only one run the source.
        var worker = app.Worker();
        await Task.WhenAll(worker.RunDueAsync(CancellationToken.None), worker.RunDueAsync(CancellationToken.None));
        Assert.DoesNotContain(route, _listener.Requests);

        // The hosted worker wakes on the fake clock too and races the two passes; still only one runs the source.
        app.Clock.Advance(due - app.Clock.GetUtcNow().UtcDateTime);
        await Task.WhenAll(worker.RunDueAsync(CancellationToken.None), worker.RunDueAsync(CancellationToken.None));
        var after = await app.Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}");
        for (var wait = 0; after.LastRunAt is null && wait < 100; wait++)
        {
            await Task.Delay(100);
            after = await app.Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}");
        }

        Assert.Single(_listener.Requests, r => r == route);
        Assert.Contains("503", after.LastError);
        Assert.Equal(due, after.LastRunAt);
        Assert.Equal(due.AddHours(1), after.NextRunAt);
        Assert.Empty(await app.ValuesAsync(kpi.Id));
    }
}
