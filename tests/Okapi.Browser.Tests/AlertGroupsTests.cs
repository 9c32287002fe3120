using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>The alerts page groups alerts by rule: a flapping rule is one row, expandable to its alerts.</summary>
public sealed class AlertGroupsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task AFlappingRuleIsOneRowThatExpandsToItsAlertsAndItsOpenAlertIsAcknowledged(int width)
    {
        var api = await app.AdminApiAsync();
        var team = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray().First().GetProperty("id").GetString()!;
        var kpiName = $"Trial conversion {width}";
        var kpi = await PostAsync(api, "/api/v1/kpis", new { name = kpiName, ownerTeamId = team, unit = "%", cadence = "daily", criticalLower = 2, tags = new[] { "browser" } });
        var rule = $"Trials collapsed {width}";
        await PostAsync(api, "/api/v1/alert-rules", new { kpiId = kpi, name = rule, kind = "threshold", thresholdLevel = "critical", pendingSeconds = 0 });

        // Critical, fine, critical, fine, critical: the rule fires three times and is firing now.
        var start = app.Now.AddMinutes(-10);
        var values = new[] { 1.0, 5, 1, 5, 1 };
        for (var i = 0; i < values.Length; i++)
        {
            await PostAsync(api, $"/api/v1/kpis/{kpi}/values", new { at = start.AddMinutes(i), value = values[i] }, id: false);
        }

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var page = session.Page;
        await shell.GoAsync("/alerts");

        var group = page.GetByRole(AriaRole.Region, new() { Name = $"{kpiName} · {rule}" });
        await Expect(group).ToHaveCountAsync(1);
        await Expect(group.GetByTestId("alert-group-state")).ToHaveTextAsync("Firing");
        await Expect(group.GetByTestId("alert-group-summary")).ToContainTextAsync("Fired 3 times in the last 7 days");
        await Expect(group.GetByTestId("alert-row")).ToHaveCountAsync(1);

        var toggle = group.GetByRole(AriaRole.Button, new() { Name = $"Show 2 earlier alerts of {rule}" });
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await toggle.ClickAsync();
        var history = group.GetByTestId("alert-group-history");
        await Expect(history.GetByTestId("alert-row")).ToHaveCountAsync(2);
        await Expect(history.Locator("[data-testid=alert-row][data-state=resolved]")).ToHaveCountAsync(2);
        await Expect(group.GetByRole(AriaRole.Button, new() { Name = $"Hide 2 earlier alerts of {rule}" })).ToHaveAttributeAsync("aria-expanded", "true");

        // The open alert is acknowledged in its group, as before; the group stays expanded.
        await group.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Acknowledgement note").FillAsync("Trial emails bounced; fixed the sender");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAndWaitClosedAsync(dialog);
        await Expect(group.GetByTestId("acknowledgement-note")).ToHaveTextAsync("Trial emails bounced; fixed the sender");
        await Expect(history.GetByTestId("alert-row")).ToHaveCountAsync(2);
        var open = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?kpi={kpi}&open=true")).GetProperty("items")[0];
        Assert.Equal("Trial emails bounced; fixed the sender", open.GetProperty("acknowledgementNote").GetString());

        var groups = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/groups?kpi={kpi}")).GetProperty("items");
        Assert.Equal((1, 3, "firing"), (groups.GetArrayLength(), groups[0].GetProperty("firedCount").GetInt32(), groups[0].GetProperty("state").GetString()));
        await shell.ScreenshotAsync($"alert-groups-{width}");
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1"), $"/alerts scrolls sideways at {width} px");

        // A value back to normal resolves the alert: the group moves to the resolved ones without a reload.
        await PostAsync(api, $"/api/v1/kpis/{kpi}/values", new { at = start.AddMinutes(values.Length), value = 5.0 }, id: false);
        await Expect(group.GetByTestId("alert-group-state")).ToHaveTextAsync("Resolved");
        await Expect(group.GetByTestId("alert-group-summary")).ToContainTextAsync("Fired 3 times in the last 7 days");
        await Expect(group.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" })).ToHaveCountAsync(0);

        // A shorter period still holds today's alerts.
        await page.GetByRole(AriaRole.Group, new() { Name = "Period" }).GetByRole(AriaRole.Button, new() { Name = "Last 24 hours" }).ClickAsync();
        await Expect(group.GetByTestId("alert-group-summary")).ToContainTextAsync("Fired 3 times in the last 24 hours");
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task<string> PostAsync(HttpClient api, string url, object body, bool id = true)
    {
        var response = await api.PostAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return id ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()! : "";
    }
}
