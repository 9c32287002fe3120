using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Alerts;
using Okapi.Data;
using Okapi.Web.Features.Rhythm;
using Okapi.Web.Tests.Alerts;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;
using Okapi.Web.Tests.Rhythm;

namespace Okapi.Web.Tests.Telemetry;

/// <summary>
/// Instruments are found by meter name across the process, so another test's app ingesting at the same time would move
/// this one's counters: these tests run alone, after the others.
/// </summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;

/// <summary><c>/metrics</c> as Prometheus's own parser reads it, and OTLP export to a real listener.</summary>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task MetricsParseWithPromtoolAndMoveWithRequestsAndIngestedValues(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var before = await ScrapeAsync(app.Admin);
        var requestsBefore = Sum(before, "http_server_request_duration_seconds_count");
        var valuesBefore = Sum(before, "okapi_ingestion_values_total");
        var batchesBefore = Sum(before, "okapi_ingestion_batch_size_count");

        var team = await app.Admin.CreateTeamAsync($"Growth {Guid.NewGuid():N}");
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request($"Signups {Guid.NewGuid():N}", team.Id));
        var now = app.Clock.GetUtcNow();
        await app.Admin.AddValuesAsync(kpi.Id, Enumerable.Range(1, 7).Select(i => new { at = now.AddMinutes(-i), value = (double)i }).ToArray());
        for (var i = 0; i < 5; i++)
        {
            (await app.Admin.GetAsync("/api/v1/kpis")).EnsureSuccessStatusCode();
        }

        // The exporter keeps a scrape's answer for a moment; the next ones see the new figures.
        var after = await Eventually.FindAsync(async () =>
        {
            var scrape = await ScrapeAsync(app.Admin);
            return Sum(scrape, "okapi_ingestion_values_total") > valuesBefore ? scrape : null;
        }, "a scrape with the ingested values");
        Assert.Equal(valuesBefore + 7, Sum(after, "okapi_ingestion_values_total"));
        Assert.Equal(batchesBefore + 1, Sum(after, "okapi_ingestion_batch_size_count"));
        Assert.True(Sum(after, "http_server_request_duration_seconds_count") >= requestsBefore + 8,
            $"The request count went from {requestsBefore} to {Sum(after, "http_server_request_duration_seconds_count")} after 8 requests.");
        Assert.Contains("http_server_request_duration_seconds_bucket{", after);
        Assert.Contains("okapi_outbox_pending", after);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnAlertThatFiresAndItsFailedDeliveryAreCounted(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var before = await ScrapeAsync(app.Admin);
        var team = await app.Admin.CreateTeamAsync($"Sales {Guid.NewGuid():N}");
        var kpi = await app.CreateKpiAsync(team.Id);
        // An email channel while no SMTP server is configured: its delivery is attempted once and fails for good.
        var channel = await app.CreateChannelAsync();
        await app.Admin.CreateRuleAsync(AlertArrangements.Rule(kpi.Id, channelIds: channel.Id));
        // A delivery waiting for a retry next week: the outbox's depth counts it.
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.QueryAsync(db =>
        {
            db.Deliveries.Add(new Delivery { ChannelId = channel.Id, Event = NotificationEvent.Test, Payload = "{}", CreatedAt = now, NextAttemptAt = now.AddDays(7) });
            return db.SaveChangesAsync();
        });

        await app.StoreValueAsync(kpi.Id, 0.5);

        const string Attempts = "okapi_outbox_attempts_total{otel_scope_name=\"Okapi\",okapi_channel_kind=\"email\"}";
        var after = await Eventually.FindAsync(async () =>
        {
            var scrape = await ScrapeAsync(app.Admin);
            return Sample(scrape, Attempts) > Sample(before, Attempts) ? scrape : null;
        }, "a scrape with the delivery's attempt");
        Assert.Equal(Sum(before, "okapi_alert_firings_total") + 1, Sum(after, "okapi_alert_firings_total"));
        Assert.Equal(Sample(before, Attempts) + 1, Sample(after, Attempts));
        Assert.Equal(Sum(before, "okapi_outbox_failures_total") + 1, Sum(after, "okapi_outbox_failures_total"));
        Assert.True(Sum(after, "okapi_alert_evaluation_duration_seconds_count") > Sum(before, "okapi_alert_evaluation_duration_seconds_count"));
        var pending = await app.QueryAsync(db => db.Deliveries.IgnoreQueryFilters().CountAsync(d => d.State == DeliveryState.Pending));
        Assert.True(pending >= 1);
        Assert.Equal(pending, Sum(after, "okapi_outbox_pending"));
    }

    [Fact]
    public async Task JobRunsAndFailuresAreCountedByKind()
    {
        await using var app = new OkapiApp(DatabaseProvider.Sqlite, new AppOptions { Configure = b => b.ConfigureServices(FlakyWork.Register) });
        await app.InitializeAsync();
        await app.CreateOrganisationAsync($"Flaky {Guid.NewGuid():N}");
        app.Services.GetRequiredService<FlakyState>().FailuresLeft = 1;
        var runner = app.Services.GetRequiredService<JobRunner>();
        const string Runs = "okapi_job_runs_total{otel_scope_name=\"Okapi\",okapi_job_kind=\"flaky-test-work\"}";
        const string Failures = "okapi_job_failures_total{otel_scope_name=\"Okapi\",okapi_job_kind=\"flaky-test-work\"}";

        // A week on, the organisation's check-in hour has come once since it was created.
        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromHours(1));
        await runner.RunDueAsync(CancellationToken.None);
        app.Clock.Advance(JobRunner.RetryAfter(1) + TimeSpan.FromSeconds(1));
        await runner.RunDueAsync(CancellationToken.None);

        var scrape = await Eventually.FindAsync(async () =>
        {
            var body = await ScrapeAsync(app.Admin);
            return Sample(body, Runs) >= 2 ? body : null;
        }, "a scrape with both runs");
        Assert.Equal((2, 1), (Sample(scrape, Runs), Sample(scrape, Failures)));
        Assert.Equal(2, Sample(scrape, "okapi_job_duration_seconds_count{otel_scope_name=\"Okapi\",okapi_job_kind=\"flaky-test-work\"}"));
    }

    [Fact]
    public async Task MetricsNeedAScrapeTokenUnlessConfiguredAnonymous()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var anonymous = app.CreateClient();
        using var refused = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        await using var open = new OkapiApp(DatabaseProvider.Sqlite, new AppOptions { Configure = b => b.UseSetting("Okapi:Telemetry:AnonymousMetrics", "true") });
        await open.InitializeAsync();
        using var client = open.CreateClient();
        using var scraped = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.StartsWith("text/plain", scraped.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task WithAnOtlpEndpointTracesAndMetricsOfAnApiCallReachTheCollector(DatabaseProvider provider)
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        var (collector, url) = await Listening.StartHttpAsync(web => web.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            received.Enqueue((http.Request.Path, body.ToArray()));
            return Results.Ok();
        }));
        await using var _ = collector;
        await using var app = new OkapiApp(provider, new AppOptions
        {
            Configure = b => b
                .UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", url.ToString())
                .UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .UseSetting("OTEL_BSP_SCHEDULE_DELAY", "100")
                .UseSetting("OTEL_METRIC_EXPORT_INTERVAL", "200"),
        });
        await app.InitializeAsync();

        (await app.Admin.GetAsync("/api/v1/kpis")).EnsureSuccessStatusCode();

        // Span names and attributes are plain UTF-8 strings inside the protobuf message.
        bool Has(string path, string text) => received.Any(r => r.Path == path && Encoding.UTF8.GetString(r.Body).Contains(text, StringComparison.Ordinal));
        await Eventually.FindAsync(() => Has("/v1/traces", "GET /api/v1/kpis") ? "found" : null, "a trace of GET /api/v1/kpis at the collector");
        await Eventually.FindAsync(() => Has("/v1/metrics", "http.server.request.duration") ? "found" : null, "HTTP server metrics at the collector");
        if (provider == DatabaseProvider.Postgres)
        {
            await Eventually.FindAsync(() => Has("/v1/traces", "postgresql") ? "found" : null, "a span of a PostgreSQL statement at the collector");
        }
    }

    [Fact]
    public async Task JsonConsoleLogsAreOneJsonObjectPerLineWhenSwitchedOn()
    {
        var folder = Directory.CreateTempSubdirectory("okapi-json-logs-").FullName;
        try
        {
            var assembly = typeof(Program).Assembly.Location;
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
            start.ArgumentList.Add(assembly);
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add("http://127.0.0.1:0");
            start.Environment["Okapi__Logging__Json"] = "true";
            start.Environment["Okapi__Database__Provider"] = "Sqlite";
            start.Environment["Okapi__Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "okapi.db")}";
            using var process = Process.Start(start)!;
            try
            {
                var lines = new List<string>();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    lines.Add(line);
                    if (line.Contains("Now listening on", StringComparison.Ordinal))
                    {
                        break;
                    }
                }

                Assert.NotEmpty(lines);
                Assert.All(lines, line =>
                {
                    using var json = System.Text.Json.JsonDocument.Parse(line);
                    Assert.True(json.RootElement.TryGetProperty("LogLevel", out _), line);
                    Assert.True(json.RootElement.TryGetProperty("Category", out _), line);
                });
                Assert.Contains(lines, l => l.Contains("\"Category\":\"Microsoft.Hosting.Lifetime\"", StringComparison.Ordinal));
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The body of <c>/metrics</c>, after <c>promtool check metrics</c> parsed it without an error.</summary>
    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var (exit, output) = await Promtool.CheckMetricsAsync(body);
        // 0: clean; 3: parsed, with lint remarks on the runtime's and EF Core's own instruments (names, missing help);
        // 1: the text did not parse. Okapi's own families must draw no remark.
        Assert.True(exit is 0 or 3, $"promtool could not parse /metrics (exit {exit}): {output}");
        Assert.DoesNotContain("error", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(output.Split('\n'), l => l.StartsWith("okapi_", StringComparison.Ordinal) || l.StartsWith("http_server_", StringComparison.Ordinal));
        return body;
    }

    /// <summary>One sample's value, by its name and labels as written (0 when it is not there yet).</summary>
    private static double Sample(string exposition, string series) => exposition.Split('\n')
        .Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>The sum of a family's samples over all their labels (0 when it has none yet).</summary>
    private static double Sum(string exposition, string name) => exposition.Split('\n')
        .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}

/// <summary>Prometheus's own checker (Debian's prometheus package, which test.sh installs), reading the text on stdin.</summary>
public static class Promtool
{
    public const string Binary = "/usr/bin/promtool";

    public static async Task<(int Exit, string Output)> CheckMetricsAsync(string exposition)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: run ./test.sh, which installs Debian's prometheus package.");
        }

        var start = new ProcessStartInfo(Binary) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
