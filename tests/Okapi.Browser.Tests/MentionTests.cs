using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class MentionTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task TypingAnAtOpensAPeoplePickerAndTheBoxShowsThePickedNameNeverItsId(int width)
    {
        var api = await app.AdminApiAsync();
        var name = $"Bea Mention {width}";
        var created = await api.PostAsJsonAsync("/api/v1/people", new { name, email = $"bea.{Guid.NewGuid():N}@okapi.test", role = "member" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var bea = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var objective = await CreateObjectiveAsync(api, $"Talk the launch through {width}");

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/objectives/{objective}");
        var box = session.Page.GetByRole(AriaRole.Textbox, new() { Name = "Write a comment (Markdown)" });
        await box.PressSequentiallyAsync("Thanks @Bea Men", new() { Delay = 40 });
        var picker = session.Page.GetByRole(AriaRole.Listbox, new() { Name = "People to mention" });
        await Expect(picker.GetByRole(AriaRole.Option, new() { Name = name })).ToBeVisibleAsync();
        await shell.ScreenshotAsync($"mention-picker-{width}");

        await picker.GetByRole(AriaRole.Option, new() { Name = name }).ClickAsync();

        await Expect(box).ToHaveValueAsync($"Thanks @{name} ");
        await Expect(picker).ToHaveCountAsync(0);
        await box.PressSequentiallyAsync("for the numbers", new() { Delay = 20 });
        await Expect(box).ToHaveValueAsync($"Thanks @{name} for the numbers");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Comment", Exact = true }).ClickAsync();

        var comment = session.Page.GetByTestId("comment-body").Filter(new() { HasText = "for the numbers" });
        await Expect(comment).ToHaveTextAsync($"Thanks @{name} for the numbers");
        await Expect(comment.GetByRole(AriaRole.Link, new() { Name = $"@{name}" })).ToHaveAttributeAsync("href", $"/okrs/person/{bea}");
        await Expect(box).ToHaveValueAsync("");
        await Expect(picker).ToHaveCountAsync(0);
        await Expect(session.Page.GetByText("person:")).ToHaveCountAsync(0);
        await shell.ScreenshotAsync($"mention-posted-{width}");

        var comments = await api.GetFromJsonAsync<JsonElement>($"/api/v1/comments?objective={objective}");
        var stored = comments.GetProperty("items")[0];
        Assert.Equal($"Thanks @[{name}](person:{bea}) for the numbers", stored.GetProperty("body").GetString());
        Assert.Equal(bea, stored.GetProperty("mentionedPersonIds")[0].GetString());
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task TheMentionButtonOpensThePickerWithoutTyping()
    {
        var api = await app.AdminApiAsync();
        var objective = await CreateObjectiveAsync(api, "Plan the next offsite");

        await using var session = await app.NewSessionAsync(1366);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/objectives/{objective}");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Mention someone" }).ClickAsync();

        var box = session.Page.GetByRole(AriaRole.Textbox, new() { Name = "Write a comment (Markdown)" });
        await Expect(box).ToHaveValueAsync("@");
        await Expect(box).ToBeFocusedAsync();
        var picker = session.Page.GetByRole(AriaRole.Listbox, new() { Name = "People to mention" });
        await Expect(picker.GetByRole(AriaRole.Option).First).ToBeVisibleAsync();
        var first = await picker.GetByRole(AriaRole.Option).First.InnerTextAsync();
        await picker.GetByRole(AriaRole.Option).First.PressAsync("Enter");
        await Expect(box).ToHaveValueAsync($"@{first.Trim()} ");
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task<string> CreateObjectiveAsync(HttpClient api, string title)
    {
        var cycle = (await api.GetFromJsonAsync<JsonElement>("/api/v1/cycles?pageSize=200")).GetProperty("items").EnumerateArray()
            .First(c => c.GetProperty("state").GetString() == "active").GetProperty("id").GetString();
        var company = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray()
            .First(t => t.GetProperty("parentTeamId").ValueKind == JsonValueKind.Null).GetProperty("id").GetString();
        var created = await api.PostAsJsonAsync("/api/v1/objectives", new { title, cycleId = cycle, ownerTeamId = company, state = "active", visibility = "public" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
