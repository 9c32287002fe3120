using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>Alert rules on the KPI page: created, edited, paused and deleted through the same service as the API.</summary>
public sealed class AlertRuleTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task AnAlertRuleIsCreatedEditedPausedAndDeletedOnTheKpiPage(int width)
    {
        var api = await app.AdminApiAsync();
        var team = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray().First().GetProperty("id").GetString()!;
        var kpi = await PostAsync(api, "/api/v1/kpis", new { name = $"Qualified leads {width}", ownerTeamId = team, unit = "leads", cadence = "weekly", criticalLower = 5, tags = new[] { "browser" } });
        var channelName = $"Sales on-call {width}";
        var channel = await PostAsync(api, "/api/v1/channels", new { name = channelName, kind = "email", target = "sales-on-call@example.com" });
        async Task<List<JsonElement>> RulesAsync() =>
            [.. (await api.GetFromJsonAsync<JsonElement>($"/api/v1/alert-rules?kpi={kpi}")).GetProperty("items").EnumerateArray()];

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var page = session.Page;
        await shell.GoAsync($"/kpis/{kpi}");
        var dialog = page.GetByRole(AriaRole.Dialog);

        // A change rule without its percentage is refused with the service's message, and nothing is stored.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
        await dialog.GetByLabel("Rule name").FillAsync("Leads dropped");
        await ChooseAsync(page, dialog.GetByLabel("Kind"), "Change: a rise or drop");
        await dialog.GetByTestId("alert-rule-save").ClickAsync();
        await Expect(dialog.GetByText("a change rule needs a percentage greater than 0.")).ToBeVisibleAsync();
        Assert.Empty(await RulesAsync());

        await dialog.GetByLabel("Change percent").FillAsync("20");
        await dialog.GetByLabel("Pending period in seconds").FillAsync("300");
        await dialog.GetByLabel("Repeat every minutes").FillAsync("60");
        await dialog.GetByLabel("Channels").ClickAsync();
        var option = page.GetByRole(AriaRole.Option, new() { Name = $"{channelName} (Email)" });
        await option.ClickAsync();
        await Expect(dialog.GetByLabel("Channels")).ToHaveValueAsync(channelName);

        // A multi-select's list stays open after a pick; Escape closes it once the pick is taken, before Save is pressed.
        await page.Keyboard.PressAsync("Escape");
        await Expect(option).ToBeHiddenAsync();
        await shell.ScreenshotAsync($"alert-rule-dialog-{width}");
        await dialog.GetByTestId("alert-rule-save").ClickAndWaitClosedAsync(dialog);

        var row = page.Locator("[data-testid=alert-rule][data-name=\"Leads dropped\"]");
        await Expect(row).ToContainTextAsync("Drop of 20 % against the previous period, for 0:05:00; repeats every 60 min while firing; 1 channel");
        var created = Assert.Single(await RulesAsync());
        Assert.Equal(("change", 20.0, 300, 60, channel), (created.GetProperty("kind").GetString(), created.GetProperty("changePercent").GetDouble(),
            created.GetProperty("pendingSeconds").GetInt32(), created.GetProperty("repeatMinutes").GetInt32(), created.GetProperty("channelIds")[0].GetString()));

        // Edited into a no-data rule.
        await row.GetByRole(AriaRole.Button, new() { Name = "Edit Leads dropped" }).ClickAsync();
        await dialog.GetByLabel("Rule name").FillAsync("Leads stopped");
        await ChooseAsync(page, dialog.GetByLabel("Kind"), "No data: values stop coming");
        await dialog.GetByLabel("Cadences without a value").FillAsync("3");
        await dialog.GetByTestId("alert-rule-save").ClickAndWaitClosedAsync(dialog);
        row = page.Locator("[data-testid=alert-rule][data-name=\"Leads stopped\"]");
        await Expect(row).ToContainTextAsync("No value for 3 cadences");
        Assert.Equal(("noData", 3), (Assert.Single(await RulesAsync()).GetProperty("kind").GetString(), (await RulesAsync())[0].GetProperty("noDataCadences").GetInt32()));

        // Paused, then resumed.
        await row.GetByRole(AriaRole.Button, new() { Name = "Pause Leads stopped" }).ClickAsync();
        await Expect(row.GetByTestId("alert-rule-paused")).ToBeVisibleAsync();
        Assert.False((await RulesAsync())[0].GetProperty("enabled").GetBoolean());
        await shell.ScreenshotAsync($"alert-rules-{width}");
        await row.GetByRole(AriaRole.Button, new() { Name = "Resume Leads stopped" }).ClickAsync();
        await Expect(row.GetByTestId("alert-rule-paused")).ToHaveCountAsync(0);
        Assert.True((await RulesAsync())[0].GetProperty("enabled").GetBoolean());

        // Deleted after a confirmation.
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete Leads stopped" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Empty(await RulesAsync());
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task ChooseAsync(IPage page, ILocator select, string option)
    {
        await select.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    private static async Task<string> PostAsync(HttpClient api, string url, object body)
    {
        var response = await api.PostAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
