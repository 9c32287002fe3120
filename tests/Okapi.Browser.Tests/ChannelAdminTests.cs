using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>The admin's channels and allowed hosts, through the channel service the API uses.</summary>
public sealed class ChannelAdminTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task AnAdminAddsTestsEditsAndDeletesAChannelAndAllowsAHost(int width)
    {
        var api = await app.AdminApiAsync();
        var name = $"Ops Slack {width}";
        // The machine resolves no public names: the webhook's host is allowed first, which the guard checks before DNS.
        var hostName = $"hooks-{width}.okapi.test";
        async Task<List<JsonElement>> ChannelsAsync() =>
            [.. (await api.GetFromJsonAsync<JsonElement>("/api/v1/channels?pageSize=200")).GetProperty("items").EnumerateArray().Where(c => c.GetProperty("name").GetString()!.EndsWith($" {width}"))];

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var page = session.Page;
        await shell.GoAsync("/admin");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Channels" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await page.GetByLabel("Host to allow").FillAsync(hostName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow host" }).ClickAsync();
        var allowed = page.Locator($"[data-testid=allowed-host][data-host=\"{hostName}\"]");
        await Expect(allowed).ToBeVisibleAsync();

        // A Slack channel without its URL is refused with the service's message, and nothing is stored.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add channel" }).ClickAsync();
        await dialog.GetByLabel("Channel name").FillAsync(name);
        await dialog.GetByLabel("Channel kind").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Slack", Exact = true }).ClickAsync();
        await dialog.GetByTestId("channel-save").ClickAsync();
        await Expect(dialog.Locator(".mud-input-error, [data-testid=channel-error]").First).ToBeVisibleAsync();
        Assert.Empty(await ChannelsAsync());

        await dialog.GetByLabel("Target").FillAsync($"https://{hostName}/services/T000/B000/XXXX");
        await shell.ScreenshotAsync($"channel-dialog-{width}");
        await dialog.GetByTestId("channel-save").ClickAndWaitClosedAsync(dialog);
        var row = page.Locator($"[data-testid=channel-row][data-name=\"{name}\"]");
        await Expect(row).ToContainTextAsync("Slack");
        Assert.Equal("slack", Assert.Single(await ChannelsAsync()).GetProperty("kind").GetString());

        await row.GetByRole(AriaRole.Button, new() { Name = $"Send test: {name}" }).ClickAsync();
        await Expect(page.GetByText($"A test notification is on its way through “{name}”.")).ToBeVisibleAsync();
        var channelId = (await ChannelsAsync())[0].GetProperty("id").GetString();
        var deliveries = await api.GetFromJsonAsync<JsonElement>($"/api/v1/deliveries?channel={channelId}");
        Assert.NotEmpty(deliveries.GetProperty("items").EnumerateArray());

        await row.GetByRole(AriaRole.Button, new() { Name = $"Edit {name}" }).ClickAsync();
        await dialog.GetByLabel("Enabled").UncheckAsync();
        await dialog.GetByTestId("channel-save").ClickAndWaitClosedAsync(dialog);
        await Expect(row).ToContainTextAsync("Disabled");
        Assert.False((await ChannelsAsync())[0].GetProperty("enabled").GetBoolean());

        await shell.ScreenshotAsync($"channels-{width}");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Delete {name}" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Empty(await ChannelsAsync());
        await allowed.GetByRole(AriaRole.Button, new() { Name = $"Remove {hostName}" }).ClickAsync();
        await Expect(allowed).ToHaveCountAsync(0);
        Assert.Empty(session.ConsoleErrors);
    }
}
