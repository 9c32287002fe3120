using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;

namespace Okapi.Web.Tests;

/// <summary>Bodies in an unknown charset or without a type, broken encodings and framing, and extreme dates get a 4xx problem, never a 500.</summary>
public sealed class MalformedInputTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private static async Task<JsonElement> OpenApiAsync(OkapiApp app) =>
        JsonDocument.Parse(await app.Admin.GetStringAsync("/openapi/v1.json")).RootElement;

    /// <summary>Every operation of the API document as (method, path with its parameters filled, operation).</summary>
    private static IEnumerable<(HttpMethod Method, string Path, JsonElement Operation)> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var url = System.Text.RegularExpressions.Regex.Replace(path.Name, "{[^}]+}", Guid.NewGuid().ToString());
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                yield return (new HttpMethod(operation.Name.ToUpperInvariant()), url, operation.Value);
            }
        }
    }

    private static bool TakesJson(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").EnumerateObject().Any(c => c.Name == "application/json");

    [Fact]
    public async Task AJsonBodyInAnUnknownCharsetIsRefusedWith415OnEveryOperationThatTakesJson()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        var operations = Operations(await OpenApiAsync(app)).Where(o => TakesJson(o.Operation)).ToList();
        Assert.True(operations.Count >= 25, $"only {operations.Count} operations take JSON");
        foreach (var (method, path, _) in operations)
        {
            foreach (var charset in new[] { "ebcdic-xx", "utf-16", "\"\"", "\"utf-8\"", "utf8" })
            {
                var content = new ByteArrayContent("{}"u8.ToArray());
                content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");
                using var response = await app.Admin.SendAsync(new HttpRequestMessage(method, path) { Content = content });
                Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{method} {path} charset={charset}: {response.StatusCode}");
                await Api.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
            }
        }
    }

    [Fact]
    public async Task AJsonBodyInUtf8NamedAnyWayIsRead()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        foreach (var charset in new[] { "utf-8", "UTF-8", "us-ascii" })
        {
            var content = new StringContent($"{{\"name\": \"Charset {charset.Trim('"')} {Guid.NewGuid():N}\"}}");
            content.Headers.ContentType = MediaTypeHeaderValue.Parse($"application/json; charset={charset}");
            using var response = await app.Admin.PostAsync("/api/v1/teams", content);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"charset={charset}: {response.StatusCode}");
        }
    }

    public static TheoryData<string> BulkEndpoints => new() { "/api/v1/kpi-values", "/api/v1/kpi-values/upload", "/api/v1/kpis/{kpi}/values", "/api/v1/import" };

    [Theory]
    [OnEveryDatabase(MemberName = nameof(BulkEndpoints))]
    public async Task ABulkBodyWithoutAContentTypeIsRefusedWith415AndStoresNothing(DatabaseProvider provider, string url)
    {
        var app = await apps.StartAsync(provider);
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request($"Untyped {Guid.NewGuid():N}", (await app.Admin.CreateTeamAsync($"Untyped {Guid.NewGuid():N}")).Id));
        var body = $$"""[{"kpi": "{{kpi.Key}}", "at": "2027-02-14T00:00:00Z", "value": 1}]""";
        var before = await app.QueryAsync(db => db.KpiValues.CountAsync());
        using var response = await app.Admin.PostAsync(url.Replace("{kpi}", kpi.Id.ToString()), new ByteArrayContent(Encoding.UTF8.GetBytes(body)));
        await Api.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, await app.QueryAsync(db => db.KpiValues.CountAsync()));
    }

    [Theory]
    [OnEveryDatabase("2020/01/01")]
    [OnEveryDatabase("01/02/2027")]
    [OnEveryDatabase("14 Feb 2027")]
    [OnEveryDatabase("2027-02-14T00:00:00 +01:00")]
    public async Task ABulkDateThatIsNotIso8601IsRefusedNamingTheRowAndField(DatabaseProvider provider, string at)
    {
        var app = await apps.StartAsync(provider);
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request($"Dates {Guid.NewGuid():N}", (await app.Admin.CreateTeamAsync($"Dates {Guid.NewGuid():N}")).Id));
        var before = await app.QueryAsync(db => db.KpiValues.CountAsync());

        using var bulk = await app.Admin.SendRawAsync(HttpMethod.Post, "/api/v1/kpi-values",
            $$"""[{"kpi": "{{kpi.Key}}", "at": "2027-02-13T00:00:00Z", "value": 1}, {"kpi": "{{kpi.Key}}", "at": "{{at}}", "value": 2}]""");
        Assert.Contains("rows[2].at", KpiArrangements.ErrorKeys(await Api.AssertProblemAsync(bulk, HttpStatusCode.BadRequest)));

        using var upload = await app.Admin.PostAsync("/api/v1/kpi-values/upload",
            new StringContent($"kpi,at,value\n{kpi.Key},2027-02-13,1\n{kpi.Key},\"{at}\",2\n", Encoding.UTF8, "text/csv"));
        Assert.Contains("rows[3].at", KpiArrangements.ErrorKeys(await Api.AssertProblemAsync(upload, HttpStatusCode.BadRequest)));
        Assert.Equal(before, await app.QueryAsync(db => db.KpiValues.CountAsync()));
    }

    [Theory]
    [OnEveryDatabase("2027-02-13", "text/csv")]
    [OnEveryDatabase("2027-02-13 08:30", "text/csv")]
    [OnEveryDatabase("2027-02-13T08:30:15.5+01:00", "text/csv")]
    public async Task Iso8601DatesAndTimesAreRead(DatabaseProvider provider, string at, string type)
    {
        var app = await apps.StartAsync(provider);
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request($"Iso {Guid.NewGuid():N}", (await app.Admin.CreateTeamAsync($"Iso {Guid.NewGuid():N}")).Id));
        using var upload = await app.Admin.PostAsync("/api/v1/kpi-values/upload", new StringContent($"kpi,at,value\n{kpi.Key},{at},1\n", Encoding.UTF8, type));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
    }

    public static TheoryData<string, string> BrokenDocuments => new()
    {
        { "application/json", "{\"okapi\": 1, \"teams\": [{\"key\": \"t\", \"name\": \"\\ud800\"}]}" },
        { "application/json", "{\"okapi\": 1, \"teams\": [{\"key\": \"t\", \"name\": \"\\udc00 alone\"}]}" },
        { "application/json", "{\"okapi\": 1, \"\\ud800\": 1}" },
        { "application/yaml", "okapi: 1\nteams:\n  - key: t\n    name: \"\\ud800\"\n" },
        { "application/yaml", "okapi: 1\nteams:\n  - key: t\n    name: \"\\U0011FFFF\"\n" },
        { "application/json", "INVALID-UTF8" },
        { "application/yaml", "INVALID-UTF8" },
    };

    [Theory]
    [OnEveryDatabase(MemberName = nameof(BrokenDocuments))]
    public async Task AnImportWithInvalidUtf8OrALoneSurrogateIsRefusedWith400AndImportsNothing(DatabaseProvider provider, string type, string document)
    {
        var app = await apps.StartAsync(provider);
        var teams = await app.QueryAsync(db => db.Teams.CountAsync());
        var bytes = document == "INVALID-UTF8"
            ? [.. "okapi: 1\nteams:\n  - key: t\n    name: \""u8.ToArray(), 0xC3, 0x28, 0xFF, .. "\"\n"u8.ToArray()]
            : Encoding.UTF8.GetBytes(document);
        if (document == "INVALID-UTF8" && type == "application/json")
        {
            bytes = [.. "{\"okapi\": 1, \"teams\": [{\"key\": \"t\", \"name\": \""u8.ToArray(), 0xED, 0xA0, 0x80, .. "\"}]}"u8.ToArray()];
        }

        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        using var response = await app.Admin.PostAsync("/api/v1/import", content);
        await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(teams, await app.QueryAsync(db => db.Teams.CountAsync()));
    }

    public static TheoryData<string, string> BrokenMultiparts => new()
    {
        { "multipart/form-data", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.csv\"\r\n\r\nkpi,at,value\r\n--b--\r\n" },
        { "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.csv\"\r\nContent-Type: text/csv\r\n\r\nkpi,at,val" },
        { "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.csv\"\r\n" },
        { "multipart/form-data; boundary=b", "not a multipart body at all" },
        { "multipart/form-data; boundary=\"\"", "--\r\n\r\n" },
    };

    [Theory]
    [OnEveryDatabase(MemberName = nameof(BrokenMultiparts))]
    public async Task AMultipartUploadWithoutBoundaryOrCutShortIsRefusedWith400(DatabaseProvider provider, string type, string body)
    {
        var app = await apps.StartAsync(provider);
        var before = await app.QueryAsync(db => db.KpiValues.CountAsync());
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", type);
        using var response = await app.Admin.PostAsync("/api/v1/kpi-values/upload", content);
        await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, await app.QueryAsync(db => db.KpiValues.CountAsync()));
    }

    [Fact]
    public async Task AMultipartUploadOverTheFormLimitIsRefusedWithAProblem()
    {
        var app = new OkapiApp(DatabaseProvider.Sqlite, new AppOptions
        {
            Configure = b => b.ConfigureServices(s => s.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = 4096)),
        });
        try
        {
            await app.InitializeAsync();
            await UploadOverTheLimitAsync(app);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task UploadOverTheLimitAsync(OkapiApp app)
    {
        using var form = new MultipartFormDataContent("b")
        {
            { new StringContent("kpi,at,value\n" + string.Concat(Enumerable.Repeat("k,2027-02-13T00:00:00Z,1\n", 1000)), Encoding.UTF8, "text/csv"), "file", "v.csv" },
        };
        using var response = await app.Admin.PostAsync("/api/v1/kpi-values/upload", form);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{response.StatusCode}: {problem}");
        await Api.AssertProblemAsync(response, response.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task KpiRangesFromTheFarPastOrFutureAreRefusedWith400(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request($"Ranges {Guid.NewGuid():N}", (await app.Admin.CreateTeamAsync($"Ranges {Guid.NewGuid():N}")).Id));
        foreach (var (query, field) in new[]
        {
            ("from=0001-01-01", "from"), ("to=0001-01-02", "to"), ("from=0001-01-01T00:00:00%2B14:00", "from"), ("to=9999-12-31", "to"),
            ("to=9999-12-31T23:59:59-14:00", "to"), ("from=1899-12-31&to=2027-01-01", "from"), ("from=2027-01-01&to=3000-01-01", "to"),
        })
        {
            foreach (var resource in new[] { "periods", "values" })
            {
                using var response = await app.Admin.GetAsync($"/api/v1/kpis/{kpi.Id}/{resource}?{query}");
                var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
                Assert.True(problem.ToString().Contains(field), $"{resource}?{query}: {problem}");
            }
        }

        using var ok = await app.Admin.GetAsync($"/api/v1/kpis/{kpi.Id}/periods?from=1900-01-01&to=2999-12-31");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ExtremeDatesInAnyQueryOrBodyNeverCauseAServerError(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var operations = Operations(await OpenApiAsync(app)).ToList();
        var dated = 0;
        foreach (var (method, path, operation) in operations)
        {
            var names = operation.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query" && IsDate(p.GetProperty("schema"))).Select(p => p.GetProperty("name").GetString()!).ToList()
                : [];
            var bodyDates = TakesJson(operation) ? new[] { "start", "end", "at", "from", "to", "dueDate", "startDate", "endDate" } : [];
            if (names.Count == 0 && bodyDates.Length == 0)
            {
                continue;
            }

            dated++;
            foreach (var extreme in new[] { "0001-01-01", "9999-12-31", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z" })
            {
                var url = names.Count == 0 ? path : $"{path}?{string.Join("&", names.Select(n => $"{n}={extreme}"))}";
                var request = new HttpRequestMessage(method, url);
                if (bodyDates.Length > 0)
                {
                    request.Content = new StringContent(JsonSerializer.Serialize(bodyDates.ToDictionary(n => n, _ => extreme)), Encoding.UTF8, "application/json");
                }

                using var response = await app.Admin.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode < 500, $"{method} {url}: {response.StatusCode} {text}");
                if ((int)response.StatusCode >= 400)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }
        }

        Assert.True(dated > 5, $"only {dated} operations take dates");
    }

    private static bool IsDate(JsonElement schema) =>
        schema.TryGetProperty("format", out var format) && format.GetString() is "date" or "date-time";
}
