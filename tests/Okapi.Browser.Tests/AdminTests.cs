using System.Net.Http.Headers;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class AdminTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task AnAdminCreatesATokenSeesItsSecretOnceAndRevokesIt()
    {
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/admin");
        await session.Page.GetByRole(AriaRole.Tab, new() { Name = "API tokens" }).ClickAsync();
        await session.Page.GetByTestId("new-token").ClickAsync();
        await session.Page.Locator("input[data-testid=token-name]").FillAsync("Nightly export");
        await session.Page.GetByLabel("Scope read").CheckAsync();
        await session.Page.GetByTestId("token-save").ClickAsync();

        var secret = (await session.Page.GetByTestId("token-secret").InnerTextAsync()).Trim();
        Assert.StartsWith("okapi_", secret);
        using var api = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.True((await api.GetAsync("/api/v1/objectives")).IsSuccessStatusCode);

        await session.Page.GetByTestId("token-secret-done").ClickAsync();
        var row = session.Page.Locator("[data-testid=token-row][data-name=\"Nightly export\"]");
        await Expect(row).ToBeVisibleAsync();
        await Expect(session.Page.GetByText(secret)).ToHaveCountAsync(0);

        await row.GetByTestId("revoke-token").ClickAsync();
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Expect(row.GetByTestId("token-revoked")).ToBeVisibleAsync();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/objectives")).StatusCode);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AnAdminCreatesTheNextQuarterAndActivatesIt()
    {
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/admin");
        await session.Page.GetByRole(AriaRole.Tab, new() { Name = "Cycles" }).ClickAsync();
        await session.Page.GetByTestId("new-quarter").ClickAsync();
        var name = await session.Page.Locator("input[data-testid=cycle-name]").InputValueAsync();
        Assert.Matches(@"^\d{4} Q[1-4]$", name);
        await session.Page.GetByTestId("cycle-save").ClickAsync();

        var row = session.Page.Locator($"[data-testid=cycle-row][data-name=\"{name}\"]");
        await Expect(row).ToBeVisibleAsync();
        await row.GetByTestId("activate-cycle").ClickAsync();
        await Expect(row.GetByTestId("cycle-state")).ToContainTextAsync("ctive");
        Assert.Empty(session.ConsoleErrors);
    }
}
