using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>A key result that follows a KPI: its row says so and links the KPI, and its check-ins come from the KPI.</summary>
public sealed class FollowingKpiTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task AKeyResultFollowingAKpiLinksItOffersNoManualCheckInAndHomeCreditsTheKpi(int width)
    {
        var api = await app.AdminApiAsync();
        var me = (await api.GetFromJsonAsync<JsonElement>("/api/v1/people/me")).GetProperty("id").GetString()!;
        var team = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray().First().GetProperty("id").GetString()!;
        var cycle = (await api.GetFromJsonAsync<JsonElement>("/api/v1/cycles?state=active")).GetProperty("items")[0].GetProperty("id").GetString()!;
        var kpiName = $"Trial conversions {width}";
        var kpi = await PostAsync(api, "/api/v1/kpis", new { name = kpiName, ownerTeamId = team, unit = "trials", cadence = "daily", criticalLower = 1, tags = new[] { "browser" } });
        var objective = await PostAsync(api, "/api/v1/objectives", new { title = $"Win more trials {width}", cycleId = cycle, ownerPersonId = me, state = "active" });
        var krTitle = $"Convert 60 trials a day {width}";
        await PostAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = krTitle, ownerPersonId = me, type = "increaseTo", unit = "trials", start = 10, target = 60, kpiId = kpi });
        var manual = $"Publish the pricing page {width}";
        await PostAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = manual, ownerPersonId = me, type = "increaseTo", unit = "pages", start = 0, target = 3 });
        (await api.PostAsJsonAsync($"/api/v1/kpis/{kpi}/values", new { value = 37 })).EnsureSuccessStatusCode();

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var page = session.Page;

        await shell.GoAsync($"/objectives/{objective}");
        var okrs = new OkrsPage(page);
        var row = okrs.KeyResult(krTitle);
        await Expect(row.GetByTestId("kr-follows-kpi")).ToContainTextAsync($"Follows the KPI {kpiName}");
        await Expect(row.GetByTestId("kr-value")).ToContainTextAsync("37");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Check in on {krTitle}" })).ToHaveCountAsync(0);
        await Expect(okrs.KeyResult(manual).GetByRole(AriaRole.Button, new() { Name = $"Check in on {manual}" })).ToBeVisibleAsync();
        await shell.ScreenshotAsync($"kr-follows-kpi-{width}");

        await shell.GoAsync("/");
        var activity = page.GetByTestId("activity").Filter(new() { HasText = krTitle }).First;
        await Expect(activity).ToContainTextAsync($"The KPI {kpiName} checked in 37 trials on “{krTitle}”");
        await Expect(activity).Not.ToContainTextAsync("Someone");
        await shell.ScreenshotAsync($"home-kpi-check-in-{width}");
        await activity.GetByRole(AriaRole.Link, new() { Name = kpiName }).ClickAsync();
        await Expect(page.GetByTestId("kpi-heading")).ToContainTextAsync(kpiName);

        await shell.GoAsync($"/objectives/{objective}");
        await okrs.KeyResult(krTitle).GetByRole(AriaRole.Link, new() { Name = kpiName }).ClickAsync();
        await Expect(page.GetByTestId("kpi-heading")).ToContainTextAsync(kpiName);
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task<string> PostAsync(HttpClient api, string url, object body)
    {
        var response = await api.PostAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
