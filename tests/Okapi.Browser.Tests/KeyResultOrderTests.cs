using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class KeyResultOrderTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task KeyResultsAreMovedUpAndDownFromTheirActionsMenu()
    {
        var api = await app.AdminApiAsync();
        foreach (var width in new[] { 1366, 390 })
        {
            var objective = await Arrange.ObjectiveAsync(api, $"Win back lapsed customers ({width})");
            string[] titles = [$"Email 500 lapsed customers ({width})", $"Win back 50 customers ({width})", $"Cut churn from 8 % to 5 % ({width})"];
            await Arrange.CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = titles[0], type = "increaseTo", start = 0, target = 500 });
            await Arrange.CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = titles[1], type = "increaseTo", start = 0, target = 50 });
            await Arrange.CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = titles[2], type = "decreaseTo", unit = "%", start = 8, target = 5 });

            await using var session = await app.NewSessionAsync(width);
            var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
            await shell.GoAsync($"/objectives/{objective}");
            var page = session.Page;
            var rows = page.GetByTestId("kr-row");
            await Expect(rows).ToHaveCountAsync(3, new() { Timeout = 30_000 });

            // The first offers no "Move up", the last no "Move down".
            await page.GetByRole(AriaRole.Button, new() { Name = $"Actions for {titles[0]}" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Move down" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Move up" })).ToHaveCountAsync(0);
            await shell.ScreenshotAsync($"kr-move-menu-{width}");
            await page.Keyboard.PressAsync("Escape");

            await page.GetByRole(AriaRole.Button, new() { Name = $"Actions for {titles[2]}" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Move down" })).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Menuitem, new() { Name = "Move up" }).ClickAsync();
            await Expect(rows.Nth(1)).ToHaveAttributeAsync("data-title", titles[2], new() { Timeout = 30_000 });

            await page.GetByRole(AriaRole.Button, new() { Name = $"Actions for {titles[0]}" }).ClickAsync();
            await page.GetByRole(AriaRole.Menuitem, new() { Name = "Move down" }).ClickAsync();
            await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-title", titles[2], new() { Timeout = 30_000 });
            await Expect(rows.Nth(1)).ToHaveAttributeAsync("data-title", titles[0]);
            await shell.ScreenshotAsync($"kr-moved-{width}");

            // The order is stored: the API and a fresh page show it too.
            string[] expected = [titles[2], titles[0], titles[1]];
            var stored = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/key-results?objective={objective}")).GetProperty("items")
                .EnumerateArray().Select(k => k.GetProperty("title").GetString()).ToArray();
            Assert.Equal(expected, stored);
            await page.ReloadAsync();
            await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-title", titles[2], new() { Timeout = 30_000 });
            Assert.Empty(session.ConsoleErrors);
        }
    }
}
