using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class CheckInNotesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task ACheckInNoteShowsWithItsCheckInAndInTheHistoryThatNamesTheKeyResult(int width)
    {
        var api = await app.AdminApiAsync();
        var cycle = (await api.GetFromJsonAsync<JsonElement>("/api/v1/cycles?pageSize=200")).GetProperty("items").EnumerateArray()
            .First(c => c.GetProperty("state").GetString() == "active").GetProperty("id").GetString();
        var company = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray()
            .First(t => t.GetProperty("parentTeamId").ValueKind == JsonValueKind.Null).GetProperty("id").GetString();
        var objective = await CreateAsync(api, "/api/v1/objectives",
            new { title = $"Win the pilot customers {width}", cycleId = cycle, ownerTeamId = company, state = "active", visibility = "public" });
        var pilots = $"Sign 6 pilot customers {width}";
        await CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = pilots, type = "increaseTo", unit = "pilots", start = 0, target = 6 });
        await CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = $"Publish 3 case studies {width}", type = "increaseTo", start = 0, target = 3 });

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/objectives/{objective}");
        var keyResult = session.Page.GetByRole(AriaRole.Region, new() { Name = pilots });
        await keyResult.GetByRole(AriaRole.Button, new() { Name = $"Check in on {pilots}" }).ClickAsync();
        var dialog = session.Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("New value").FillAsync("2");
        await dialog.GetByText("At risk", new() { Exact = true }).ClickAsync();
        await dialog.GetByLabel("Note").FillAsync("Two pilots signed; **legal** still reviews the third.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Check in", Exact = true }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();

        var checkIns = keyResult.GetByRole(AriaRole.List, new() { Name = $"Check-ins on {pilots}" });
        var entry = checkIns.GetByRole(AriaRole.Listitem).First;
        await Expect(entry).ToContainTextAsync("2 pilots");
        await Expect(entry).ToContainTextAsync("At risk");
        await Expect(entry).ToContainTextAsync("Two pilots signed; legal still reviews the third.");
        await Expect(entry.Locator("strong")).ToHaveTextAsync("legal");

        var history = session.Page.GetByTestId("history");
        var checkedIn = history.GetByTestId("history-entry").Filter(new() { HasText = $"checked in 2 pilots on “{pilots}” · at risk" });
        await Expect(checkedIn).ToContainTextAsync("Two pilots signed; legal still reviews the third.");
        await Expect(history.GetByTestId("history-entry").Filter(new() { HasText = $"created the key result “{pilots}”" })).ToBeVisibleAsync();
        await Expect(history.GetByTestId("history-entry").Filter(new() { HasText = $"created the objective “Win the pilot customers {width}”" })).ToBeVisibleAsync();
        await shell.ScreenshotAsync($"check-in-notes-{width}");

        var events = await api.GetFromJsonAsync<JsonElement>($"/api/v1/objectives/{objective}/history");
        var checkInEvent = events.EnumerateArray().Single(e => e.GetProperty("entityType").GetString() == "CheckIn");
        Assert.Equal(pilots, checkInEvent.GetProperty("about").GetString());
        Assert.Equal("Two pilots signed; **legal** still reviews the third.", checkInEvent.GetProperty("checkIn").GetProperty("note").GetString());
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task<string> CreateAsync(HttpClient api, string url, object body)
    {
        var response = await api.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }
}
