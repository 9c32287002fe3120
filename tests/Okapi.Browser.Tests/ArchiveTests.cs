using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class ArchiveTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 30_000 };

    [Fact]
    public async Task AnArchivedObjectiveLeavesTheListIsFoundUnderArchivedAndIsRestored()
    {
        var api = await app.AdminApiAsync();
        var sales = await Arrange.TeamAsync(api, "Sales");
        foreach (var width in new[] { 1366, 390 })
        {
            var title = $"Retire the fax order line ({width})";
            var objective = await Arrange.ObjectiveAsync(api, title);

            await using var session = await app.NewSessionAsync(width);
            var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
            var page = session.Page;
            await shell.GoAsync($"/objectives/{objective}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Archive", Exact = true }).ClickAsync();
            var confirm = page.GetByRole(AriaRole.Dialog);
            await Expect(confirm).ToContainTextAsync("read-only", new() { Timeout = 30_000 });
            await Expect(confirm).ToContainTextAsync("restore it at any time");
            await shell.ScreenshotAsync($"archive-objective-confirm-{width}");
            await confirm.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();

            var banner = page.GetByTestId("archived-banner");
            await Expect(banner).ToBeVisibleAsync(Slow);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true })).ToHaveCountAsync(0);
            await Expect(page.GetByText($"archived the objective “{title}”")).ToBeVisibleAsync(Slow);
            await shell.ScreenshotAsync($"archive-objective-banner-{width}");
            Assert.NotEqual(JsonValueKind.Null, (await ObjectiveAsync(api, objective)).GetProperty("archivedAt").ValueKind);

            var okrs = new OkrsPage(page);
            await shell.GoAsync($"/okrs/team/{sales}");
            await Expect(page.GetByTestId("objective-card").First).ToBeVisibleAsync(Slow);
            await Expect(okrs.Objective(title)).ToHaveCountAsync(0);
            var archivedOnly = page.GetByRole(AriaRole.Switch, new() { Name = "Archived" });
            await archivedOnly.ClickAsync();
            await Expect(archivedOnly).ToBeCheckedAsync();
            await Expect(okrs.Objective(title)).ToBeVisibleAsync(Slow);
            await Expect(okrs.Objective(title).GetByTestId("archived-chip")).ToBeVisibleAsync();
            await shell.ScreenshotAsync($"archive-objective-list-{width}");

            await okrs.Objective(title).GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
            await banner.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
            await Expect(banner).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true })).ToBeVisibleAsync();
            Assert.Equal(JsonValueKind.Null, (await ObjectiveAsync(api, objective)).GetProperty("archivedAt").ValueKind);

            await shell.GoAsync($"/okrs/team/{sales}");
            await Expect(okrs.Objective(title)).ToBeVisibleAsync(Slow);
            await shell.ScreenshotAsync($"archive-objective-restored-{width}");
            Assert.Empty(session.ConsoleErrors);
        }
    }

    [Fact]
    public async Task AnArchivedKpiLeavesTheDashboardIsFoundUnderArchivedAndIsRestored()
    {
        var api = await app.AdminApiAsync();
        var sales = await Arrange.TeamAsync(api, "Sales");
        foreach (var width in new[] { 1366, 390 })
        {
            var name = $"Fax orders ({width})";
            var kpi = await Arrange.CreateAsync(api, "/api/v1/kpis", new { name, ownerTeamId = sales, unit = "orders", cadence = "weekly" });

            await using var session = await app.NewSessionAsync(width);
            var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
            var page = session.Page;
            await shell.GoAsync($"/kpis/{kpi}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Archive", Exact = true }).ClickAsync();
            var confirm = page.GetByRole(AriaRole.Dialog);
            await Expect(confirm).ToContainTextAsync("alert rules fire nothing", new() { Timeout = 30_000 });
            await shell.ScreenshotAsync($"archive-kpi-confirm-{width}");
            await confirm.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();

            var banner = page.GetByTestId("archived-banner");
            await Expect(banner).ToBeVisibleAsync(Slow);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add value" })).ToHaveCountAsync(0);
            await shell.ScreenshotAsync($"archive-kpi-banner-{width}");

            var kpis = new KpisPage(page);
            await shell.GoAsync("/kpis");
            await Expect(page.GetByTestId("kpi-tile").First).ToBeVisibleAsync(Slow);
            await Expect(kpis.Tile(name)).ToHaveCountAsync(0);
            var archivedOnly = page.GetByRole(AriaRole.Switch, new() { Name = "Archived" });
            await archivedOnly.ClickAsync();
            await Expect(archivedOnly).ToBeCheckedAsync();
            await Expect(kpis.Tile(name)).ToBeVisibleAsync(Slow);
            await Expect(kpis.Tile(name).GetByTestId("archived-chip")).ToBeVisibleAsync();
            await shell.ScreenshotAsync($"archive-kpi-list-{width}");

            await kpis.Tile(name).ClickAsync();
            await banner.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
            await Expect(banner).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add value" })).ToBeVisibleAsync();
            var stored = await api.GetFromJsonAsync<JsonElement>($"/api/v1/kpis/{kpi}");
            Assert.Equal(JsonValueKind.Null, stored.GetProperty("archivedAt").ValueKind);

            await shell.GoAsync("/kpis");
            await Expect(kpis.Tile(name)).ToBeVisibleAsync(Slow);
            Assert.Empty(session.ConsoleErrors);
        }
    }

    private static async Task<JsonElement> ObjectiveAsync(HttpClient api, string id) =>
        await api.GetFromJsonAsync<JsonElement>($"/api/v1/objectives/{id}");
}
