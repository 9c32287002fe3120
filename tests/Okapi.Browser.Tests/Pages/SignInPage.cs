using Microsoft.Playwright;

namespace Okapi.Browser.Tests.Pages;

public sealed class SignInPage(IPage page)
{
    public async Task<Shell> SignInAsync(string email, string password = BrowserApp.Password)
    {
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/sign-in"));
        var shell = new Shell(page);
        await shell.WaitUntilInteractiveAsync();
        return shell;
    }
}
