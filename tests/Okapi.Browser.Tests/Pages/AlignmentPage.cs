using Microsoft.Playwright;

namespace Okapi.Browser.Tests.Pages;

public sealed class AlignmentPage(IPage page)
{
    public ILocator TreeItem(string title) => page.Locator($"[data-testid=tree-item][data-title=\"{title}\"]");

    /// <summary>Expands a tree item by its expand button (the chevron before its body).</summary>
    public async Task ExpandAsync(string title) =>
        await page.Locator(".mud-treeview-item-content", new() { Has = TreeItem(title) }).First.Locator("button").First.ClickAsync();

    public async Task ShowGraphAsync() => await page.GetByTestId("view-graph").ClickAsync();

    public ILocator Graph => page.GetByTestId("alignment-graph");

    public ILocator GraphNode(string title) => page.Locator($"[data-testid=graph-node][data-title=\"{title}\"]");

    /// <summary>Shows the neighbourhood of an objective in the graph by clicking its node.</summary>
    public async Task FocusAsync(string title) => await GraphNode(title).ClickAsync();
}
