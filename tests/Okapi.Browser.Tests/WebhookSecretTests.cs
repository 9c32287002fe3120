using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>A generic webhook's signing secret: shown once when the channel is made, and again only when rotated.</summary>
public sealed class WebhookSecretTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task AnAdminSeesTheSigningSecretOnceWhenAddingAWebhookAndRotatesIt(int width)
    {
        var api = await app.AdminApiAsync();
        var name = $"Signed hook {width}";
        var hostName = $"signed-{width}.okapi.test";
        await api.PostAsJsonAsync("/api/v1/allowed-hosts", new { host = hostName });
        async Task<JsonElement> ChannelAsync() =>
            (await api.GetFromJsonAsync<JsonElement>("/api/v1/channels?pageSize=200")).GetProperty("items").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

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
        // Choosing a webhook adds its body choice, which moves the buttons: click Create only once the dialog has grown.
        await Expect(dialog.GetByLabel("Body format")).ToBeVisibleAsync();
        await dialog.GetByLabel("Target").FillAsync($"https://{hostName}/okapi");
        await dialog.GetByTestId("channel-save").ClickAsync();

        var secret = page.GetByTestId("webhook-secret");
        await Expect(secret).ToContainTextAsync("whsec_", new() { Timeout = 20_000 });
        var first = (await secret.TextContentAsync())!.Trim();
        await shell.ScreenshotAsync($"webhook-secret-{width}");
        await AxeCheck.AssertNothingSeriousAsync(page, "the signing secret dialog");
        await page.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        var row = page.Locator($"[data-testid=channel-row][data-name=\"{name}\"]");
        await Expect(row).ToContainTextAsync("signed");
        await Expect(row).Not.ToContainTextAsync("unsigned");
        var stored = await ChannelAsync();
        Assert.True(stored.GetProperty("signed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("secret").ValueKind);
        await shell.ScreenshotAsync($"webhook-signed-{width}");

        // Rotating asks first, then shows the new secret once.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Edit {name}" }).ClickAsync();
        await Expect(dialog.GetByTestId("channel-signing")).ToContainTextAsync("Requests are signed");
        await shell.ScreenshotAsync($"webhook-rotate-{width}");
        await AxeCheck.AssertNothingSeriousAsync(page, "the channel dialog of a signed webhook");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync();
        await Expect(secret).ToContainTextAsync("whsec_", new() { Timeout = 20_000 });
        var second = (await secret.TextContentAsync())!.Trim();
        Assert.NotEqual(first, second);
        await page.GetByRole(AriaRole.Button, new() { Name = "I have copied it" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        Assert.True((await ChannelAsync()).GetProperty("signed").GetBoolean());
        Assert.Empty(session.ConsoleErrors);
    }
}
