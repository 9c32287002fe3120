using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>Pull sources from Admin and from the KPI page, through the source service the API uses, against a real HTTP endpoint.</summary>
public sealed class PullSourcesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task AnAdminAddsAnHttpJsonSourceRunsItNowAndSeesTheValueAndLaterTheError(int width)
    {
        var api = await app.AdminApiAsync();
        await using var endpoint = await LoopbackServer.StartAsync();
        endpoint.Json = """{"data":{"total":42.5}}""";
        // Loopback is refused unless an admin allows the host: allowed through the channel service's API first.
        using (var allowed = await api.PostAsJsonAsync("/api/v1/allowed-hosts", new { host = endpoint.HostAndPort }))
        {
            Assert.True(allowed.IsSuccessStatusCode || allowed.StatusCode == HttpStatusCode.Conflict, await allowed.Content.ReadAsStringAsync());
        }

        var team = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray().First().GetProperty("id").GetString()!;
        var kpiName = $"Active users {width}";
        string kpiId;
        using (var created = await api.PostAsJsonAsync("/api/v1/kpis", new { name = kpiName, ownerTeamId = team, unit = "users", cadence = "daily" }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            kpiId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        async Task<List<JsonElement>> SourcesAsync() => [.. (await api.GetFromJsonAsync<JsonElement>($"/api/v1/kpi-sources?kpi={kpiId}")).GetProperty("items").EnumerateArray()];

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var page = session.Page;
        await shell.GoAsync("/admin");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Pull sources" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add source" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var kpiPicker = dialog.GetByLabel("KPI", new() { Exact = true });
        await kpiPicker.ClickAsync();
        await kpiPicker.PressSequentiallyAsync(kpiName, new() { Delay = 20 });
        await page.GetByRole(AriaRole.Option, new() { Name = kpiName, Exact = true }).ClickAsync();
        await Expect(kpiPicker).ToHaveValueAsync(kpiName);
        await dialog.GetByLabel("URL", new() { Exact = true }).FillAsync(endpoint.UrlFor($"/metrics-{width}").ToString());
        await dialog.GetByLabel("JSON path").FillAsync("$.data.total");

        // A schedule that is not cron is refused with the service's message, and nothing is stored.
        await dialog.GetByLabel("Schedule").FillAsync("every hour");
        await dialog.GetByTestId("source-save").ClickAsync();
        await Expect(dialog.GetByText("must be a cron expression", new() { Exact = false })).ToBeVisibleAsync();
        Assert.Empty(await SourcesAsync());

        await dialog.GetByLabel("Schedule").FillAsync("0 * * * *");
        await shell.ScreenshotAsync($"pull-source-dialog-{width}");
        await AxeCheck.AssertNothingSeriousAsync(page, "the pull source dialog");
        await dialog.GetByTestId("source-save").ClickAndWaitClosedAsync(dialog);
        var source = Assert.Single(await SourcesAsync());
        Assert.Equal(("httpJson", "0 * * * *", "$.data.total"), (source.GetProperty("kind").GetString(), source.GetProperty("schedule").GetString(), source.GetProperty("jsonPath").GetString()));
        var row = page.Locator($"[data-testid=source-row][data-kpi=\"{kpiName}\"]");
        await Expect(row).ToContainTextAsync("HTTP JSON");
        await Expect(row).ToContainTextAsync("Not run yet");

        // Run now says what it stored, and the row shows the run.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Run now: the source of {kpiName}" }).ClickAsync();
        await Expect(page.GetByText("Stored 42.5.")).ToBeVisibleAsync();
        await Expect(row.GetByTestId("source-result")).ToContainTextAsync("Stored a value at");

        // Edited through the same dialog.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Edit the source of {kpiName}" }).ClickAsync();
        await Expect(dialog.GetByLabel("Schedule")).ToHaveValueAsync("0 * * * *");
        await dialog.GetByLabel("Schedule").FillAsync("*/30 * * * *");
        await dialog.GetByTestId("source-save").ClickAndWaitClosedAsync(dialog);
        await Expect(row).ToContainTextAsync("*/30 * * * *");
        Assert.Equal("*/30 * * * *", Assert.Single(await SourcesAsync()).GetProperty("schedule").GetString());
        await shell.ScreenshotAsync($"pull-sources-{width}");
        await AxeCheck.AssertNothingSeriousAsync(page, "Admin → Pull sources");

        // The KPI shows the pulled value, and its page lists its sources.
        await row.GetByRole(AriaRole.Link, new() { Name = kpiName }).ClickAsync();
        await Expect(page.GetByTestId("kpi-heading")).ToContainTextAsync(kpiName);
        await shell.WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("kpi-value")).ToHaveTextAsync("42.5 users");
        var card = page.GetByTestId("kpi-sources");
        await Expect(card.GetByTestId("kpi-source")).ToHaveCountAsync(1);

        // A failing source stores nothing and shows its error.
        endpoint.Status = (int)HttpStatusCode.InternalServerError;
        await card.GetByRole(AriaRole.Button, new() { Name = "Run now: the HTTP JSON source" }).ClickAsync();
        await Expect(page.GetByText("Nothing stored:", new() { Exact = false })).ToBeVisibleAsync();
        await Expect(card.GetByTestId("source-result")).ToContainTextAsync("Failed:");
        await Expect(card.GetByTestId("source-result")).ToContainTextAsync("500");
        Assert.Contains("500", Assert.Single(await SourcesAsync()).GetProperty("lastError").GetString());
        await Expect(page.GetByTestId("kpi-value")).ToHaveTextAsync("42.5 users");

        // Added from the KPI page: the dialog knows the KPI.
        await card.GetByRole(AriaRole.Button, new() { Name = "Add source" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync($"KPI: {kpiName}");
        await dialog.GetByLabel("URL", new() { Exact = true }).FillAsync(endpoint.UrlFor($"/backup-{width}").ToString());
        await dialog.GetByLabel("JSON path").FillAsync("$.data.total");
        // With an API key: a password field, stored encrypted; the API says only that a value is stored.
        var key = $"key-{Guid.NewGuid():N}";
        await dialog.GetByLabel("Header name").FillAsync("X-API-Key");
        await Expect(dialog.GetByLabel("Header value")).ToHaveAttributeAsync("type", "password");
        await dialog.GetByLabel("Header value").FillAsync(key);
        await dialog.GetByTestId("source-save").ClickAndWaitClosedAsync(dialog);
        await Expect(card.GetByTestId("kpi-source")).ToHaveCountAsync(2);
        var keyed = (await SourcesAsync()).Single(s => s.GetProperty("url").GetString()!.EndsWith($"/backup-{width}"));
        Assert.Equal(("X-API-Key", true), (keyed.GetProperty("headerName").GetString(), keyed.GetProperty("hasHeaderValue").GetBoolean()));
        Assert.DoesNotContain(key, keyed.GetRawText());
        await shell.ScreenshotAsync($"kpi-pull-sources-{width}");
        await AxeCheck.AssertNothingSeriousAsync(page, "the KPI page's pull sources");

        // Deleted from Admin, after a confirmation.
        var added = (await SourcesAsync()).Single(s => s.GetProperty("url").GetString()!.EndsWith($"/backup-{width}")).GetProperty("id").GetString();
        await shell.GoAsync("/admin");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Pull sources" }).ClickAsync();
        var addedRow = page.Locator($"[data-testid=source-row][data-id=\"{added}\"]");
        await addedRow.GetByRole(AriaRole.Button, new() { Name = $"Delete the source of {kpiName}" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(addedRow).ToHaveCountAsync(0);
        Assert.Single(await SourcesAsync());
        Assert.Empty(session.ConsoleErrors);
    }
}
