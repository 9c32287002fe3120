using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class KeyResultEditingTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task AKeyResultAddedWithoutAnOwnerIsOwnedByWhoeverAddedIt()
    {
        var api = await app.AdminApiAsync();
        var me = (await api.GetFromJsonAsync<JsonElement>("/api/v1/people/me")).GetProperty("id").GetString();
        var objective = await Arrange.ObjectiveAsync(api, "Make returns painless");
        foreach (var width in new[] { 1366, 390 })
        {
            await using var session = await app.NewSessionAsync(width);
            var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
            await shell.GoAsync($"/objectives/{objective}");
            var title = $"Cut refund time from 9 to 3 days ({width})";

            await session.Page.GetByRole(AriaRole.Button, new() { Name = "Key result", Exact = true }).ClickAsync();
            var dialog = session.Page.GetByRole(AriaRole.Dialog);
            await dialog.GetByLabel("Key result title").FillAsync(title);
            await dialog.GetByLabel("Type").ClickAsync();
            await session.Page.GetByRole(AriaRole.Option, new() { Name = "Decrease to" }).ClickAsync();
            await dialog.GetByLabel("Start").FillAsync("9");
            await dialog.GetByLabel("Target").FillAsync("3");
            await Expect(dialog.GetByText("Left without an owner, the key result is yours.")).ToBeVisibleAsync();
            await shell.ScreenshotAsync($"kr-default-owner-dialog-{width}");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();

            var row = session.Page.Locator($"[data-testid=kr-row][data-title=\"{title}\"]");
            await Expect(row).ToContainTextAsync("Administrator");
            Assert.Empty(session.ConsoleErrors);
        }

        var keyResults = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/key-results?objective={objective}")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, keyResults.Count);
        Assert.All(keyResults, k => Assert.Equal(me, k.GetProperty("ownerPersonId").GetString()));
    }

    [Fact]
    public async Task AnObjectiveCreatedWithoutAnOwnerIsTheCreatorsAndSitsUnderTheirOkrs()
    {
        var api = await app.AdminApiAsync();
        var me = (await api.GetFromJsonAsync<JsonElement>("/api/v1/people/me")).GetProperty("id").GetString();
        await using var session = await app.NewSessionAsync(1366);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/okrs");
        var okrs = new OkrsPage(session.Page);
        var dialog = await okrs.OpenNewObjectiveAsync();

        await dialog.TypeTitleAsync("Learn what our best customers value");
        var team = session.Page.GetByRole(AriaRole.Dialog).GetByLabel("Owner team");
        await team.FillAsync("");
        await team.BlurAsync();
        await Expect(session.Page.GetByRole(AriaRole.Dialog).GetByText("Left without an owner, the objective is yours.")).ToBeVisibleAsync();
        await shell.ScreenshotAsync("objective-default-owner-dialog-1366");
        await dialog.SaveAsync();

        var card = okrs.Objective("Learn what our best customers value");
        await Expect(card).ToContainTextAsync("Administrator");
        await card.GetByRole(AriaRole.Link, new() { Name = "Learn what our best customers value" }).ClickAsync();
        var owner = session.Page.GetByRole(AriaRole.Link, new() { Name = "Administrator" }).First;
        await Expect(owner).ToHaveAttributeAsync("href", $"/okrs/person/{me}");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AKeyResultIsEditedThenDeletedAfterAConfirmationThatCountsItsCheckIns()
    {
        var api = await app.AdminApiAsync();
        var objective = await Arrange.ObjectiveAsync(api, "Keep our promises on delivery");
        var kr = await Arrange.CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = "Ship 90 % of orders the same day", type = "increaseTo", unit = "%", start = 60, target = 90 });
        await Arrange.CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = "Cut late deliveries from 8 % to 2 %", type = "decreaseTo", unit = "%", start = 8, target = 2 });
        foreach (var value in new[] { 65, 70, 72 })
        {
            Assert.True((await api.PostAsJsonAsync($"/api/v1/key-results/{kr}/check-ins", new { value })).IsSuccessStatusCode);
        }

        await using var session = await app.NewSessionAsync(1366);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/objectives/{objective}");
        var page = session.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Actions for Ship 90 % of orders the same day" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Edit key result" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByLabel("Key result title")).ToHaveValueAsync("Ship 90 % of orders the same day");
        await dialog.GetByLabel("Key result title").FillAsync("Ship 95 % of orders the same day");
        await dialog.GetByLabel("Target").FillAsync("95");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var row = page.Locator("[data-testid=kr-row][data-title=\"Ship 95 % of orders the same day\"]");
        await Expect(row.GetByTestId("kr-value")).ToContainTextAsync("72 / 95 %");

        await page.GetByRole(AriaRole.Button, new() { Name = "Actions for Ship 95 % of orders the same day" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Delete key result" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync("This also deletes 3 check-ins.");
        await shell.ScreenshotAsync("kr-delete-confirm-1366");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(row).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Actions for Ship 95 % of orders the same day" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Delete key result" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=kr-row][data-title=\"Cut late deliveries from 8 % to 2 %\"]")).ToBeVisibleAsync();
        await shell.ScreenshotAsync("kr-deleted-1366");

        using var gone = await api.GetAsync($"/api/v1/key-results/{kr}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AnObjectiveIsDeletedFromItsPageAfterAConfirmationThatSaysWhatGoesWithIt()
    {
        var api = await app.AdminApiAsync();
        var objective = await Arrange.ObjectiveAsync(api, "Open our first pop-up store");
        var kr = await Arrange.CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = "Sell 500 items at the pop-up", type = "increaseTo", start = 0, target = 500 });
        await Arrange.CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = "Collect 200 newsletter sign-ups at the pop-up", type = "increaseTo", start = 0, target = 200 });
        Assert.True((await api.PostAsJsonAsync($"/api/v1/key-results/{kr}/check-ins", new { value = 40 })).IsSuccessStatusCode);

        await using var session = await app.NewSessionAsync(390);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/objectives/{objective}");
        var page = session.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync("This also deletes 2 key results and 1 check-in.");
        await shell.ScreenshotAsync("objective-delete-confirm-390");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/okrs"));
        using var gone = await api.GetAsync($"/api/v1/objectives/{objective}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AKpiIsDeletedFromItsPageAfterAConfirmationThatCountsItsValuesAndRules()
    {
        var api = await app.AdminApiAsync();
        var sales = await Arrange.TeamAsync(api, "Sales");
        var kpi = await Arrange.CreateAsync(api, "/api/v1/kpis", new { name = "Pop-up footfall", ownerTeamId = sales, unit = "visitors", cadence = "daily", criticalLower = 10 });
        Assert.True((await api.PostAsJsonAsync($"/api/v1/kpis/{kpi}/values", new[] { new { at = app.Now.AddDays(-2), value = 40.0 }, new { at = app.Now.AddDays(-1), value = 55.0 } })).IsSuccessStatusCode);
        Assert.True((await api.PostAsJsonAsync("/api/v1/alert-rules", new { kpiId = kpi, name = "Footfall collapsed", kind = "threshold", thresholdLevel = "critical", pendingSeconds = 0 })).IsSuccessStatusCode);

        await using var session = await app.NewSessionAsync(1366);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/kpis/{kpi}");
        var page = session.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToContainTextAsync("This also deletes 2 values and 1 alert rule.");
        await shell.ScreenshotAsync("kpi-delete-confirm-1366");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/kpis$"));
        using var gone = await api.GetAsync($"/api/v1/kpis/{kpi}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AnObjectiveOfAClosedCycleOffersNoEditingOrDeletingAndTheApiRefusesIt()
    {
        var api = await app.AdminApiAsync();
        var closed = (await api.GetFromJsonAsync<JsonElement>("/api/v1/objectives?state=closed&pageSize=200")).GetProperty("items").EnumerateArray()
            .First(o => o.GetProperty("keyResults").GetArrayLength() > 0);
        var id = closed.GetProperty("id").GetString();
        var title = closed.GetProperty("title").GetString()!;
        var kr = closed.GetProperty("keyResults")[0].GetProperty("title").GetString()!;

        foreach (var width in new[] { 1366, 390 })
        {
            await using var session = await app.NewSessionAsync(width);
            var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
            await shell.GoAsync($"/objectives/{id}");
            await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
            await Expect(session.Page.GetByTestId("grade").First).ToBeVisibleAsync();
            await Expect(session.Page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true })).ToHaveCountAsync(0);
            await Expect(session.Page.GetByRole(AriaRole.Button, new() { Name = $"Actions for {kr}" })).ToHaveCountAsync(0);
            await shell.ScreenshotAsync($"objective-closed-read-only-{width}");
            Assert.Empty(session.ConsoleErrors);
        }

        using var refused = await api.DeleteAsync($"/api/v1/objectives/{id}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }
}

/// <summary>Data the editing tests start from, made through the REST API.</summary>
internal static class Arrange
{
    public static async Task<string> TeamAsync(HttpClient api, string name) =>
        (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;

    /// <summary>An objective of the Sales team in the current cycle.</summary>
    public static async Task<string> ObjectiveAsync(HttpClient api, string title)
    {
        var cycle = (await api.GetFromJsonAsync<JsonElement>("/api/v1/cycles?pageSize=200")).GetProperty("items").EnumerateArray()
            .Where(c => c.GetProperty("state").GetString() == "active").OrderByDescending(c => c.GetProperty("start").GetString()).First().GetProperty("id").GetString();
        return await CreateAsync(api, "/api/v1/objectives", new { title, cycleId = cycle, ownerTeamId = await TeamAsync(api, "Sales"), state = "active", visibility = "public", tags = Array.Empty<string>() });
    }

    public static async Task<string> CreateAsync(HttpClient api, string url, object body) =>
        JsonDocument.Parse(await PostAsync(api, url, body)).RootElement.GetProperty("id").GetString()!;

    /// <summary>Posts and requires success; returns the answer's body.</summary>
    public static async Task<string> PostAsync(HttpClient api, string url, object body)
    {
        using var response = await api.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {text}");
        return text;
    }
}
