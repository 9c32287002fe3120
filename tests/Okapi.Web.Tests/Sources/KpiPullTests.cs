using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Sources;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Sources;

/// <summary>Sources pull from real systems: a local HTTP server, a SQLite file, a server answering like Prometheus.</summary>
public sealed class KpiPullTests(SourcesApps apps) : IClassFixture<SourcesApps>, IAsyncLifetime
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

    private async Task<Kpi> KpiAsync(OkapiApp app, string name) => await app.AddKpiAsync((await app.Admin.CreateTeamAsync($"{name} team")).Id, name, Cadence.Daily, PeriodAggregation.Last);

    private Task<KpiSourceRunDto> RunAsync(OkapiApp app, Guid sourceId) =>
        app.Admin.PostAsync<KpiSourceRunDto>($"/api/v1/kpi-sources/{sourceId}/run", new { }, System.Net.HttpStatusCode.OK);

    [Theory]
    [OnEveryDatabase]
    public async Task AnHttpJsonSourceStoresTheNumberAtItsJsonPathAndLinkedKeyResultsFollow(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, "Revenue");
        var route = $"/stats/{Guid.NewGuid():N}";
        _listener.Answer(route, 200, """{"data":{"total":"1250.5","regions":[{"name":"north","n":3},{"name":"south","n":7}]}}""");
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Revenue owners");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Grow revenue we can count on");
        var kr = await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results",
            new KeyResultRequest(objective.Id, "Reach 2000 a day", null, KeyResultType.IncreaseTo, null, 1000, 2000, null, null, null, null, null, kpi.Id));
        var source = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.HttpJson, "*/10 * * * *", _listener.Url(route), "$.data.total", null, null, null));

        var now = app.Clock.GetUtcNow();
        var run = await RunAsync(app, source.Id);

        Assert.True(run.Succeeded, run.Error);
        Assert.Equal(1250.5, run.Value);
        var value = Assert.Single(await app.ValuesAsync(kpi.Id));
        Assert.Equal((now.UtcDateTime, 1250.5, KpiValueSource.Pull), (value.At, value.Value, value.Source));
        var after = await app.Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}");
        Assert.Equal(now.UtcDateTime, after.LastSuccessAt);
        Assert.Null(after.LastError);

        var followed = await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}");
        Assert.Equal(1250.5, followed.Current);
        var checkIn = Assert.Single((await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins")).Items);
        Assert.Equal(CheckInSource.Kpi, checkIn.Source);

        // The worker runs it when due; a JSON number deep in an array works as well as a numeric string.
        await app.Admin.PutAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.HttpJson, "*/10 * * * *", _listener.Url(route), "$.data.regions[?(@.name == 'south')].n", null, null, null));
        var due = (await app.Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}")).NextRunAt!.Value;
        app.Clock.Advance(due - app.Clock.GetUtcNow().UtcDateTime);
        await app.Worker().RunDueAsync(CancellationToken.None);
        await WaitForRunAsync(app, source.Id, due);
        var values = await app.ValuesAsync(kpi.Id);
        Assert.Equal(2, values.Count);
        Assert.Equal((due, 7.0), (values[^1].At, values[^1].Value));
        Assert.Equal(7, (await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}")).Current);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ASqlSourceReadsTheFirstColumnOfTheFirstRowAndNeverChangesTheOtherDatabase(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, "Order volume");
        var sum = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.Sql, "0 0 * * *", null, null, MetricsDatabase.Name, "SELECT SUM(amount), 'ignored' FROM orders", null));
        var run = await RunAsync(app, sum.Id);
        Assert.True(run.Succeeded, run.Error);
        Assert.Equal(500, run.Value);

        var deleting = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.Sql, "0 0 * * *", null, null, MetricsDatabase.Name, "DELETE FROM orders RETURNING id", null));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await RunAsync(app, deleting.Id)).Succeeded);
        await using var connection = new SqliteConnection(apps.Metrics.ConnectionString);
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM orders";
        Assert.Equal(3L, await count.ExecuteScalarAsync());
    }

    [Theory]
    [OnEveryDatabase("SELECT 'many'", "not a number")]
    [OnEveryDatabase("SELECT amount FROM orders WHERE id = 99", "no value")]
    [OnEveryDatabase("SELECT * FROM missing_table", "query failed")]
    public async Task AFailingSqlSourceRecordsWhyAndStoresNothing(DatabaseProvider provider, string query, string error)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, $"Broken query {Guid.NewGuid():N}");
        var source = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.Sql, "0 0 * * *", null, null, MetricsDatabase.Name, query, null));
        var run = await RunAsync(app, source.Id);
        Assert.False(run.Succeeded);
        Assert.Contains(error, run.Error);
        Assert.Equal(run.Error, (await app.Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}")).LastError);
        Assert.Empty(await app.ValuesAsync(kpi.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task APrometheusSourceTakesTheValueOfItsOneSeries(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, "Request rate");
        _listener.Answer("/prometheus/api/v1/query", 200,
            """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"api"},"value":[1786190400.123,"17.25"]}]}}""");
        var query = "sum(rate(http_requests_total{code=~\"5..\"}[5m]))";
        var source = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.Prometheus, "*/5 * * * *", _listener.Url("/prometheus/"), null, null, query, null));

        var run = await RunAsync(app, source.Id);

        Assert.True(run.Succeeded, run.Error);
        Assert.Equal(17.25, run.Value);
        Assert.Equal(17.25, Assert.Single(await app.ValuesAsync(kpi.Id)).Value);
        Assert.Contains($"/prometheus/api/v1/query?query={Uri.EscapeDataString(query)}", _listener.Requests);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task APrometheusQueryWithoutSamplesStoresNothing(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, "Quiet metric");
        _listener.Answer("/empty/api/v1/query", 200, """{"status":"success","data":{"resultType":"vector","result":[]}}""");
        var source = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.Prometheus, "*/5 * * * *", _listener.Url("/empty"), null, null, "up", null));
        var run = await RunAsync(app, source.Id);
        Assert.False(run.Succeeded);
        Assert.Contains("no series", run.Error);
        Assert.Empty(await app.ValuesAsync(kpi.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ARealPrometheusAnswersScalarsAndSingleSeriesAndSeveralSeriesAreAnErrorThatCountsThem(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        await using var prometheus = await PrometheusServer.StartAsync(_listener.BaseUri, "/metrics", "unused");
        await app.AllowHostAsync($"{prometheus.Http.BaseAddress!.Host}:{prometheus.Http.BaseAddress.Port}");
        var kpi = await KpiAsync(app, $"PromQL {Guid.NewGuid():N}");
        async Task<KpiSourceRunDto> PullAsync(string query)
        {
            var source = await app.Admin.PostAsync<KpiSourceDto>("/api/v1/kpi-sources",
                new KpiSourceRequest(kpi.Id, KpiSourceKind.Prometheus, "0 0 * * *", prometheus.Http.BaseAddress!.ToString(), null, null, query, false));
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            return await RunAsync(app, source.Id);
        }

        var scalar = await PullAsync("scalar(vector(42.5))");
        Assert.True(scalar.Succeeded, scalar.Error);
        Assert.Equal(42.5, scalar.Value);

        var vector = await PullAsync("vector(7) * 3");
        Assert.True(vector.Succeeded, vector.Error);
        Assert.Equal(21, vector.Value);

        var three = await PullAsync("""label_replace(vector(1), "zone", "a", "", "") or label_replace(vector(2), "zone", "b", "", "") or label_replace(vector(3), "zone", "c", "", "")""");
        Assert.False(three.Succeeded);
        Assert.Contains("returned 3 series", three.Error);

        var range = await PullAsync("vector(1)[1m:15s]");
        Assert.False(range.Succeeded);
        Assert.Contains("range vector", range.Error);

        Assert.Equal([42.5, 21], (await app.ValuesAsync(kpi.Id)).Select(v => v.Value));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ASourceSendsItsHeaderWhoseValueIsStoredEncryptedAndNeverReturned(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, $"Guarded {Guid.NewGuid():N}");
        var route = $"/guarded/{Guid.NewGuid():N}";
        _listener.Answer(route, 200, """{"total":5}""");
        var secret = $"Bearer tok-{Guid.NewGuid():N}";
        KpiSourceRequest Request(string? name, string? value) =>
            new(kpi.Id, KpiSourceKind.HttpJson, "0 0 * * *", _listener.Url(route), "$.total", null, null, false, name, value);
        string? SentHeader() => _listener.Received.Last(r => r.Path == route).Headers.GetValueOrDefault("Authorization");

        using var created = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-sources", Request("Authorization", secret));
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.DoesNotContain(secret, createdText);
        var source = System.Text.Json.JsonSerializer.Deserialize<KpiSourceDto>(createdText, Api.Json)!;
        Assert.Equal(("Authorization", true), (source.HeaderName, source.HasHeaderValue));

        Assert.True((await RunAsync(app, source.Id)).Succeeded);
        Assert.Equal(secret, SentHeader());

        // Neither the API, nor the database, nor the audit log shows the value.
        foreach (var url in new[] { $"/api/v1/kpi-sources/{source.Id}", $"/api/v1/kpi-sources?kpi={kpi.Id}", $"/api/v1/audit?entityId={source.Id}" })
        {
            Assert.DoesNotContain(secret[7..], await app.Admin.GetStringAsync(url));
        }

        var stored = await app.QueryAsync(db => db.KpiSources.Where(s => s.Id == source.Id).Select(s => s.ProtectedHeaderValue).SingleAsync());
        Assert.DoesNotContain(secret[7..], stored);

        // The name alone keeps the stored value; a new value replaces it; no name sends no header.
        var kept = await app.Admin.PutAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}", Request("Authorization", null));
        Assert.True(kept.HasHeaderValue);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await RunAsync(app, source.Id)).Succeeded);
        Assert.Equal(secret, SentHeader());

        var renamed = await app.Admin.PutAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}", Request("X-API-Key", "key-2"));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await RunAsync(app, source.Id)).Succeeded);
        Assert.Equal(("key-2", null), (_listener.Received.Last(r => r.Path == route).Headers.GetValueOrDefault("X-API-Key"), SentHeader()));

        var removed = await app.Admin.PutAsync<KpiSourceDto>($"/api/v1/kpi-sources/{source.Id}", Request(null, null));
        Assert.Equal((null, false), (removed.HeaderName, removed.HasHeaderValue));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await RunAsync(app, source.Id)).Succeeded);
        Assert.False(_listener.Received.Last(r => r.Path == route).Headers.ContainsKey("X-API-Key"));
        Assert.NotEqual(renamed.Version, removed.Version);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ABadHeaderIsRefusedAndNothingIsStored(DatabaseProvider provider)
    {
        var app = await StartAsync(provider);
        var kpi = await KpiAsync(app, $"Bad header {Guid.NewGuid():N}");
        foreach (var (name, value, field) in new[]
                 {
                     ("Authorization", "Bearer a\r\nX-Injected: 1", "headerValue"),
                     ("Bad Name", "x", "headerName"),
                     ("Host", "example.com", "headerName"),
                     ("Authorization", (string?)null, "headerValue"),
                 })
        {
            var response = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-sources",
                new KpiSourceRequest(kpi.Id, KpiSourceKind.HttpJson, "0 0 * * *", _listener.Url("/x"), "$.total", null, null, false, name, value));
            var errors = (await Api.AssertProblemAsync(response, System.Net.HttpStatusCode.BadRequest)).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"{name}: {errors}");
        }

        var sql = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-sources",
            new KpiSourceRequest(kpi.Id, KpiSourceKind.Sql, "0 0 * * *", null, null, MetricsDatabase.Name, "SELECT 1", false, "Authorization", "x"));
        Assert.True((await Api.AssertProblemAsync(sql, System.Net.HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("headerName", out _));
        Assert.Empty((await app.Admin.GetAsync<Page<KpiSourceDto>>($"/api/v1/kpi-sources?kpi={kpi.Id}")).Items);
    }

    /// <summary>The hosted worker may win the race for a due source; its run (values, followers, record) completes shortly after.</summary>
    private async Task WaitForRunAsync(OkapiApp app, Guid sourceId, DateTime at)
    {
        var source = await app.Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{sourceId}");
        for (var wait = 0; source.LastRunAt != at && wait < 100; wait++)
        {
            await Task.Delay(100);
            source = await app.Admin.GetAsync<KpiSourceDto>($"/api/v1/kpi-sources/{sourceId}");
        }

        Assert.Equal(at, source.LastRunAt);
    }
}
