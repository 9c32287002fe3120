using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>Presentation mode shows, on the slide of an objective that rolls up, the objectives it is made of.</summary>
public sealed class PresentationTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Parent = "Grow a profitable business our customers love";
    private const string Leaf = "Be found first by people searching for outdoor gear";
    private static readonly string[] Children = ["Delight more customers into buying from us", "Increase brand awareness"];
    private static readonly Dictionary<string, string> Statuses = new() { ["onTrack"] = "On track", ["atRisk"] = "At risk", ["offTrack"] = "Off track" };

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task ASlideOfAnObjectiveThatRollsUpShowsItsAlignedObjectivesWithTheirGradeAndStatus(int width)
    {
        var api = await app.AdminApiAsync();
        var cycleId = (await api.GetFromJsonAsync<JsonElement>("/api/v1/cycles?state=active")).GetProperty("items")[0].GetProperty("id").GetString()!;
        var objectives = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/reports/cycles/{cycleId}?pageSize=200")).GetProperty("objectives").EnumerateArray().ToList();
        var titles = objectives.Select(o => o.GetProperty("title").GetString()!).ToList();
        var rows = objectives.ToDictionary(o => o.GetProperty("title").GetString()!);

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var page = session.Page;
        await shell.GoAsync($"/present?cycle={cycleId}");
        var present = new PresentationPage(page);
        await MoveToAsync(present, titles, Parent);

        var aligned = page.GetByRole(AriaRole.Region, new() { Name = "Aligned objectives that roll up into it" });
        await Expect(aligned).ToBeVisibleAsync();
        foreach (var child in Children)
        {
            // The child's grade and status are those the report gives it.
            var row = aligned.Locator($"[data-testid=slide-child][data-title=\"{child}\"]");
            await Expect(row).ToHaveCountAsync(1);
            var grade = rows[child].GetProperty("grade").GetDouble().ToString("0.0", CultureInfo.InvariantCulture);
            await Expect(row.GetByTestId("grade")).ToHaveTextAsync(grade);
            if (rows[child].GetProperty("status").GetString() is { } status)
            {
                await Expect(row.GetByTestId("status")).ToHaveTextAsync(Statuses[status]);
            }
        }

        await shell.ScreenshotAsync($"present-children-{width}");
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1"), $"the slide scrolls sideways at {width} px");

        // An objective nothing is aligned under shows no such list.
        await MoveToAsync(present, titles, Leaf);
        await Expect(aligned).ToHaveCountAsync(0);
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task MoveToAsync(PresentationPage present, List<string> titles, string title)
    {
        await present.PressAsync("Home");
        await Expect(present.Position).ToHaveTextAsync($"1 / {titles.Count}");
        for (var i = 0; i < titles.IndexOf(title); i++)
        {
            await present.PressAsync("ArrowRight");
            await Expect(present.Position).ToHaveTextAsync($"{i + 2} / {titles.Count}");
        }

        await Expect(present.SlideTitle).ToHaveTextAsync(title);
    }
}
