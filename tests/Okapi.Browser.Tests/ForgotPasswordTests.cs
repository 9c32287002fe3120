using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using Okapi.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>The browser app sending its email to a real SMTP listener.</summary>
public sealed class MailBrowserApp : BrowserApp
{
    public SmtpSink Smtp { get; } = new();

    protected override Task StartingAsync() => Smtp.StartAsync();

    protected override void Configure(IWebHostBuilder builder) => Smtp.Configure(builder);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed partial class ForgotPasswordTests(MailBrowserApp app) : IClassFixture<MailBrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task AForgottenPasswordIsReplacedWithTheLinkFromTheEmail(int width)
    {
        var api = await app.AdminApiAsync();
        var email = $"fay.{width}.{Guid.NewGuid():N}@okapi.test";
        var created = await api.PostAsJsonAsync("/api/v1/people", new { name = $"Fay Forgetful {width}", email, role = "member", password = BrowserApp.Password });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        await using var session = await app.NewSessionAsync(width);
        var page = session.Page;
        var shell = new Shell(page);
        await page.GotoAsync("/sign-in", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await page.GetByRole(AriaRole.Link, new() { Name = "Forgot password?" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Forgot your password?" })).ToBeVisibleAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await shell.ScreenshotAsync($"forgot-password-{width}");
        Assert.Empty(await AccessibilityTests.SeriousViolationsAsync(page, "/forgot-password", $"axe-forgot-password-{width}"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("a link to choose a new password is on its way");
        await shell.ScreenshotAsync($"forgot-password-sent-{width}");

        var mail = await app.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == email));
        var link = new Uri(ResetLink().Match(mail.TextBody ?? "").Value);
        await page.GotoAsync(link.PathAndQuery, new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" })).ToBeVisibleAsync();
        await FillAsync(page, "short");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("at least 10 characters");
        await shell.ScreenshotAsync($"reset-password-{width}");
        Assert.Empty(await AccessibilityTests.SeriousViolationsAsync(page, "/reset-password", $"axe-reset-password-{width}"));
        await FillAsync(page, "a-remembered-password");

        // A refused reset would stay on this page: the assertion's message then names the address it stayed at.
        await Expect(page).ToHaveURLAsync(ResetDone(), new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your new password is set. Sign in with it.");
        await shell.ScreenshotAsync($"reset-password-done-{width}");
        await new SignInPage(page).SignInAsync(email, "a-remembered-password");
        Assert.DoesNotContain("/sign-in", page.Url);

        // The link worked once: opened again, it offers no form.
        await page.GotoAsync(link.PathAndQuery);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("expired or was already used");
        await Expect(page.GetByLabel("New password", new() { Exact = true })).ToHaveCountAsync(0);
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task FillAsync(IPage page, string password)
    {
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("New password again").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set the new password" }).ClickAsync();
    }

    [GeneratedRegex(@"/sign-in\?password=reset$")]
    private static partial Regex ResetDone();

    [GeneratedRegex(@"https?://\S+/reset-password\?token=\S+")]
    private static partial Regex ResetLink();
}
