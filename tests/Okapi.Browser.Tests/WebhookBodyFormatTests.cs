using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>A generic webhook's body: Okapi's own JSON or Alertmanager's, chosen in the channel dialog.</summary>
public sealed class WebhookBodyFormatTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task AnAdminChoosesTheAlertmanagerBodyForAWebhookAndBackAgain(int width)
    {
        var api = await app.AdminApiAsync();
        var name = $"Alertmanager hook {width}";
        var hostName = $"am-{width}.okapi.test";
        await api.PostAsJsonAsync("/api/v1/allowed-hosts", new { host = hostName });
        async Task<string> FormatAsync() =>
            (await api.GetFromJsonAsync<JsonElement>("/api/v1/channels?pageSize=200")).GetProperty("items").EnumerateArray()
                .Single(c => c.GetProperty("name").GetString() == name).GetProperty("bodyFormat").GetString()!;

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var page = session.Page;
        await shell.GoAsync("/admin");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Channels" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add channel" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog).First;
        await dialog.GetByLabel("Channel name").FillAsync(name);
        await dialog.GetByLabel("Channel kind").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Webhook (JSON)" }).ClickAsync();
        await dialog.GetByLabel("Target").FillAsync($"https://{hostName}/alerts");
        await dialog.GetByLabel("Body format").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Alertmanager-compatible" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("alerts firing and resolved only");
        await shell.ScreenshotAsync($"webhook-body-format-{width}");
        await AxeCheck.AssertNothingSeriousAsync(page, "the channel dialog with a webhook's body");
        await dialog.GetByTestId("channel-save").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        var row = page.Locator($"[data-testid=channel-row][data-name=\"{name}\"]");
        await Expect(row).ToContainTextAsync("Alertmanager body");
        Assert.Equal("alertmanager", await FormatAsync());
        await shell.ScreenshotAsync($"webhook-alertmanager-row-{width}");
        await AxeCheck.AssertNothingSeriousAsync(page, "Admin → Channels with a signed Alertmanager webhook");

        // The dialog shows what is stored before the choice is changed, and the new choice has taken before saving.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Edit {name}" }).ClickAsync();
        // (The field's helper text follows the bound value.)
        await Expect(dialog).ToContainTextAsync("alerts firing and resolved only");
        await dialog.GetByLabel("Body format").ClickAsync();
        var okapiJson = page.GetByRole(AriaRole.Option, new() { Name = "Okapi JSON" });
        await okapiJson.ClickAsync();
        await Expect(dialog).ToContainTextAsync("Okapi's own JSON, for every notification.");
        await Expect(okapiJson).ToBeHiddenAsync();
        await dialog.GetByTestId("channel-save").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Expect(row).Not.ToContainTextAsync("Alertmanager body");
        Assert.Equal("okapi", await FormatAsync());
        Assert.Empty(session.ConsoleErrors);
    }
}
