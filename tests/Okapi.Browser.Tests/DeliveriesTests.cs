using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>The admin's delivery log: the outbox filtered by status and channel, and a failed delivery sent again.</summary>
public sealed class DeliveriesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task AnAdminFindsAFailedDeliveryAndRetriesItOnceTheReceiverAnswers(int width)
    {
        var api = await app.AdminApiAsync();
        await using var receiver = await LoopbackServer.StartAsync();
        receiver.Status = (int)HttpStatusCode.NotFound;
        using (var allowed = await api.PostAsJsonAsync("/api/v1/allowed-hosts", new { host = receiver.HostAndPort }))
        {
            Assert.True(allowed.IsSuccessStatusCode || allowed.StatusCode == HttpStatusCode.Conflict, await allowed.Content.ReadAsStringAsync());
        }

        var channelName = $"Ops receiver {width}";
        var channelId = await PostAsync(api, "/api/v1/channels", new { name = channelName, kind = "webhook", target = receiver.UrlFor($"/hook-{width}").ToString() });
        var deliveryId = (await PostJsonAsync(api, $"/api/v1/channels/{channelId}/test", new { })).GetProperty("delivery").GetProperty("id").GetString()!;
        async Task<JsonElement> DeliveryAsync() => await api.GetFromJsonAsync<JsonElement>($"/api/v1/deliveries/{deliveryId}");
        await Background.UntilAsync(async () => (await DeliveryAsync()).GetProperty("state").GetString() == "failed", "the delivery to fail");
        // The receiver is fixed: the next call gets through.
        receiver.Status = (int)HttpStatusCode.OK;

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var page = session.Page;
        await shell.GoAsync("/admin");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Deliveries" }).ClickAsync();
        var table = page.GetByTestId("deliveries-table");
        await Expect(table).ToBeVisibleAsync();

        await ChooseAsync(page, page.GetByLabel("Filter by status"), "Failed");
        await ChooseAsync(page, page.GetByLabel("Filter by channel"), channelName);
        var row = page.Locator($"[data-testid=delivery-row][data-id=\"{deliveryId}\"]");
        await Expect(page.GetByTestId("delivery-row")).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Failed");
        await Expect(row).ToContainTextAsync("404");
        await Expect(row).ToContainTextAsync(channelName);
        await shell.ScreenshotAsync($"deliveries-failed-{width}");
        await AxeCheck.AssertNothingSeriousAsync(page, "Admin → Deliveries");

        await row.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(page.GetByText("Queued again: it is being sent now.")).ToBeVisibleAsync();
        // Still filtered on failed: once sent, it leaves the list; without the status filter it shows as delivered.
        await Expect(row).ToHaveCountAsync(0);
        // The list is read when its filter changes: choose "Delivered" once the worker has sent it.
        await Background.UntilAsync(async () => (await DeliveryAsync()).GetProperty("state").GetString() == "delivered", "the retried delivery to be sent");
        await page.GetByLabel("Filter by status").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Delivered", Exact = true }).ClickAsync();
        await Expect(row).ToContainTextAsync("Delivered");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToHaveCountAsync(0);
        var delivered = await DeliveryAsync();
        Assert.Equal(("delivered", 1), (delivered.GetProperty("state").GetString(), delivered.GetProperty("attempts").GetInt32()));
        Assert.Equal(2, receiver.Requests.Count);
        await shell.ScreenshotAsync($"deliveries-retried-{width}");
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task ChooseAsync(IPage page, ILocator select, string option)
    {
        await select.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    private static async Task<string> PostAsync(HttpClient api, string url, object body) =>
        (await PostJsonAsync(api, url, body)).GetProperty("id").GetString()!;

    private static async Task<JsonElement> PostJsonAsync(HttpClient api, string url, object body)
    {
        using var response = await api.PostAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
