using System.Net;
using Okapi.Core.Kpis;
using Okapi.Core.Organisations;
using Okapi.Data.Identity;
using Okapi.Web.Features.Sources;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Sources;

/// <summary>Sources are created, validated, and a failing one records why and stores nothing.</summary>
public abstract class KpiSourceTests(OkapiApp app) : IAsyncLifetime
{
    private HttpClient Admin => app.Admin;
    private LocalListener _listener = null!;

    public async Task InitializeAsync()
    {
        _listener = await LocalListener.StartAsync();
        await app.AllowHostAsync(_listener.HostAndPort);
    }

    public async Task DisposeAsync() => await _listener.DisposeAsync();

    private async Task<Kpi> KpiAsync(string name) => await app.AddKpiAsync((await Admin.CreateTeamAsync($"{name} team")).Id, name);

    private static KpiSourceRequest Json(Guid kpiId, string url, string path = "$.data.total", string schedule = "*/15 * * * *") =>
        new(kpiId, KpiSourceKind.HttpJson, schedule, url, path, null, null, null);

    [Fact]
    public async Task SourcesAreCreatedReadListedUpdatedAndDeleted()
    {
        var kpi = await KpiAsync("Orders");
        var created = await Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources", Json(kpi.Id, _listener.Url("/orders"), schedule: "0 * * * *"));
        Assert.Equal(KpiSourceKind.HttpJson, created.Kind);
        Assert.True(created.Enabled);
        Assert.Equal(NextFullHour(), created.NextRunAt);

        var read = await Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{created.Id}");
        Assert.Equal(created.Url, read.Url);
        var list = await Admin.GetAsync<Page<KpiSourceDto>>($"/api/v1/kpi-sources?kpi={kpi.Id}");
        Assert.Equal([created.Id], list.Items.Select(s => s.Id));

        // Daily at 06:00 in Berlin is 05:00 UTC in February.
        var updated = await Admin.PutAsync<KpiSourceDto>($"/api/v1/kpi-sources/{created.Id}",
            Json(kpi.Id, _listener.Url("/orders"), "$.count", "0 6 * * *"), ifMatch: $"\"{created.Version}\"");
        Assert.Equal("$.count", updated.JsonPath);
        Assert.Equal(new DateTime(2027, 2, 16, 5, 0, 0, DateTimeKind.Utc), updated.NextRunAt);

        using var stale = await Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/kpi-sources/{created.Id}", Json(kpi.Id, _listener.Url("/orders")), ifMatch: $"\"{created.Version}\"");
        await Api.AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);

        await Admin.DeleteAsync($"/api/v1/kpi-sources/{created.Id}");
        using var gone = await Admin.GetAsync($"/api/v1/kpi-sources/{created.Id}");
        await Api.AssertProblemAsync(gone, HttpStatusCode.NotFound);
    }

    private DateTime NextFullHour()
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(1);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data", "$.x", "*/5 * * * *", "url")]
    [InlineData("http://10.0.0.7/metrics", "$.x", "*/5 * * * *", "url")]
    [InlineData("ftp://example.com/data.json", "$.x", "*/5 * * * *", "url")]
    [InlineData("not a url", "$.x", "*/5 * * * *", "url")]
    [InlineData(null, "$.x", "every five minutes", "schedule")]
    [InlineData(null, "$.x", "61 * * * *", "schedule")]
    [InlineData(null, "$.x", "* * *", "schedule")]
    [InlineData(null, "$.data[", "*/5 * * * *", "jsonPath")]
    [InlineData(null, "", "*/5 * * * *", "jsonPath")]
    public async Task BadSourcesAreRefusedAndNothingIsStored(string? url, string path, string schedule, string field)
    {
        var kpi = await KpiAsync($"Refused {Guid.NewGuid():N}");
        using var response = await Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-sources", Json(kpi.Id, url ?? _listener.Url("/fine"), path, schedule));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty((await Admin.GetAsync<Page<KpiSourceDto>>($"/api/v1/kpi-sources?kpi={kpi.Id}")).Items);
    }

    [Fact]
    public async Task LoopbackIsRefusedUnlessTheHostIsAllowed()
    {
        var kpi = await KpiAsync("Loopback");
        using var response = await Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-sources", Json(kpi.Id, "http://127.0.0.1:1/elsewhere"));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _));
    }

    [Fact]
    public async Task OnlyThoseWhoMayEditTheKpiSeeAndChangeItsSources()
    {
        var kpi = await KpiAsync("Guarded");
        var source = await Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources", Json(kpi.Id, _listener.Url("/guarded")));
        var member = await Admin.CreatePersonAsync("Mia Member", Role.Member);
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
        Assert.Single((await Admin.GetAsync<Page<KpiSourceDto>>($"/api/v1/kpi-sources?kpi={kpi.Id}")).Items);
        Assert.DoesNotContain("/guarded", _listener.Requests);
    }

    [Fact]
    public async Task ADisabledSourceIsNotScheduledAndASixFieldScheduleCountsSeconds()
    {
        var kpi = await KpiAsync("Paused");
        var disabled = await Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.HttpJson, "*/5 * * * *", _listener.Url("/paused"), "$.x", null, null, false));
        Assert.False(disabled.Enabled);
        Assert.Null(disabled.NextRunAt);
        _listener.Answer("/paused", 200, """{"x":4}""");
        var run = await Admin.PostAsync<KpiSourceRunDto>($"/api/v1/kpi-sources/{disabled.Id}/run", new { }, HttpStatusCode.OK);
        Assert.True(run.Succeeded, run.Error); // running by hand works, and schedules nothing
        Assert.Null(run.NextRunAt);
        Assert.Equal(4, Assert.Single(await app.ValuesAsync(kpi.Id)).Value);

        var seconds = await Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources", Json(kpi.Id, _listener.Url("/seconds"), schedule: "30 * * * * *"));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(30 - app.Clock.GetUtcNow().Second), seconds.NextRunAt);
    }

    [Fact]
    public async Task SqlAndPrometheusSourcesNeedTheirParts()
    {
        var kpi = await KpiAsync("Parts");
        using var unknownConnection = await Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.Sql, "0 * * * *", null, null, "okapi", "SELECT 1", null));
        var problem = await Api.AssertProblemAsync(unknownConnection, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("connectionName", out _));

        using var noQuery = await Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.Prometheus, "0 * * * *", _listener.Url("/"), null, null, null, null));
        problem = await Api.AssertProblemAsync(noQuery, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("query", out _));
    }

    [Theory]
    [InlineData(500, """{"data":{"total":1}}""", "$.data.total", "500")]
    [InlineData(200, """{"data":{"total":1}}""", "$.data.count", "matches nothing")]
    [InlineData(200, """{"data":{"total":"n/a"}}""", "$.data.total", "not a number")]
    [InlineData(200, """{"data":{"total":{"a":1}}}""", "$.data.total", "not a number")]
    [InlineData(200, "<html>", "$.data.total", "not JSON")]
    [InlineData(200, "LARGE", "$.data.total", "larger than 1 MB")]
    public async Task AFailingSourceRecordsWhyAndStoresNothing(int status, string body, string path, string error)
    {
        var kpi = await KpiAsync($"Failing {Guid.NewGuid():N}");
        var route = $"/failing/{Guid.NewGuid():N}";
        _listener.Answer(route, status, body == "LARGE" ? "{\"data\":{\"total\":1,\"padding\":\"" + new string('x', 1 << 20) + "\"}}" : body);
        var source = await Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources", Json(kpi.Id, _listener.Url(route), path));

        var run = await Admin.PostAsync<KpiSourceRunDto>($"/api/v1/kpi-sources/{source.Id}/run", new { }, HttpStatusCode.OK);

        Assert.False(run.Succeeded);
        Assert.Null(run.Value);
        Assert.Contains(error, run.Error);
        var after = await Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}");
        Assert.Equal(run.Error, after.LastError);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, after.LastRunAt);
        Assert.Null(after.LastSuccessAt);
        Assert.Equal(source.Version, after.Version); // a run is not an edit
        Assert.Empty(await app.ValuesAsync(kpi.Id));
    }

    [Fact]
    public async Task TheWorkerRunsADueFailingSourceOnceAndSchedulesTheNext()
    {
        var kpi = await KpiAsync("Due");
        var route = $"/due/{Guid.NewGuid():N}";
        _listener.Answer(route, 503, "{}");
        var source = await Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources", Json(kpi.Id, _listener.Url(route), schedule: "0 * * * *"));
        var due = NextFullHour();
        Assert.Equal(due, source.NextRunAt);

        // Two instances' passes at once: the claim lets only one run the source.
        var worker = app.Worker();
        await Task.WhenAll(worker.RunDueAsync(CancellationToken.None), worker.RunDueAsync(CancellationToken.None));
        Assert.DoesNotContain(route, _listener.Requests);

        // The hosted worker wakes on the fake clock too and races the two passes; still only one runs the source.
        app.Clock.Advance(due - app.Clock.GetUtcNow().UtcDateTime);
        await Task.WhenAll(worker.RunDueAsync(CancellationToken.None), worker.RunDueAsync(CancellationToken.None));
        var after = await Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}");
        for (var wait = 0; after.LastRunAt is null && wait < 100; wait++)
        {
            await Task.Delay(100);
            after = await Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}");
        }

        Assert.Single(_listener.Requests, r => r == route);
        Assert.Contains("503", after.LastError);
        Assert.Equal(due, after.LastRunAt);
        Assert.Equal(due.AddHours(1), after.NextRunAt);
        Assert.Empty(await app.ValuesAsync(kpi.Id));
    }
}

public sealed class KpiSourceOnSqlite(SqliteApp app) : KpiSourceTests(app), IClassFixture<SqliteApp>;

public sealed class KpiSourceOnPostgres(PostgresApp app) : KpiSourceTests(app), IClassFixture<PostgresApp>;
