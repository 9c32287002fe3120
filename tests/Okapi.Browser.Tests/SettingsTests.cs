using System.Net.Http.Json;
using System.Text.Json;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class SettingsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task AMemberTurnsTheDigestOffInSettingsItStaysOffAfterAReloadAndTurnsOnAgain()
    {
        var api = await app.AdminApiAsync();
        var email = await app.PersonWithPasswordAsync("omar@acme.example");
        var id = await PersonIdAsync(api, email);
        var before = await PersonAsync(api, id);
        Assert.True(before.GetProperty("digestEnabled").GetBoolean());
        var reminders = before.GetProperty("remindersEnabled").GetBoolean();

        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(email);
        var settings = new SettingsPage(session.Page);
        await settings.OpenFromAccountMenuAsync();
        await Expect(session.Page.GetByTestId("settings-email")).ToHaveTextAsync(email);
        await Expect(session.Page.GetByTestId("settings-role")).ToHaveTextAsync("Member");
        await Expect(settings.Teams).ToHaveTextAsync(["Application Performance (lead)", "Engineering"]);
        await Expect(settings.Digest).ToBeCheckedAsync();

        await settings.FlipAsync(settings.Digest);

        await session.Page.ReloadAsync();
        await shell.WaitUntilInteractiveAsync();
        await Expect(settings.Digest).Not.ToBeCheckedAsync();
        await Expect(settings.Reminders).ToBeCheckedAsync(new() { Checked = reminders });
        var off = await PersonAsync(api, id);
        Assert.False(off.GetProperty("digestEnabled").GetBoolean());
        Assert.Equal(reminders, off.GetProperty("remindersEnabled").GetBoolean());

        await settings.FlipAsync(settings.Digest);

        var on = await PersonAsync(api, id);
        Assert.True(on.GetProperty("digestEnabled").GetBoolean());
        Assert.Equal(reminders, on.GetProperty("remindersEnabled").GetBoolean());
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AViewerOnAPhoneTurnsTheirRemindersOffInSettings()
    {
        var api = await app.AdminApiAsync();
        var email = await app.PersonWithPasswordAsync("grace@acme.example");
        var id = await PersonIdAsync(api, email);

        await using var session = await app.NewSessionAsync(width: 390, height: 844);
        var shell = await new SignInPage(session.Page).SignInAsync(email);
        var settings = new SettingsPage(session.Page);
        await settings.OpenFromAccountMenuAsync();
        await Expect(session.Page.GetByTestId("settings-role")).ToHaveTextAsync("Viewer");
        await Expect(session.Page.GetByTestId("settings-teams")).ToContainTextAsync("No team yet.");
        await Expect(settings.Reminders).ToBeCheckedAsync();

        await settings.FlipAsync(settings.Reminders);

        var person = await PersonAsync(api, id);
        Assert.False(person.GetProperty("remindersEnabled").GetBoolean());
        Assert.True(person.GetProperty("digestEnabled").GetBoolean());
        Assert.True(await session.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The settings page scrolls sideways on a phone.");
        await shell.ScreenshotAsync("settings-phone");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task TheInboxLinksToTheNotificationSettings()
    {
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/inbox");

        await session.Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Notification settings" }).ClickAsync();

        await Expect(session.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings$"));
        await Expect(new SettingsPage(session.Page).Digest).ToBeVisibleAsync();
        await shell.ScreenshotAsync("settings");
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task<string> PersonIdAsync(HttpClient api, string email) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/people?search={Uri.EscapeDataString(email)}")).GetProperty("items").EnumerateArray()
            .Single(p => p.GetProperty("email").GetString() == email).GetProperty("id").GetString()!;

    private static async Task<JsonElement> PersonAsync(HttpClient api, string id) => await api.GetFromJsonAsync<JsonElement>($"/api/v1/people/{id}");
}
