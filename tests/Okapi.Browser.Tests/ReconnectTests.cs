using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class ReconnectTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Negotiation = "**/_blazor/negotiate**";

    /// <summary>
    /// The connection is dropped from the page (Blazor's own hook: the server keeps the circuit, as after a network
    /// blip) and held down by refusing every new connection, as a phone without network would. Console errors are
    /// expected here: each refused attempt logs one.
    /// </summary>
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task ALostConnectionShowsABannerDisablesThePageAndComesBackByItself(int width)
    {
        await using var session = await app.NewSessionAsync(width);
        var page = session.Page;
        var shell = await new SignInPage(page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/kpis");
        var banner = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Connection" });
        await Expect(banner).ToHaveCountAsync(0);

        await page.RouteAsync(Negotiation, route => route.AbortAsync());
        await page.EvaluateAsync("Blazor._internal.forceCloseConnection()");

        await Expect(banner).ToContainTextAsync("Connection lost");
        await Expect(banner).ToContainTextAsync("Trying again in", new() { Timeout = 30_000 });
        Assert.True(await page.EvaluateAsync<bool>("document.querySelector('main').closest('[inert]') !== null"), "the page behind the banner still takes clicks");
        await Expect(page.Locator("body > [inert]:has(main)")).ToHaveCSSAsync("opacity", "0.45");
        await shell.ScreenshotAsync($"reconnect-lost-{width}");
        Assert.Empty(await AccessibilityTests.SeriousViolationsAsync(page, "/kpis (connection lost)", $"axe-reconnect-lost-{width}"));

        await page.UnrouteAsync(Negotiation);

        await Expect(banner).ToContainTextAsync("Connection restored", new() { Timeout = 45_000 });
        Assert.False(await page.EvaluateAsync<bool>("document.querySelector('main').closest('[inert]') !== null"), "the page stays inert after the connection is back");
        await shell.ScreenshotAsync($"reconnect-restored-{width}");
        await Expect(banner).ToBeHiddenAsync();

        // The same circuit answers again: the navigation is interactive.
        await shell.ShowNavigationAsync();
        await shell.NavLink("OKRs").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/okrs$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "OKRs", Level = 1 })).ToBeVisibleAsync();
    }
}
