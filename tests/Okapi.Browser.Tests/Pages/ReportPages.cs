using Microsoft.Playwright;

namespace Okapi.Browser.Tests.Pages;

/// <summary>The cycle report page and presentation mode.</summary>
public sealed class ReportPage(IPage page)
{
    public ILocator Objectives => page.GetByTestId("report-objective");

    /// <summary>Clicks a download button and saves the file it starts, returning its name and path.</summary>
    public async Task<(string Name, string Path)> DownloadAsync(string testId, string folder)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId(testId).ClickAsync());
        var path = System.IO.Path.Combine(folder, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        return (download.SuggestedFilename, path);
    }
}

public sealed class PresentationPage(IPage page)
{
    public ILocator Position => page.GetByTestId("position");

    public ILocator SlideTitle => page.GetByTestId("slide-title");

    public ILocator Next => page.GetByRole(AriaRole.Button, new() { Name = "Next objective" });

    /// <summary>Presses a key once the page listens for keys: a key pressed before that does nothing.</summary>
    public async Task PressAsync(string key)
    {
        await page.Locator("[data-testid=presentation][data-keys=on]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Keyboard.PressAsync(key);
    }
}
