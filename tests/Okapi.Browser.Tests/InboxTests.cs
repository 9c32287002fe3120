using System.Net.Http.Json;
using System.Text.Json;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class InboxTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task APersonMentionedInACommentFindsItInTheirInboxAndMarksItDone()
    {
        var api = await app.AdminApiAsync();
        var email = $"bea.{Guid.NewGuid():N}@okapi.test";
        (await api.PostAsJsonAsync("/api/v1/people", new { name = "Bea Browser", email, role = "member", password = BrowserApp.Password })).EnsureSuccessStatusCode();
        var cycle = (await api.GetFromJsonAsync<JsonElement>("/api/v1/cycles?pageSize=200")).GetProperty("items").EnumerateArray()
            .First(c => c.GetProperty("state").GetString() == "active").GetProperty("id").GetString();
        var company = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray()
            .First(t => t.GetProperty("parentTeamId").ValueKind == JsonValueKind.Null).GetProperty("id").GetString();
        var created = await api.PostAsJsonAsync("/api/v1/objectives",
            new { title = "Talk the plan through together", cycleId = cycle, ownerTeamId = company, state = "active", visibility = "public" });
        created.EnsureSuccessStatusCode();
        var objective = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await using var author = await app.NewSessionAsync();
        var authorShell = await new SignInPage(author.Page).SignInAsync(BrowserApp.AdminEmail);
        await authorShell.GoAsync($"/objectives/{objective}");
        var thread = new CommentThreadPart(author.Page);
        await thread.CommentAsync($"Could you look at the plan, @{email}?");
        await Expect(thread.Bodies.Filter(new() { HasText = "@Bea Browser" })).ToBeVisibleAsync();

        await using var mentioned = await app.NewSessionAsync();
        var shell = await new SignInPage(mentioned.Page).SignInAsync(email);
        var inbox = new InboxPage(mentioned.Page);
        await Expect(inbox.OpenCount).ToHaveTextAsync("1");
        await shell.GoAsync("/inbox");
        await Expect(inbox.Item("mentioned you on “Talk the plan through together”")).ToBeVisibleAsync();
        await shell.ScreenshotAsync("inbox-mention");

        await inbox.DoneAsync("mentioned you");

        await Expect(inbox.Empty).ToBeVisibleAsync();
        await Expect(inbox.OpenCount).ToHaveCountAsync(0);
        Assert.Empty(author.ConsoleErrors);
        Assert.Empty(mentioned.ConsoleErrors);
    }
}
