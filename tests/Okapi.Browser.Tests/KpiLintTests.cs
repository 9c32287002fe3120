using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>The linter's KPI rules where people meet them: the KPI dialog, the key result dialog and the report.</summary>
public sealed class KpiLintTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task TheDialogsAndTheReportShowTheKpiFindings(int width)
    {
        var api = await app.AdminApiAsync();
        var team = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray().First().GetProperty("id").GetString()!;
        var cycle = (await api.GetFromJsonAsync<JsonElement>("/api/v1/cycles?state=active")).GetProperty("items")[0].GetProperty("id").GetString()!;
        var name = $"Newsletter signups {width}";
        // Each width's key result has its own target, so that its finding in the shared demo organisation is its own.
        var target = width == 390 ? "140" : "150";
        var kpi = await PostAsync(api, "/api/v1/kpis", new { name, ownerTeamId = team, unit = "signups", cadence = "weekly", tags = new[] { "browser" } });
        // Ten weeks rising by 10 a week, the newest 190.
        var values = Enumerable.Range(0, 10).Select(i => new { at = app.Now.AddDays(-7 * (10 - i)), value = 100.0 + 10 * i }).ToArray();
        (await api.PostAsJsonAsync($"/api/v1/kpis/{kpi}/values", values)).EnsureSuccessStatusCode();
        var objective = await PostAsync(api, "/api/v1/objectives", new { title = $"Grow a loyal readership {width}", cycleId = cycle, ownerTeamId = team, state = "active" });

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var page = session.Page;

        // The KPI dialog asks the question a KPI without threshold or alert rule must answer.
        await shell.GoAsync($"/kpis/{kpi}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var noThreshold = dialog.Locator("[data-testid=lint-hint][data-rule=kpi-no-threshold-or-alert]");
        await Expect(noThreshold).ToContainTextAsync("neither a threshold nor an alert rule", new() { Timeout = 15_000 });
        await shell.ScreenshotAsync($"lint-kpi-dialog-{width}");
        await dialog.GetByLabel("Warning lower").FillAsync("80");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAndWaitClosedAsync(dialog);
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(dialog.GetByLabel("KPI name")).ToHaveValueAsync(name);
        await Expect(noThreshold).ToHaveCountAsync(0);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAndWaitClosedAsync(dialog);

        // The key result dialog checks the target against the KPI it follows as it is typed.
        await shell.GoAsync($"/objectives/{objective}");
        await page.GetByTestId("add-kr").ClickAsync();
        await dialog.GetByLabel("Key result title").FillAsync($"Grow weekly newsletter signups to {target}");
        await dialog.GetByLabel("Follows KPI").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = name, Exact = true }).ClickAsync();
        await dialog.GetByLabel("Start from the KPI's value at cycle start").UncheckAsync();
        await dialog.GetByLabel("Start", new() { Exact = true }).FillAsync("100");
        await dialog.GetByLabel("Target", new() { Exact = true }).FillAsync(target);
        await dialog.GetByLabel("Start", new() { Exact = true }).FocusAsync();
        var reached = dialog.Locator("[data-testid=lint-hint][data-rule=key-result-reached-by-trend]");
        await Expect(reached).ToContainTextAsync("already at 190", new() { Timeout = 15_000 });
        await shell.ScreenshotAsync($"lint-kr-dialog-{width}");
        await dialog.GetByLabel("Target", new() { Exact = true }).FillAsync("600");
        await dialog.GetByLabel("Start", new() { Exact = true }).FocusAsync();
        await Expect(reached).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await dialog.GetByLabel("Target", new() { Exact = true }).FillAsync(target);
        await dialog.GetByTestId("kr-save").ClickAndWaitClosedAsync(dialog);

        // The team's report lists what the linter says of the saved key result.
        await shell.GoAsync($"/reports?cycle={cycle}&team={team}");
        await Expect(page.GetByTestId("finding").Filter(new() { HasText = $"The linked KPI is already at 190, past the target {target}:" })).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await page.GetByTestId("findings").ScrollIntoViewIfNeededAsync();
        await shell.ScreenshotAsync($"lint-report-{width}");
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task<string> PostAsync(HttpClient api, string url, object body)
    {
        var response = await api.PostAsJsonAsync(url, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
