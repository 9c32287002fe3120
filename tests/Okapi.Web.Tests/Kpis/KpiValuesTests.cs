using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Access;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Kpis;

public sealed partial class KpiValuesTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private async Task<KpiDto> NewKpiAsync(OkapiApp app, string name, Cadence cadence = Cadence.Weekly, PeriodAggregation aggregation = PeriodAggregation.Last,
        double? warningLower = null, double? criticalLower = null, Visibility visibility = Visibility.Public)
    {
        var team = await app.Admin.CreateTeamAsync($"Team of {name}");
        return await app.Admin.CreateKpiAsync(KpiArrangements.Request(name, team.Id, cadence: cadence, aggregation: aggregation,
            warningLower: warningLower, criticalLower: criticalLower, visibility: visibility));
    }

    private Task<int> CountAsync(OkapiApp app, params Guid[] kpiIds) => app.QueryAsync(db => db.KpiValues.CountAsync(v => db.Kpis.Any(k => kpiIds.Contains(k.Id) && k.Number == v.KpiNumber)));

    [Theory]
    [OnEveryDatabase]
    public async Task ABulkRequestWithBadRowsIsRefusedNamingEachRowAndStoresNothing(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var leads = await NewKpiAsync(app, "Bulk leads");
        var json = $$"""
            [
              {"kpi": "{{leads.Key}}", "at": "2027-02-10T00:00:00Z", "value": 1},
              {"kpi": "{{leads.Key}}", "at": "2027-02-11T00:00:00Z", "value": "NaN"},
              {"kpi": "no-such-kpi", "at": "2027-02-11T00:00:00Z", "value": 2},
              {"kpiId": "{{leads.Id}}", "at": "1999-12-31T23:59:59Z", "value": 3},
              {"kpiId": "{{leads.Id}}", "at": "{{app.Clock.GetUtcNow().AddDays(2).ToString("O")}}", "value": 4},
              {"kpiId": "{{leads.Id}}", "at": "2027-02-12T00:00:00Z", "value": "-Infinity"},
              {"kpiId": "{{leads.Id}}", "at": "2027-02-12T00:00:00Z", "value": 1e400}
            ]
            """;
        using var response = await app.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/kpi-values", json);
        var keys = KpiArrangements.ErrorKeys(await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest));
        Assert.Equal(["rows[2].value", "rows[3].kpi", "rows[4].at", "rows[5].at", "rows[6].value", "rows[7].value"], keys.Where(k => k != "rows").Order());
        Assert.Equal(0, await CountAsync(app, leads.Id));

        using var malformed = await app.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/kpi-values", "[{\"kpi\": \"x\", \"value\": 1},");
        await Api.AssertProblemAsync(malformed, HttpStatusCode.BadRequest);
        using var notArray = await app.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/kpi-values", "{\"kpi\": \"x\", \"value\": 1}");
        await Api.AssertProblemAsync(notArray, HttpStatusCode.BadRequest);
        Assert.Equal(0, await CountAsync(app, leads.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ABulkRequestStoresValuesOfManyKpisByKeyOrIdAndReplacesByInstant(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var a = await NewKpiAsync(app, "Bulk A");
        var b = await NewKpiAsync(app, "Bulk B");
        var at = app.Clock.GetUtcNow().AddHours(-2);
        var rows = new object[]
        {
            new { kpi = a.Key, at, value = 1.0 },
            new { kpiId = b.Id, at, value = 2.0 },
            new { kpiId = a.Id, at = at.AddMinutes(1), value = 3.0 },
        };
        Assert.Equal(new IngestResultDto(3, 2), await app.Admin.BulkAsync(rows));
        Assert.Equal(new IngestResultDto(1, 1), await app.Admin.BulkAsync(new[] { new { kpi = a.Key, at, value = 10.0 } }));
        var values = await app.QueryAsync(db => db.ValuesOf(a.Id).OrderBy(v => v.At).Select(v => v.Value).ToListAsync());
        Assert.Equal([10.0, 3.0], values);
        Assert.Equal(3.0, (await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{a.Id}")).LatestValue);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnIngestTokenWritesValuesAndNothingElse(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var kpi = await NewKpiAsync(app, "Ingested");
        using var ingest = await app.ClientForAsync(app.AdminId, TokenScope.KpiIngest);
        Assert.Equal(1, (await ingest.AddValuesAsync(kpi.Id, new { value = 4.0 })).Accepted);
        Assert.Equal(1, (await ingest.BulkAsync(new[] { new { kpi = kpi.Key, at = app.Clock.GetUtcNow().AddMinutes(-5), value = 3.0 } })).Accepted);
        using var upload = await ingest.PostAsync("/api/v1/kpi-values/upload", new StringContent($"kpi,at,value\n{kpi.Key},2027-02-14T00:00:00Z,2\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);

        using var create = await ingest.SendJsonAsync(HttpMethod.Post, "/api/v1/kpis", KpiArrangements.Request("Sneaky", kpi.OwnerTeamId), null);
        await Api.AssertProblemAsync(create, HttpStatusCode.Forbidden);
        await Api.AssertProblemAsync(await ingest.GetAsync("/api/v1/kpis"), HttpStatusCode.Forbidden);
        await Api.AssertProblemAsync(await ingest.GetAsync($"/api/v1/kpis/{kpi.Id}"), HttpStatusCode.Forbidden);
        await Api.AssertProblemAsync(await ingest.DeleteAsync($"/api/v1/kpis/{kpi.Id}"), HttpStatusCode.Forbidden);
        Assert.Equal(3, await CountAsync(app, kpi.Id));

        var viewer = await app.Admin.CreatePersonAsync("Vic Viewer", Role.Viewer);
        using var viewerIngest = await app.ClientForAsync(viewer.Id, TokenScope.KpiIngest);
        using var refused = await viewerIngest.SendJsonAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/values", new { value = 1 }, null);
        await Api.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal(3, await CountAsync(app, kpi.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task HealthFollowsTheLatestValueAndTheClock(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var kpi = await NewKpiAsync(app, "Uptime", Cadence.Daily, warningLower: 10, criticalLower: 5);
        async Task<KpiHealth> AddAsync(double value)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            await app.Admin.AddValuesAsync(kpi.Id, new { value });
            return (await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{kpi.Id}")).Health;
        }

        Assert.Equal(KpiHealth.Ok, await AddAsync(20));
        Assert.Equal(KpiHealth.Warning, await AddAsync(8));
        Assert.Equal(KpiHealth.Critical, await AddAsync(3));
        app.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        var stale = await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{kpi.Id}");
        Assert.Equal(KpiHealth.Stale, stale.Health);
        Assert.Equal(3, stale.Current);
        Assert.Equal([kpi.Id], (await app.Admin.GetAsync<Page<KpiDto>>($"/api/v1/kpis?health=stale&search=uptime")).Items.Select(k => k.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task PeriodsSumAWeekInTheOrganisationsTimeZone(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var kpi = await NewKpiAsync(app, "Weekly signups", Cadence.Weekly, PeriodAggregation.Sum);
        // Berlin: 14 February 22:00 UTC is Sunday 23:00, still the week of 8 February; 23:30 UTC is Monday already.
        await app.Admin.AddValuesAsync(kpi.Id, new object[]
        {
            new { at = "2027-02-01T10:00:00Z", value = 3 }, new { at = "2027-02-03T10:00:00Z", value = 4 },
            new { at = "2027-02-08T10:00:00Z", value = 10 }, new { at = "2027-02-14T22:00:00Z", value = 4 },
            new { at = "2027-02-14T23:30:00Z", value = 7 },
        });
        var periods = await app.Admin.GetAsync<List<KpiPeriodDto>>($"/api/v1/kpis/{kpi.Id}/periods?from=2027-02-01T00:00:00Z");
        Assert.Equal([new DateOnly(2027, 2, 15), new DateOnly(2027, 2, 8), new DateOnly(2027, 2, 1)], periods.Select(p => p.Start));
        Assert.Equal([7.0, 14.0, 7.0], periods.Select(p => p.Value));
        Assert.Equal([1, 2, 2], periods.Select(p => p.Count));
        Assert.Equal(-0.5, periods[0].Change);
        Assert.Equal(1.0, periods[1].Change);
        Assert.Null(periods[2].Change);
        Assert.Equal(new DateTimeOffset(2027, 2, 14, 23, 0, 0, TimeSpan.Zero), periods[0].StartUtc);

        var dto = await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{kpi.Id}");
        Assert.Equal((7.0, -0.5, new DateOnly(2027, 2, 15)), (dto.Current, dto.Change, dto.CurrentPeriodStart));
        var tile = Assert.Single(await app.Admin.GetAsync<List<KpiTileDto>>("/api/v1/kpis/dashboard?search=weekly%20signups"));
        Assert.Equal((kpi.Id, 7.0), (tile.Kpi.Id, tile.Kpi.Current));
        Assert.Equal([7.0, 14.0, 7.0], tile.Sparkline);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ASeriesIsDownsampledToTheAskedNumberOfPoints(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var kpi = await NewKpiAsync(app, "Latency");
        var rows = Enumerable.Range(0, 5000).Select(i => new { kpiId = kpi.Id, at = app.Clock.GetUtcNow().AddMinutes(-i), value = Math.Sin(i / 50.0) * 100 }).ToArray();
        Assert.Equal(5000, (await app.Admin.BulkAsync(rows)).Accepted);

        var series = await app.Admin.GetAsync<KpiSeriesDto>($"/api/v1/kpis/{kpi.Id}/values?maxPoints=100");
        Assert.Equal((5000, "lttb"), (series.RawCount, series.Method));
        Assert.True(series.Points.Count <= 100);
        Assert.Equal(app.Clock.GetUtcNow().AddMinutes(-4999), series.Points[0].At);
        Assert.Equal(app.Clock.GetUtcNow(), series.Points[^1].At);

        var raw = await app.Admin.GetAsync<KpiSeriesDto>($"/api/v1/kpis/{kpi.Id}/values?from={Uri.EscapeDataString(app.Clock.GetUtcNow().AddMinutes(-9).ToString("O"))}");
        Assert.Equal(("raw", 10), (raw.Method, raw.Points.Count));
        using var tooMany = await app.Admin.GetAsync($"/api/v1/kpis/{kpi.Id}/values?maxPoints=10001");
        Assert.Contains("maxPoints", KpiArrangements.ErrorKeys(await Api.AssertProblemAsync(tooMany, HttpStatusCode.BadRequest)));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task CsvUploadsStoreAllRowsOrReportTheBadOnes(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var kpi = await NewKpiAsync(app, "Uploaded");
        var good = $"kpi,at,value\n{kpi.Key},2027-02-10T00:00:00Z,5\n{kpi.Id},2027-02-11T00:00:00Z,6.5\n";
        using var stored = await app.Admin.PostAsync("/api/v1/kpi-values/upload", new StringContent(good, Encoding.UTF8, "text/csv"));
        Assert.Equal(new IngestResultDto(2, 1), await Api.ReadAsync<IngestResultDto>(stored, HttpStatusCode.OK));

        var bad = $"kpi,at,value\n{kpi.Key},2027-02-12T00:00:00Z,1\n{kpi.Key},2027-02-13T00:00:00Z,abc\nnope,2027-02-13T00:00:00Z,2\n{kpi.Key},yesterday,3\n";
        using var form = new MultipartFormDataContent { { new StringContent(bad, Encoding.UTF8, "text/csv"), "file", "values.csv" } };
        using var refused = await app.Admin.PostAsync("/api/v1/kpi-values/upload", form);
        var keys = KpiArrangements.ErrorKeys(await Api.AssertProblemAsync(refused, HttpStatusCode.BadRequest));
        Assert.Equal(["rows[3].value", "rows[4].kpi", "rows[5].at"], keys.Where(k => k != "rows").Order());
        Assert.Equal(2, await CountAsync(app, kpi.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task XlsxUploadsReadTheFirstWorksheet(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var kpi = await NewKpiAsync(app, "Spreadsheet");
        byte[] Workbook(params (string Kpi, object At, object Value)[] rows)
        {
            using var workbook = new XLWorkbook();
            var sheet = workbook.AddWorksheet("Values");
            sheet.Cell(1, 1).Value = "KPI";
            sheet.Cell(1, 2).Value = "at";
            sheet.Cell(1, 3).Value = "value";
            for (var i = 0; i < rows.Length; i++)
            {
                sheet.Cell(i + 2, 1).Value = rows[i].Kpi;
                sheet.Cell(i + 2, 2).Value = rows[i].At;
                sheet.Cell(i + 2, 3).Value = rows[i].Value;
            }

            using var stream = new MemoryStream();
            workbook.SaveAs(stream);
            return stream.ToArray();
        }

        async Task<HttpResponseMessage> UploadAsync(byte[] file)
        {
            var content = new ByteArrayContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue(KpiUploads.XlsxType);
            return await app.Admin.PostAsync("/api/v1/kpi-values/upload", content);
        }

        using var stored = await UploadAsync(Workbook((kpi.Key, new DateTime(2027, 2, 10, 8, 0, 0), 12.5), (kpi.Key, "2027-02-11T00:00:00Z", 13)));
        Assert.Equal(new IngestResultDto(2, 1), await Api.ReadAsync<IngestResultDto>(stored, HttpStatusCode.OK));
        var at = await app.QueryAsync(db => db.ValuesOf(kpi.Id).Where(v => v.Value == 12.5).Select(v => v.At).SingleAsync());
        Assert.Equal(new DateTime(2027, 2, 10, 8, 0, 0, DateTimeKind.Utc), at);

        using var refused = await UploadAsync(Workbook((kpi.Key, "2027-02-12T00:00:00Z", 1), (kpi.Key, "2027-02-13T00:00:00Z", "NaN")));
        Assert.Equal(["rows[3].value"], KpiArrangements.ErrorKeys(await Api.AssertProblemAsync(refused, HttpStatusCode.BadRequest)).Where(k => k != "rows"));
        Assert.Equal(2, await CountAsync(app, kpi.Id));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task PrometheusScrapesPublicKpisOnlyWithAToken(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Metrics \"team\"\nsecond line");
        var shown = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Say \"hi\" \\ back", team.Id, warningLower: 10, target: 12) with { Unit = "req/s" });
        var hidden = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Private metric", team.Id, visibility: Visibility.Private));
        var archived = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Archived metric", team.Id));
        var at = app.Clock.GetUtcNow().AddMinutes(-3);
        await app.Admin.AddValuesAsync(shown.Id, new { at, value = 4.25 });
        await app.Admin.AddValuesAsync(hidden.Id, new { at, value = 1 });
        await app.Admin.AddValuesAsync(archived.Id, new { at, value = 2 });
        await app.Admin.PostAsync<KpiDto>($"/api/v1/kpis/{archived.Id}/archive", new { }, HttpStatusCode.OK);

        await Api.AssertProblemAsync(await app.WithToken(null).GetAsync("/metrics/kpis"), HttpStatusCode.Unauthorized);
        foreach (var scope in new[] { TokenScope.Read, TokenScope.KpiIngest })
        {
            using var scraper = await app.ClientForAsync(app.AdminId, scope);
            using var response = await scraper.GetAsync("/metrics/kpis");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
            var samples = Parse(await response.Content.ReadAsStringAsync());

            // No sample carries a timestamp: Prometheus stamps each scrape, and the value's own time is a series of its own.
            Assert.All(samples, s => Assert.Null(s.Timestamp));
            var value = Assert.Single(samples, s => s.Name == "okapi_kpi_value" && s.Labels["kpi"] == shown.Key);
            Assert.Equal(("Say \"hi\" \\ back", "req/s", "Metrics \"team\"\nsecond line", 4.25),
                (value.Labels["name"], value.Labels["unit"], value.Labels["team"], value.Value));
            double Of(string name) => Assert.Single(samples, s => s.Name == name && s.Labels["kpi"] == shown.Key).Value;
            Assert.Equal(at.ToUnixTimeMilliseconds() / 1000.0, Of("okapi_kpi_value_timestamp_seconds"));
            Assert.Equal((12.0, 10.0, 1.0), (Of("okapi_kpi_target"), Of("okapi_kpi_warning_lower"), Of("okapi_kpi_health")));
            // Thresholds that are not set have no series; every series carries the same labels.
            Assert.DoesNotContain(samples, s => s.Labels["kpi"] == shown.Key && s.Name is "okapi_kpi_warning_upper" or "okapi_kpi_critical_lower" or "okapi_kpi_critical_upper");
            Assert.All(samples.Where(s => s.Labels["kpi"] == shown.Key), s => Assert.Equal(value.Labels, s.Labels));
            Assert.DoesNotContain(samples, s => s.Labels["kpi"] == hidden.Key || s.Labels["kpi"] == archived.Key);
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AScrapeReadsTheKpisOnceWhateverTheirNumber(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync($"Scrape cost {Guid.NewGuid():N}");
        using var scraper = await app.ClientForAsync(app.AdminId, TokenScope.Read);
        async Task AddKpiAsync(int n)
        {
            var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request($"Scraped {n} {Guid.NewGuid():N}", team.Id, warningLower: 1, target: 5));
            await app.Admin.AddValuesAsync(kpi.Id, new { at = app.Clock.GetUtcNow().AddMinutes(-n), value = n });
        }

        await AddKpiAsync(1);
        // The token's first use records when it was used; later scrapes within the minute do not.
        (await scraper.GetAsync("/metrics/kpis")).EnsureSuccessStatusCode().Dispose();

        var one = await app.StatementsOfAsync(scraper, c => c.GetAsync("/metrics/kpis"));
        for (var n = 2; n <= 5; n++)
        {
            await AddKpiAsync(n);
        }

        var five = await app.StatementsOfAsync(scraper, c => c.GetAsync("/metrics/kpis"));
        Assert.Equal(one.Count, five.Count);
        // The KPI rows and their owner teams' names in one statement; never a value, a rollup or an alert.
        Assert.Single(five, s => s.Contains("\"Kpis\"", StringComparison.Ordinal));
        Assert.Contains(five, s => s.Contains("\"Kpis\"", StringComparison.Ordinal) && s.Contains("\"Teams\"", StringComparison.Ordinal));
        Assert.DoesNotContain(five, s => s.Contains("\"KpiValues\"", StringComparison.Ordinal) || s.Contains("\"KpiDays\"", StringComparison.Ordinal) || s.Contains("\"Alerts\"", StringComparison.Ordinal));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ScrapingWithATokenWhosePersonIsGoneIsUnauthorized(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (elsewhere, _) = await app.CreateOrganisationAsync("Elsewhere");
        // A token of another organisation names a person who does not exist there: the caller cannot be loaded,
        // just as when the person was deleted after the token was checked.
        var secret = await app.QueryAsync(async db =>
        {
            var (token, secret) = TokenService.Issue(app.AdminId, "orphan", [TokenScope.Read], null, app.Clock);
            db.ApiTokens.Add(token);
            await db.SaveChangesAsync();
            return secret;
        }, elsewhere);

        using var response = await app.WithToken(secret).GetAsync("/metrics/kpis");
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("no longer exists", problem.GetProperty("detail").GetString());

        // The API refuses it too: the caller middleware finds no person, so the request is anonymous.
        using var api = await app.WithToken(secret).GetAsync("/api/v1/kpis");
        await Api.AssertProblemAsync(api, HttpStatusCode.Unauthorized);
    }

    private static string Unescape(string value)
    {
        var text = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            text.Append(value[i] == '\\' ? value[++i] switch { 'n' => '\n', var c => c } : value[i]);
        }

        return text.ToString();
    }

    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value, long? Timestamp);

    /// <summary>Reads the text exposition format back: HELP and TYPE comments, then one sample a line.</summary>
    private static List<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        var typed = new HashSet<string>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                typed.Add(line.Split(' ')[2]);
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var labels = new Dictionary<string, string>();
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["name"].Value] = Unescape(label.Groups["value"].Value);
            }

            Assert.Contains(match.Groups["name"].Value, typed);
            samples.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture),
                match.Groups["ts"].Success ? long.Parse(match.Groups["ts"].Value, CultureInfo.InvariantCulture) : null));
        }

        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\} (?<value>\S+)(?: (?<ts>-?\d+))?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
