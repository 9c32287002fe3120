using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>An admin chooses which events a channel hears and of which teams, through the channel service the API uses.</summary>
public sealed class ChannelSubscriptionTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task AnAdminSubscribesAChannelToOneTeamsCheckInsAndTheListShowsIt(int width)
    {
        var api = await app.AdminApiAsync();
        var name = $"Team check-ins {width}";
        var team = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray().First();
        var teamName = team.GetProperty("name").GetString()!;
        async Task<List<JsonElement>> ChannelsAsync() =>
            [.. (await api.GetFromJsonAsync<JsonElement>("/api/v1/channels?pageSize=200")).GetProperty("items").EnumerateArray().Where(c => c.GetProperty("name").GetString() == name)];

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var page = session.Page;
        await shell.GoAsync("/admin");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Channels" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add channel" }).ClickAsync();
        await dialog.GetByLabel("Channel name").FillAsync(name);
        await dialog.GetByLabel("Target").FillAsync($"team-{width}@example.com");

        // A new channel hears alerts, as every channel did; the admin swaps them for check-ins.
        var hears = dialog.GetByLabel("Events it hears");
        await Expect(hears).ToHaveValueAsync("Alerts", new() { Timeout = 15_000 });
        await hears.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Check-ins", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Alerts", Exact = true }).ClickAsync();
        await Expect(hears).ToHaveValueAsync("Check-ins");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByRole(AriaRole.Option, new() { Name = "Check-ins", Exact = true })).ToBeHiddenAsync();

        var teams = dialog.GetByLabel("Teams it hears");
        await teams.ClickAsync();
        var teamOption = page.GetByRole(AriaRole.Option, new() { Name = teamName, Exact = true });
        await teamOption.ClickAsync();
        await Expect(teams).ToHaveValueAsync(teamName);
        await page.Keyboard.PressAsync("Escape");
        await Expect(teamOption).ToBeHiddenAsync();
        await shell.ScreenshotAsync($"channel-subscriptions-dialog-{width}");
        await dialog.GetByTestId("channel-save").ClickAndWaitClosedAsync(dialog);

        var row = page.Locator($"[data-testid=channel-row][data-name=\"{name}\"]");
        await Expect(row.GetByTestId("channel-hears")).ToContainTextAsync("Check-ins");
        await Expect(row.GetByTestId("channel-hears")).ToContainTextAsync(teamName);
        await Expect(row.GetByTestId("channel-hears")).Not.ToContainTextAsync("Alerts");
        var stored = Assert.Single(await ChannelsAsync());
        Assert.Equal(["checkInCreated"], stored.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([team.GetProperty("id").GetGuid()], stored.GetProperty("teamIds").EnumerateArray().Select(e => e.GetGuid()));
        await shell.ScreenshotAsync($"channel-subscriptions-{width}");

        // Editing shows what is stored, and choosing no event at all is refused by the service with nothing changed.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Edit {name}" }).ClickAsync();
        await Expect(hears).ToHaveValueAsync("Check-ins", new() { Timeout = 15_000 });
        await Expect(teams).ToHaveValueAsync(teamName);
        await hears.ClickAsync();
        var checkIns = page.GetByRole(AriaRole.Option, new() { Name = "Check-ins", Exact = true });
        await checkIns.ClickAsync();
        await Expect(hears).Not.ToHaveValueAsync("Check-ins");
        await page.Keyboard.PressAsync("Escape");
        await Expect(checkIns).ToBeHiddenAsync();
        await dialog.GetByTestId("channel-save").ClickAsync();
        await Expect(dialog.GetByText("must name at least one kind", new() { Exact = false })).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAndWaitClosedAsync(dialog);
        Assert.Equal(["checkInCreated"], Assert.Single(await ChannelsAsync()).GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        await api.DeleteAsync($"/api/v1/channels/{stored.GetProperty("id").GetGuid()}");
        Assert.Empty(session.ConsoleErrors);
    }
}
