using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>Reading the alignment: the tree opens and closes at once; the graph zooms, pans, fits and shows whole titles.</summary>
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

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task TheGraphZoomsWithItsButtonsAndTheWheelPansByDraggingFitsAndShowsWholeTitles(int width)
    {
        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var page = session.Page;
        await shell.GoAsync("/alignment?view=graph");
        var alignment = new AlignmentPage(page);
        var svg = alignment.Graph.GetByRole(AriaRole.Group, new() { Name = "Alignment graph of" });
        await Expect(svg).ToHaveAttributeAsync("data-scale", new Regex(@"^\d"));
        var fitted = await ScaleAsync(svg);

        // The zoom buttons work from the keyboard.
        await alignment.Graph.GetByRole(AriaRole.Button, new() { Name = "Zoom in" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await ScaleBecomesAsync(page, ">", fitted);
        var zoomed = await ScaleAsync(svg);
        await alignment.Graph.GetByRole(AriaRole.Button, new() { Name = "Zoom out" }).ClickAsync();
        await ScaleBecomesAsync(page, "<", zoomed);

        // The wheel zooms in around the pointer.
        var viewport = await svg.BoundingBoxAsync() ?? throw new InvalidOperationException("The graph is not shown.");
        await page.Mouse.MoveAsync(viewport.X + viewport.Width / 2, viewport.Y + viewport.Height / 2);
        var before = await ScaleAsync(svg);
        await page.Mouse.WheelAsync(0, -400);
        await ScaleBecomesAsync(page, ">", before);
        await shell.ScreenshotAsync($"alignment-graph-zoomed-{width}");

        // Fit shows the whole graph again.
        await alignment.Graph.GetByRole(AriaRole.Button, new() { Name = "Fit the graph" }).ClickAsync();
        await ScaleBecomesAsync(page, "===", fitted);

        // Dragging from a node moves the view and does not follow the node's link.
        var url = page.Url;
        var (x0, y0) = await OriginAsync(svg);
        var node = await alignment.GraphNode(Team).Locator("rect").First.BoundingBoxAsync() ?? throw new InvalidOperationException("No node.");
        await page.Mouse.MoveAsync(node.X + node.Width / 2, node.Y + node.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(node.X + node.Width / 2 - 60, node.Y + node.Height / 2 + 30, new() { Steps = 6 });
        await page.Mouse.UpAsync();
        var (x1, y1) = await OriginAsync(svg);
        Assert.True(x1 > x0 && y1 < y0, $"the view moved from ({x0}, {y0}) to ({x1}, {y1})");
        Assert.Equal(url, page.Url);

        // A clipped title reads whole under the pointer and under the keyboard focus.
        const string longTitle = "Become the sector leader in customer satisfaction";
        await alignment.Graph.GetByRole(AriaRole.Button, new() { Name = "Fit the graph" }).ClickAsync();
        await alignment.GraphNode(longTitle).HoverAsync();
        await Expect(alignment.Graph.GetByTestId("graph-caption")).ToContainTextAsync(longTitle);
        await alignment.GraphNode(Company).FocusAsync();
        await Expect(alignment.Graph.GetByTestId("graph-caption")).ToContainTextAsync(Company);
        await shell.ScreenshotAsync($"alignment-graph-{width}");

        // A plain click on a node still opens its neighbourhood.
        await alignment.FocusAsync(Team);
        await Expect(page).ToHaveURLAsync(new Regex("focus="));
        await Expect(alignment.GraphNode(Deep)).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    /// <summary>Waits until the graph's scale compares so with the value (its zoom is applied in the browser).</summary>
    private static Task ScaleBecomesAsync(IPage page, string comparison, double value) =>
        page.WaitForFunctionAsync($"v => +document.querySelector('[data-testid=alignment-graph] .okapi-graph__viewport svg').dataset.scale {comparison} v", value);

    private static async Task<double> ScaleAsync(ILocator svg) =>
        double.Parse(await svg.GetAttributeAsync("data-scale") ?? "0", CultureInfo.InvariantCulture);

    private static async Task<(double X, double Y)> OriginAsync(ILocator svg)
    {
        var box = (await svg.GetAttributeAsync("viewBox"))!.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return (box[0], box[1]);
    }

    /// <summary>A tree item of that title that the reader can see (a collapsed branch may keep its items, hidden).</summary>
    private static string Shown(string title) => $"[data-testid=tree-item][data-title=\"{title}\"]:visible";
}
