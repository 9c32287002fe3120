using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests.Pages;

/// <summary>The OKR pages (company, team, person): objective cards with their key result rows.</summary>
public sealed class OkrsPage(IPage page)
{
    public ILocator NewObjectiveButton => page.GetByTestId("new-objective");

    public ILocator Objective(string title) => page.Locator($"[data-testid=objective-card][data-title=\"{title}\"]");

    public ILocator KeyResult(string title) => page.Locator($"[data-testid=kr-row][data-title=\"{title}\"]");

    public ILocator CheckInButtons => page.GetByTestId("check-in");

    public async Task<ObjectiveDialog> OpenNewObjectiveAsync()
    {
        await NewObjectiveButton.ClickAsync();
        return new ObjectiveDialog(page);
    }

    public async Task AddKeyResultAsync(string objective, string title, double start, double target)
    {
        await Objective(objective).GetByTestId("objective-menu").ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Add key result" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Key result title").FillAsync(title);
        await dialog.GetByLabel("Start").FillAsync(start.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await dialog.GetByLabel("Target").FillAsync(target.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await dialog.GetByTestId("kr-save").ClickAsync();
        await KeyResult(title).WaitForAsync();
    }

    /// <summary>The one-step check-in: value, then Enter.</summary>
    public async Task CheckInAsync(string keyResult, double value)
    {
        await KeyResult(keyResult).GetByTestId("check-in").ClickAsync();
        var input = page.GetByRole(AriaRole.Dialog).GetByLabel("New value");
        await input.FillAsync(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await input.PressAsync("Enter");
        await page.GetByRole(AriaRole.Dialog).WaitForAsync(new() { State = WaitForSelectorState.Hidden });
    }
}

public sealed class ObjectiveDialog(IPage page)
{
    private ILocator Dialog => page.GetByRole(AriaRole.Dialog);

    public ILocator Title => Dialog.GetByLabel("Objective title");

    public ILocator LintHint(string rule) => Dialog.Locator($"[data-testid=lint-hint][data-rule={rule}]");

    /// <summary>Types key by key, as a person does, so that advice that follows typing has keystrokes to follow.</summary>
    public async Task TypeTitleAsync(string text)
    {
        await Expect(Title).ToBeFocusedAsync();
        var before = await Title.InputValueAsync();
        await Title.PressSequentiallyAsync(text, new() { Delay = 20 });
        await Expect(Title).ToHaveValueAsync(before + text);
    }

    public async Task SaveAsync()
    {
        await Dialog.GetByTestId("objective-save").ClickAndWaitClosedAsync(Dialog);
    }
}
