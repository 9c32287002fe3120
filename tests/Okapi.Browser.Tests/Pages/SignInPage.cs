using Microsoft.Playwright;

namespace Okapi.Browser.Tests.Pages;

public sealed class SignInPage(IPage page)
{
    public async Task<Shell> SignInAsync(string email, string password = BrowserApp.Password)
    {
        await page.GotoAsync("/sign-in");
        // The page's script has settled, so nothing it does can touch the fields once they are typed in.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync(url => !url.Contains("/sign-in"), new() { Timeout = 30_000 });
        }
        catch (TimeoutException e)
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
