using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests.Pages;

public sealed class SignInPage(IPage page)
{
    public async Task<Shell> SignInAsync(string email, string password = BrowserApp.Password)
    {
        // The page's script has settled, so nothing it does can touch the fields once they are typed in. The browser
        // waits for that within the navigation: a wait for a load state begun afterwards can miss the event.
        await page.GotoAsync("/sign-in", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await Expect(page).Not.ToHaveURLAsync(new Regex("/sign-in"), new() { Timeout = 30_000 });
        }
        catch (PlaywrightException e)
        {
            // Say what the page said, so that a refused sign-in is told apart from a slow one.
            var said = string.Join(" | ", await page.Locator("[role=alert], .validation-message").AllInnerTextsAsync());
            throw new TimeoutException($"Signing in as {email} stayed at {page.Url}; the page said: {said}", e);
        }
        var shell = new Shell(page);
        await shell.WaitUntilInteractiveAsync();
        return shell;
    }
}
