using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests.Pages;

/// <summary>The layout around every page: navigation, cycle switcher, search.</summary>
public sealed class Shell(IPage page)
{
    public IPage Page => page;

    /// <summary>Pages are prerendered: clicks do nothing until the interactive circuit is up, which the layout marks.</summary>
    public async Task WaitUntilInteractiveAsync() =>
        await page.Locator("[data-testid=interactive][data-ready=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    public async Task GoAsync(string path)
    {
        await page.GotoAsync(path);
        await WaitUntilInteractiveAsync();
    }

    public ILocator NavLink(string name) => page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = name, Exact = true });

    public ILocator NavToggle => page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" });

    /// <summary>
    /// Shows the main navigation. Below the drawer's breakpoint (960 px) the page comes with the drawer open but hidden,
    /// until the browser has told the layout its width and the drawer has closed: a toggle before that would be undone,
    /// so it waits for that first.
    /// </summary>
    public async Task ShowNavigationAsync()
    {
        if (page.ViewportSize is { Width: < 960 })
        {
            await Expect(page.Locator(".mud-drawer--open.mud-drawer--initial")).ToHaveCountAsync(0);
            if (!await NavLink("OKRs").IsVisibleAsync())
            {
                await NavToggle.ClickAsync();
            }
        }

        await Expect(NavLink("OKRs")).ToBeVisibleAsync();
    }

    public async Task<ILocator> SearchAsync(string text)
    {
        await page.Keyboard.PressAsync("Control+k");
        var input = page.GetByRole(AriaRole.Textbox, new() { Name = "Search" });
        await Expect(input).ToBeFocusedAsync();
        await input.PressSequentiallyAsync(text, new() { Delay = 20 });
        await Expect(input).ToHaveValueAsync(text);
        return page.GetByRole(AriaRole.Dialog);
    }

    public async Task ScreenshotAsync(string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotFolder, name + ".png"), FullPage = true });
}
