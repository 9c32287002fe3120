using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>Admin → People and the person dialog.</summary>
public sealed class PeopleTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task TheReminderAndDigestSwitchesOfThePersonDialogSave()
    {
        var api = await app.AdminApiAsync();
        var email = $"rita.{Guid.NewGuid():N}@okapi.test";
        var created = await api.PostAsJsonAsync("/api/v1/people", new { name = "Rita Reminders", email, role = "member" });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/admin");
        await session.Page.GetByRole(AriaRole.Tab, new() { Name = "People" }).ClickAsync();
        var dialog = await EditAsync(session, email);
        var reminders = dialog.GetByRole(AriaRole.Switch, new() { Name = "Weekly check-in reminders" });
        var digest = dialog.GetByRole(AriaRole.Switch, new() { Name = "Weekly digest" });
        await Expect(reminders).ToBeCheckedAsync();
        await Expect(digest).ToBeCheckedAsync();

        await reminders.ClickAsync();
        await digest.ClickAsync();
        await dialog.GetByTestId("person-save").ClickAsync();

        await Expect(dialog).ToHaveCountAsync(0);
        var off = await api.GetFromJsonAsync<JsonElement>($"/api/v1/people/{id}");
        Assert.False(off.GetProperty("remindersEnabled").GetBoolean());
        Assert.False(off.GetProperty("digestEnabled").GetBoolean());

        dialog = await EditAsync(session, email);
        await Expect(reminders).Not.ToBeCheckedAsync();
        await Expect(digest).Not.ToBeCheckedAsync();
        await digest.ClickAsync();
        await dialog.GetByTestId("person-save").ClickAsync();

        await Expect(dialog).ToHaveCountAsync(0);
        var digestOnly = await api.GetFromJsonAsync<JsonElement>($"/api/v1/people/{id}");
        Assert.False(digestOnly.GetProperty("remindersEnabled").GetBoolean());
        Assert.True(digestOnly.GetProperty("digestEnabled").GetBoolean());
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task<ILocator> EditAsync(Session session, string email)
    {
        await session.Page.Locator($"[data-testid=person-row][data-email=\"{email}\"]").GetByTestId("edit-person").ClickAsync();
        var dialog = session.Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByTestId("person-save")).ToBeVisibleAsync();
        return dialog;
    }
}
