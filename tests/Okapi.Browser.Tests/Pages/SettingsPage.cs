using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests.Pages;

/// <summary>The signed-in person's settings page and the account menu that leads to it.</summary>
public sealed class SettingsPage(IPage page)
{
    public ILocator Reminders => page.GetByRole(AriaRole.Switch, new() { Name = "Weekly check-in reminders" });

    public ILocator Digest => page.GetByRole(AriaRole.Switch, new() { Name = "Weekly digest" });

    public ILocator Teams => page.GetByTestId("settings-team");

    public ILocator Saved => page.Locator(".mud-snackbar").Filter(new() { HasText = "Saved" });

    /// <summary>Opens the page the way people do: the account menu's "Settings".</summary>
    public async Task OpenFromAccountMenuAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Account" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Settings" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Settings", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Flips a switch and waits for the "Saved" snackbar; earlier snackbars are closed first so the wait is for this one.</summary>
    public async Task FlipAsync(ILocator toggle)
    {
        await Expect(Saved).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        var wasOn = await toggle.IsCheckedAsync();
        await toggle.ClickAsync();
        await Expect(Saved).ToBeVisibleAsync();
        await Expect(toggle).ToBeCheckedAsync(new() { Checked = !wasOn });
    }
}
