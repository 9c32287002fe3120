using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class SearchKpiTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task CtrlKFindsAKpiAndEnterOpensItsPage(int width)
    {
        var api = await app.AdminApiAsync();
        var team = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray().First().GetProperty("id").GetString();
        var name = $"Weekly refunds {width}";
        var created = await api.PostAsJsonAsync("/api/v1/kpis",
            new { name, ownerTeamId = team, unit = "€", direction = "lowerIsBetter", cadence = "weekly", aggregation = "sum" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var results = await shell.SearchAsync($"refunds {width}");
        var hit = results.GetByRole(AriaRole.Option).Filter(new() { HasText = name });
        await Expect(hit).ToContainTextAsync("KPI");
        await shell.ScreenshotAsync($"search-kpi-{width}");

        await session.Page.GetByRole(AriaRole.Textbox, new() { Name = "Search" }).PressAsync("Enter");

        // The URL alone: the router changes it in place, so there is no page load to wait for.
        await Expect(session.Page).ToHaveURLAsync(new Regex($"/kpis/{id}$", RegexOptions.IgnoreCase));
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task EnterPressedRightAfterTypingOpensTheBestHitForTheWholeText()
    {
        var api = await app.AdminApiAsync();
        var team = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray().First().GetProperty("id").GetString();
        const string name = "Chargeback queue length";
        var created = await api.PostAsJsonAsync("/api/v1/kpis",
            new { name, ownerTeamId = team, unit = "cases", direction = "lowerIsBetter", cadence = "daily", aggregation = "last" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await using var session = await app.NewSessionAsync(1366);
        await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await session.Page.Keyboard.PressAsync("Control+k");
        var input = session.Page.GetByRole(AriaRole.Textbox, new() { Name = "Search" });
        await Expect(input).ToBeFocusedAsync();
        await input.PressSequentiallyAsync("chargeback queue");
        await input.PressAsync("Enter");

        // The URL alone: the router changes it in place, so there is no page load to wait for.
        await Expect(session.Page).ToHaveURLAsync(new Regex($"/kpis/{id}$", RegexOptions.IgnoreCase));
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
    }
}
