using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>Reading the alignment: the tree opens and closes at once.</summary>
public sealed class AlignmentViewTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Company = "Grow a profitable business our customers love";
    private const string Team = "Increase brand awareness";
    private const string Deep = "Be found first by people searching for outdoor gear";

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task ExpandAllOpensEveryLevelOfTheTreeAndCollapseAllClosesIt(int width)
    {
        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var page = session.Page;
        await shell.GoAsync("/alignment");
        await Expect(page.Locator(Shown(Company))).ToHaveCountAsync(1);
        await Expect(page.Locator(Shown(Deep))).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Expand all" }).ClickAsync();

        await Expect(page.Locator(Shown(Team)).First).ToBeVisibleAsync();
        await Expect(page.Locator(Shown(Deep)).First).ToBeVisibleAsync();
        await Expect(page.Locator(Shown("Become the trusted voice for outdoor beginners")).First).ToBeVisibleAsync();
        await Expect(page.Locator(".mud-collapse-entering")).ToHaveCountAsync(0);
        await shell.ScreenshotAsync($"alignment-tree-expanded-{width}");
        Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1"), $"the tree scrolls sideways at {width} px");

        await page.GetByRole(AriaRole.Button, new() { Name = "Collapse all" }).ClickAsync();

        await Expect(page.Locator(Shown(Team))).ToHaveCountAsync(0);
        await Expect(page.Locator(Shown(Deep))).ToHaveCountAsync(0);
        await Expect(page.Locator(Shown(Company))).ToHaveCountAsync(1);
        await Expect(page.Locator(".mud-collapse-exiting")).ToHaveCountAsync(0);
        await shell.ScreenshotAsync($"alignment-tree-collapsed-{width}");

        // Opening one branch by hand still works after both.
        await new AlignmentPage(page).ExpandAsync(Company);
        await Expect(page.Locator(Shown(Team)).First).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    /// <summary>A tree item of that title that the reader can see (a collapsed branch may keep its items, hidden).</summary>
    private static string Shown(string title) => $"[data-testid=tree-item][data-title=\"{title}\"]:visible";
}
