using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class AlignTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Satisfaction = "Become the sector leader in customer satisfaction";
    private const string Csat = "Raise customer satisfaction from 30 % to 50 %";
    private const string Growth = "Grow a profitable business our customers love";

    [Fact]
    public async Task AnObjectiveIsAlignedToAKeyResultWithAWeightAndNoRollupFromItsPageAndTheLinkIsRemoved()
    {
        var api = await app.AdminApiAsync();
        var objective = await Arrange.ObjectiveAsync(api, "Make checkout a joy");
        await using var session = await app.NewSessionAsync(1366);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/objectives/{objective}");
        var page = session.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Align", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByText("Nothing yet: this objective is unaligned.")).ToBeVisibleAsync();
        await PickAsync(page, "customer satisfaction from", $"{Csat} (key result of {Satisfaction})");
        await dialog.GetByLabel("Contribution weight").FillAsync("2");
        await dialog.GetByRole(AriaRole.Switch, new() { Name = "Rolls up into the parent's progress" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Align", Exact = true }).ClickAsync();

        var parent = dialog.Locator($"[data-testid=align-parent][data-title=\"{Csat} (key result of {Satisfaction})\"]");
        await Expect(parent).ToContainTextAsync("weight 2 · does not roll up");
        await shell.ScreenshotAsync("align-dialog-1366");
        var link = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/objectives/{objective}")).GetProperty("parents").EnumerateArray().Single();
        Assert.Equal(2, link.GetProperty("weight").GetDouble());
        Assert.False(link.GetProperty("rollsUp").GetBoolean());
        Assert.Equal(JsonValueKind.String, link.GetProperty("parentKeyResultId").ValueKind);

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.GetByText("Contributes to:")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = Satisfaction })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Align", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = $"Remove the alignment to {Csat} (key result of {Satisfaction})" }).ClickAsync();
        await Expect(dialog.GetByText("Nothing yet: this objective is unaligned.")).ToBeVisibleAsync();
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/objectives/{objective}")).GetProperty("parents").GetArrayLength());
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task ALoopIsRefusedWithTheServicesMessageAndNothingIsStored()
    {
        var api = await app.AdminApiAsync();
        var parent = await Arrange.ObjectiveAsync(api, "Own the weekend hiking market");
        var child = await Arrange.ObjectiveAsync(api, "Sell hiking boots to weekend walkers");
        Assert.True((await api.PostAsJsonAsync($"/api/v1/objectives/{child}/parents", new { parentObjectiveId = parent })).IsSuccessStatusCode);
        using var viaApi = await api.PostAsJsonAsync($"/api/v1/objectives/{parent}/parents", new { parentObjectiveId = child });
        var apiMessage = (await viaApi.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("parent")[0].GetString()!;

        await using var session = await app.NewSessionAsync(390);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/objectives/{parent}");
        var page = session.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Align", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await PickAsync(page, "hiking boots", "Sell hiking boots to weekend walkers");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Align", Exact = true }).ClickAsync();

        await Expect(dialog.GetByTestId("align-error")).ToHaveTextAsync(apiMessage);
        await shell.ScreenshotAsync("align-loop-390");
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/objectives/{parent}")).GetProperty("parents").GetArrayLength());
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AnUnalignedObjectiveIsAlignedFromTheAlignmentPagesList()
    {
        var api = await app.AdminApiAsync();
        await Arrange.ObjectiveAsync(api, "Turn first orders into second orders");
        // The narrow screen only looks; the wide one aligns it, after which it is no longer in the list.
        foreach (var width in new[] { 390, 1366 })
        {
            await using var session = await app.NewSessionAsync(width);
            var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
            await shell.GoAsync("/alignment");
            var page = session.Page;
            var row = page.Locator("[data-testid=unaligned]", new() { HasText = "Turn first orders into second orders" });
            await Expect(row).ToBeVisibleAsync();
            await shell.ScreenshotAsync($"align-unaligned-{width}");
            if (width == 390)
            {
                continue;
            }

            await row.GetByRole(AriaRole.Button, new() { Name = "Align Turn first orders into second orders" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await PickAsync(page, "profitable business", Growth);
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Align", Exact = true }).ClickAsync();
            await Expect(dialog.Locator($"[data-testid=align-parent][data-title=\"{Growth}\"]")).ToBeVisibleAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
            await Expect(row).ToHaveCountAsync(0);
            Assert.Empty(session.ConsoleErrors);
        }
    }

    [Fact]
    public async Task TheObjectiveDialogOpensTheAlignmentAndSavesAfterwards()
    {
        var api = await app.AdminApiAsync();
        var objective = await Arrange.ObjectiveAsync(api, "Make every parcel arrive on time");
        await using var session = await app.NewSessionAsync(1366);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/objectives/{objective}");
        var page = session.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        var edit = page.GetByRole(AriaRole.Dialog).First;
        await Expect(edit.GetByTestId("objective-alignment")).ToHaveTextAsync("Aligned to nothing yet.");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Alignment" }).ClickAsync();
        var align = page.GetByRole(AriaRole.Dialog).Last;
        await PickAsync(page, "profitable business", Growth);
        await align.GetByRole(AriaRole.Button, new() { Name = "Align", Exact = true }).ClickAsync();
        await Expect(align.Locator($"[data-testid=align-parent][data-title=\"{Growth}\"]")).ToBeVisibleAsync();
        await align.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(edit.GetByTestId("objective-alignment")).ToHaveTextAsync("Contributes to 1 parent.");
        await edit.GetByLabel("Objective title").FillAsync("Make every parcel arrive when promised");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Make every parcel arrive when promised" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = Growth })).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    /// <summary>Types part of a parent's title into the picker and picks it from the matches.</summary>
    private static async Task PickAsync(IPage page, string text, string option)
    {
        var input = page.GetByRole(AriaRole.Dialog).Last.GetByLabel("Parent objective or key result");
        await input.ClickAsync();
        await input.PressSequentiallyAsync(text, new() { Delay = 20 });
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Expect(input).ToHaveValueAsync(option);
    }
}
