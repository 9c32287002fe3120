using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class KpiTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task TheDashboardShowsAKpiTurningCriticalWhenAValueIsPostedThroughTheApiWithoutReloading()
    {
        var api = await app.AdminApiAsync();
        var id = await CreateKpiAsync(api, "Weekly signups", criticalLower: 10);
        await PostValueAsync(api, id, 25);
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/kpis");
        var kpis = new KpisPage(session.Page);
        await Expect(kpis.Health("Weekly signups")).ToHaveTextAsync("OK");
        await Expect(kpis.Value("Weekly signups")).ToHaveTextAsync("25 signups");
        var urlBefore = session.Page.Url;

        await PostValueAsync(api, id, 1);

        await Expect(kpis.Health("Weekly signups")).ToHaveTextAsync("Critical");
        await Expect(kpis.Value("Weekly signups")).ToHaveTextAsync("1 signups");
        Assert.Equal(urlBefore, session.Page.Url);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AFiringAlertIsAcknowledgedWithANoteInTheAlertsList()
    {
        var api = await app.AdminApiAsync();
        var me = (await api.GetFromJsonAsync<JsonElement>("/api/v1/people/me")).GetProperty("id").GetString();
        var id = await CreateKpiAsync(api, "Checkout conversion", criticalLower: 2, ownerPersonId: me);
        var rule = await api.PostAsJsonAsync("/api/v1/alert-rules", new { kpiId = id, name = "Conversion collapsed", kind = "threshold", thresholdLevel = "critical", pendingSeconds = 0 });
        Assert.True(rule.IsSuccessStatusCode, await rule.Content.ReadAsStringAsync());
        await PostValueAsync(api, id, 1);
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/alerts");
        var alerts = new AlertsPage(session.Page);
        var row = alerts.Rows("Checkout conversion");
        await Expect(row.GetByTestId("alert-state")).ToHaveTextAsync("Firing");

        await alerts.AcknowledgeAsync("Checkout conversion", "Payment provider outage, rolling back");

        await Expect(row.GetByTestId("acknowledgement-note")).ToHaveTextAsync("Payment provider outage, rolling back");
        await Expect(row.GetByTestId("acknowledgement")).ToContainTextAsync("Acknowledged by");
        await Expect(row.GetByTestId("acknowledge")).ToHaveCountAsync(0);
        var stored = await api.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?kpi={id}");
        Assert.Equal("Payment provider outage, rolling back", stored.GetProperty("items")[0].GetProperty("acknowledgementNote").GetString());

        // Acknowledged is still firing: the owner's home page lists the KPI as in alert.
        await shell.GoAsync("/");
        await Expect(session.Page.GetByTestId("my-kpis-in-alert")).ToContainTextAsync("Checkout conversion");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AKpiIsCreatedInTheDialogAndItsPageShowsTheChartPeriodsAndAddedValue()
    {
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/kpis");
        await session.Page.GetByTestId("new-kpi").ClickAsync();
        var dialog = session.Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("KPI name").FillAsync("Support backlog");
        await dialog.GetByLabel("Warning lower").FillAsync("10");
        await dialog.GetByLabel("Critical lower").FillAsync("50");
        await dialog.GetByTestId("kpi-save").ClickAsync();
        // The service's validation error is shown at its field; the dialog stays open.
        await Expect(dialog.GetByText("must be less than or equal to warningLower")).ToBeVisibleAsync();
        await dialog.GetByLabel("Critical lower").FillAsync("5");
        await dialog.GetByLabel("Unit").FillAsync("tickets");
        await dialog.GetByTestId("kpi-save").ClickAndWaitClosedAsync(dialog);

        var kpis = new KpisPage(session.Page);
        await Expect(kpis.Health("Support backlog")).ToHaveTextAsync("Unknown");
        await kpis.Tile("Support backlog").ClickAsync();
        await Expect(session.Page.GetByTestId("kpi-heading")).ToContainTextAsync("Support backlog");
        await shell.WaitUntilInteractiveAsync();
        await session.Page.GetByTestId("add-value").ClickAsync();
        var valueDialog = session.Page.GetByRole(AriaRole.Dialog);
        await valueDialog.GetByLabel("Value").FillAsync("42");
        await valueDialog.GetByTestId("kpi-value-save").ClickAndWaitClosedAsync(valueDialog);

        await Expect(session.Page.GetByTestId("kpi-value")).ToHaveTextAsync("42 tickets");
        await Expect(session.Page.GetByTestId("kpi-period")).ToHaveCountAsync(1);
        await Expect(session.Page.GetByTestId("kpi-chart")).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task KpiPagesAndAlertsFitTheScreen(int width)
    {
        var api = await app.AdminApiAsync();
        var name = $"Revenue {width}";
        var id = await CreateKpiAsync(api, name, criticalLower: 50, warningLower: 80, target: 120);
        var rule = await api.PostAsJsonAsync("/api/v1/alert-rules", new { kpiId = id, name = "Revenue low", kind = "threshold", thresholdLevel = "warning", pendingSeconds = 0 });
        Assert.True(rule.IsSuccessStatusCode, await rule.Content.ReadAsStringAsync());
        var values = Enumerable.Range(0, 12).Select(i => new { at = app.Now.AddDays(-7 * (11 - i)), value = 100.0 + (i % 4 * 9) - (i == 11 ? 57 : 0) }).ToArray();
        var posted = await api.PostAsJsonAsync($"/api/v1/kpis/{id}/values", values);
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        foreach (var (path, shot) in new[] { ("/kpis", "kpis"), ($"/kpis/{id}", "kpi"), ("/alerts", "alerts") })
        {
            await shell.GoAsync(path);
            await session.Page.Locator("[data-testid=kpi-tile], [data-testid=kpi-chart], [data-testid=alert-row]").First.WaitForAsync();
            await shell.ScreenshotAsync($"{shot}-{width}");
            var overflow = await session.Page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, $"{path} scrolls sideways at {width} px");
        }

        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task<string> CreateKpiAsync(HttpClient api, string name, double criticalLower, double? warningLower = null, double? target = null, string? ownerPersonId = null)
    {
        var teams = await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200");
        var team = teams.GetProperty("items").EnumerateArray().First().GetProperty("id").GetString();
        var response = await api.PostAsJsonAsync("/api/v1/kpis", new { name, ownerTeamId = team, ownerPersonId, unit = name.StartsWith("Weekly") ? "signups" : null, cadence = "daily", criticalLower, warningLower, target, tags = new[] { "browser" } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task PostValueAsync(HttpClient api, string id, double value)
    {
        var response = await api.PostAsJsonAsync($"/api/v1/kpis/{id}/values", new { value });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
