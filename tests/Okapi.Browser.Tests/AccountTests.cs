using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using Okapi.Web.Features.Setup;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class AccountTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task APersonChangesTheirOwnPasswordInSettingsWithTheCurrentOne(int width)
    {
        var api = await app.AdminApiAsync();
        var email = $"pat.{width}.{Guid.NewGuid():N}@okapi.test";
        var created = await api.PostAsJsonAsync("/api/v1/people", new { name = $"Pat Password {width}", email, role = "member", password = BrowserApp.Password });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(email);
        await shell.GoAsync("/settings");
        await session.Page.GetByRole(AriaRole.Link, new() { Name = "Change password" }).ClickAsync();
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Change your password" })).ToBeVisibleAsync();

        await FillAsync(session.Page, "not-the-password", "a-much-better-password");
        await Expect(session.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The current password is wrong.");
        await FillAsync(session.Page, BrowserApp.Password, "short");
        await Expect(session.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("at least 10 characters");
        await shell.ScreenshotAsync($"account-password-{width}");
        await FillAsync(session.Page, BrowserApp.Password, "a-much-better-password");

        await Expect(session.Page).ToHaveURLAsync(new Regex(@"/settings\?password=changed"));
        await Expect(session.Page.GetByText("Your password is changed.")).ToBeVisibleAsync();
        await shell.ScreenshotAsync($"account-settings-{width}");
        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/account/sign-in", new { email, password = BrowserApp.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/account/sign-in", new { email, password = "a-much-better-password" })).StatusCode);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task TheGeneratedFirstAdminPasswordMustBeChangedAtTheFirstSignIn()
    {
        var email = $"first.{Guid.NewGuid():N}@okapi.test";
        using var scope = app.Services.CreateScope();
        var (_, _, generated) = await scope.ServiceProvider.GetRequiredService<Bootstrap>()
            .CreateOrganisationAsync("First start", "UTC", "First admin", email, adminPassword: null, CancellationToken.None);

        await using var session = await app.NewSessionAsync(1366);
        await session.Page.GotoAsync("/sign-in", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await session.Page.GetByLabel("Email").FillAsync(email);
        await session.Page.GetByLabel("Password").FillAsync(generated!);
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Choose your own password" })).ToBeVisibleAsync();
        await session.Page.GotoAsync("/okrs");
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Choose your own password" })).ToBeVisibleAsync();
        await new Shell(session.Page).ScreenshotAsync("account-first-password-1366");
        await FillAsync(session.Page, generated!, "my-own-admin-password");

        await Expect(session.Page).Not.ToHaveURLAsync(new Regex("/settings/password"));
        var shell = new Shell(session.Page);
        await shell.WaitUntilInteractiveAsync();
        await shell.GoAsync("/okrs");
        Assert.EndsWith("/okrs", session.Page.Url);
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task FillAsync(IPage page, string current, string next)
    {
        await page.GetByLabel("Current password").FillAsync(current);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(next);
        await page.GetByLabel("New password again").FillAsync(next);
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
    }
}
