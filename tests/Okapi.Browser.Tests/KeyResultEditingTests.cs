using System.Net.Http.Json;
using System.Text.Json;
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

    public static async Task<string> CreateAsync(HttpClient api, string url, object body)
    {
        var response = await api.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }
}
