using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class PolishTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task AnUnknownAddressShowsTheAppsNotFoundPageWhileTheApiKeepsProblemDetails()
    {
        await using var session = await app.NewSessionAsync(1366);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);

        var response = await session.Page.GotoAsync("/no-such-page");
        Assert.Equal(404, response!.Status);
        await shell.WaitUntilInteractiveAsync();
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Expect(shell.NavLink("OKRs")).ToBeVisibleAsync();
        await shell.ScreenshotAsync("not-found-1366");
        await session.Page.GetByRole(AriaRole.Link, new() { Name = "Go home" }).ClickAsync();
        await Expect(session.Page).ToHaveURLAsync(new Regex(@"^[a-z]+://[^/]+/([?#]|$)"));

        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var api = new HttpRequestMessage(HttpMethod.Get, "/api/v1/no-such-thing");
        api.Headers.Accept.ParseAdd("text/html");
        var apiResponse = await http.SendAsync(api);
        Assert.Equal(HttpStatusCode.NotFound, apiResponse.StatusCode);
        Assert.Equal("application/problem+json", apiResponse.Content.Headers.ContentType?.MediaType);
        var client = await http.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, client.StatusCode);
        Assert.Equal("application/problem+json", client.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ThePhoneLayoutOfTheNotFoundPageKeepsTheNavigation()
    {
        await using var session = await app.NewSessionAsync(390);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await session.Page.GotoAsync("/objectives/not-a-guid");
        await shell.WaitUntilInteractiveAsync();
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Expect(shell.NavToggle).ToBeVisibleAsync();
        await shell.ScreenshotAsync("not-found-390");
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task KpiChangesReadInPercentWithTheirDifferenceAndNeverAsMinusZero(int width)
    {
        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/kpis");
        var kpis = new KpisPage(session.Page);
        var changes = session.Page.GetByTestId("kpi-change");
        await Expect(changes.First).ToBeVisibleAsync();

        foreach (var text in await changes.AllInnerTextsAsync())
        {
            Assert.Matches(@"^(▬ no (change|previous period)|[▲▼] [+-][\d,.]+ %( \([+-][\d,.]+ .+\))?)$", text);
        }

        await shell.ScreenshotAsync($"kpis-change-{width}");
        await kpis.Tile("Conversion rate").ClickAsync();
        var periods = session.Page.GetByTestId("kpi-period");
        await Expect(periods.First).ToBeVisibleAsync();
        foreach (var text in await periods.AllInnerTextsAsync())
        {
            Assert.DoesNotMatch(@"-0(?![.\d])", text);
        }

        await shell.ScreenshotAsync($"kpi-periods-{width}");

        // A KPI in % reads its change in percent and percentage points; a KPI in another unit, in percent and that unit.
        var api = await app.AdminApiAsync();
        await shell.GoAsync($"/kpis/{await KpiOfTwoDaysAsync(api, $"Signup rate {width}", "%", 1.85, 1.97)}");
        await Expect(session.Page.GetByTestId("kpi-change")).ToHaveTextAsync("▲ +6.5 % (+0.12 pp)");
        await shell.GoAsync($"/kpis/{await KpiOfTwoDaysAsync(api, $"Orders a day {width}", "orders", 1_260, 1_200)}");
        await Expect(session.Page.GetByTestId("kpi-change")).ToHaveTextAsync("▼ -4.8 % (-60 orders)");
        Assert.Empty(session.ConsoleErrors);
    }

    /// <summary>A daily KPI with a value at noon (UTC) on each of the two days before today: its change does not hang on the hour.</summary>
    private async Task<string> KpiOfTwoDaysAsync(HttpClient api, string name, string unit, double dayBefore, double day)
    {
        var kpi = await Arrange.CreateAsync(api, "/api/v1/kpis", new { name, ownerTeamId = await Arrange.TeamAsync(api, "Sales"), unit, cadence = "daily" });
        var noon = new DateTimeOffset(app.Now.UtcDateTime.Date.AddHours(12), TimeSpan.Zero);
        await Arrange.PostAsync(api, $"/api/v1/kpis/{kpi}/values", new[] { new { at = noon.AddDays(-2), value = dayBefore }, new { at = noon.AddDays(-1), value = day } });
        return kpi;
    }

    [Fact]
    public async Task StylesheetsComeCompressedAndASecondLoadUsesTheCacheOrRevalidates()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = new Uri(app.BaseUrl) };
        var signIn = await http.GetStringAsync("/sign-in");
        var stylesheets = Regex.Matches(signIn, "<link href=\"([^\"]+\\.css)\" rel=\"stylesheet\"").Select(m => m.Groups[1].Value).ToList();
        var own = Assert.Single(stylesheets, s => s.StartsWith("app.", StringComparison.Ordinal));
        var mud = Assert.Single(stylesheets, s => s.Contains("MudBlazor", StringComparison.Ordinal));
        Assert.Matches(@"^app\.\w+\.css$", own);

        // Okapi's own stylesheet has a fingerprinted address: compressed, and cached for a year without asking again.
        var ownResponse = await GetCompressedAsync(http, own);
        Assert.Contains(ownResponse.Content.Headers.ContentEncoding.Single(), new[] { "br", "gzip" });
        Assert.True(ownResponse.Headers.CacheControl?.MaxAge >= TimeSpan.FromDays(365), ownResponse.Headers.CacheControl?.ToString());

        // MudBlazor's stylesheet (628 KB) travels compressed, and a second load revalidates it instead of fetching it again.
        var mudResponse = await GetCompressedAsync(http, mud);
        Assert.Contains(mudResponse.Content.Headers.ContentEncoding.Single(), new[] { "br", "gzip" });
        Assert.True((await mudResponse.Content.ReadAsByteArrayAsync()).Length < 150_000);
        var again = new HttpRequestMessage(HttpMethod.Get, mud);
        again.Headers.AcceptEncoding.ParseAdd("br, gzip");
        again.Headers.IfNoneMatch.Add(mudResponse.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task TheTwoOnTrackChipsSayOnHoverWhetherTheyComeFromTheNumbersOrTheOwner()
    {
        // Its own key result with a check-in: in a quarter's first days the demo's key results have none, so no confidence.
        var api = await app.AdminApiAsync();
        var objective = await Arrange.ObjectiveAsync(api, "Keep our customers happy");
        const string title = "Raise customer satisfaction from 60 % to 80 %";
        var keyResult = await Arrange.CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title, type = "increaseTo", unit = "%", start = 60, target = 80 });
        await Arrange.PostAsync(api, $"/api/v1/key-results/{keyResult}/check-ins", new { value = 64, confidence = "atRisk" });

        await using var session = await app.NewSessionAsync(1366);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/objectives/{objective}");
        var row = new OkrsPage(session.Page).KeyResult(title);

        await row.GetByTestId("status").HoverAsync();
        await Expect(session.Page.GetByText("Status from the numbers: progress against the pace expected by today")).ToBeVisibleAsync();
        await shell.ScreenshotAsync("status-tooltip-1366");

        await row.GetByTestId("confidence").HoverAsync();
        await Expect(session.Page.GetByText("The owner's confidence, given at the last check-in")).ToBeVisibleAsync();
        await shell.ScreenshotAsync("confidence-tooltip-1366");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task OnAPhoneTheReportAndCloseCycleTablesKeepStatusAndGradeInView()
    {
        var api = await app.AdminApiAsync();
        var cycles = await api.GetFromJsonAsync<JsonElement>("/api/v1/cycles?state=active");
        var cycle = cycles.GetProperty("items")[0].GetProperty("id").GetString();
        await using var session = await app.NewSessionAsync(390);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);

        await shell.GoAsync("/reports");
        var keyResult = session.Page.GetByTestId("report-key-result").First;
        await Expect(keyResult).ToBeVisibleAsync();
        await AssertWithinTheScreenAsync(keyResult.GetByTestId("status"));
        await AssertWithinTheScreenAsync(keyResult.GetByTestId("grade"));
        await shell.ScreenshotAsync("report-table-390");

        await shell.GoAsync($"/cycles/{cycle}/close");
        var row = new CloseCyclePage(session.Page).KeyResult("Raise customer satisfaction from 30 % to 50 %");
        await AssertWithinTheScreenAsync(row.GetByTestId("grade-select"));
        await AssertWithinTheScreenAsync(row.GetByTestId("grade-reason"));
        await shell.ScreenshotAsync("close-table-390");
    }

    private static async Task AssertWithinTheScreenAsync(ILocator element)
    {
        await element.ScrollIntoViewIfNeededAsync();
        var box = await element.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"{box.X} + {box.Width} runs off a 390 px screen");
    }

    private static async Task<HttpResponseMessage> GetCompressedAsync(HttpClient http, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response;
    }
}
