using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class MilestoneTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task AMilestoneIsAddedWithoutUnitStartOrTargetAndSwitchedToDone()
    {
        var api = await app.AdminApiAsync();
        var objective = await Arrange.ObjectiveAsync(api, "Launch the spring collection");
        await using var session = await app.NewSessionAsync(1366);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/objectives/{objective}");
        var page = session.Page;

        await page.GetByRole(AriaRole.Button, new() { Name = "Key result", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Key result title").FillAsync("Open the spring collection in every store");
        await dialog.GetByLabel("Type").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Milestone" }).ClickAsync();
        await Expect(dialog.GetByLabel("Unit")).ToHaveCountAsync(0);
        await Expect(dialog.GetByLabel("Start")).ToHaveCountAsync(0);
        await Expect(dialog.GetByLabel("Target")).ToHaveCountAsync(0);
        await shell.ScreenshotAsync("milestone-dialog-1366");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();

        var row = page.Locator("[data-testid=kr-row][data-title=\"Open the spring collection in every store\"]");
        await Expect(row.GetByTestId("kr-value")).ToHaveTextAsync("not done yet");
        var done = page.GetByRole(AriaRole.Switch, new() { Name = "Open the spring collection in every store is done" });
        await Expect(done).Not.ToBeCheckedAsync();

        await done.ClickAsync();

        await Expect(row.GetByTestId("kr-value")).ToHaveTextAsync("done");
        await Expect(row.GetByTestId("progress")).ToHaveTextAsync("100 %");
        await Expect(done).ToBeCheckedAsync();
        var kr = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/key-results?objective={objective}")).GetProperty("items")[0];
        Assert.Equal("milestone", kr.GetProperty("type").GetString());
        Assert.Equal(1, kr.GetProperty("current").GetDouble());
        Assert.Equal(JsonValueKind.Null, kr.GetProperty("unit").ValueKind);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AMilestonesStepsAreAddedTickedRenamedAndRemoved()
    {
        var api = await app.AdminApiAsync();
        var objective = await Arrange.ObjectiveAsync(api, "Host our first customer day");
        var id = await Arrange.CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = "Hold the customer day", type = "milestone", start = 0, target = 1 });
        foreach (var width in new[] { 1366, 390 })
        {
            await using var session = await app.NewSessionAsync(width);
            var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
            await shell.GoAsync($"/objectives/{objective}");
            var page = session.Page;
            var row = page.Locator("[data-testid=kr-row][data-title=\"Hold the customer day\"]");
            var milestone = page.GetByRole(AriaRole.Group, new() { Name = "Milestone Hold the customer day" });
            var newStep = milestone.GetByLabel("New step of Hold the customer day");
            var first = $"Book a venue ({width})";
            var second = $"Send invitations ({width})";

            await newStep.FillAsync(first);
            await milestone.GetByRole(AriaRole.Button, new() { Name = "Add step" }).ClickAsync();
            await Expect(milestone.GetByRole(AriaRole.Checkbox, new() { Name = first })).ToBeVisibleAsync();
            await newStep.FillAsync(second);
            await newStep.PressAsync("Enter");
            await Expect(milestone.GetByRole(AriaRole.Checkbox, new() { Name = second })).ToBeVisibleAsync();
            await Expect(row.GetByTestId("kr-value")).ToHaveTextAsync("0 of 2 steps done");

            await milestone.GetByRole(AriaRole.Checkbox, new() { Name = first }).ClickAsync();
            await Expect(row.GetByTestId("kr-value")).ToHaveTextAsync("1 of 2 steps done");
            await Expect(row.GetByTestId("progress")).ToHaveTextAsync("50 %");

            await milestone.GetByRole(AriaRole.Button, new() { Name = $"Rename step {second}" }).ClickAsync();
            var name = milestone.GetByLabel($"New name of step {second}");
            await name.FillAsync($"Send the invitations ({width})");
            await name.PressAsync("Enter");
            await Expect(milestone.GetByRole(AriaRole.Checkbox, new() { Name = $"Send the invitations ({width})" })).ToBeVisibleAsync();
            await shell.ScreenshotAsync($"milestone-steps-{width}");

            await milestone.GetByRole(AriaRole.Button, new() { Name = $"Remove step {first}" }).ClickAsync();
            await Expect(milestone.GetByRole(AriaRole.Checkbox, new() { Name = first })).ToHaveCountAsync(0);
            await Expect(row.GetByTestId("kr-value")).ToHaveTextAsync("0 of 1 steps done");

            var checklist = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/key-results/{id}")).GetProperty("checklist").EnumerateArray()
                .Select(i => (i.GetProperty("title").GetString(), i.GetProperty("done").GetBoolean())).ToList();
            Assert.Equal([($"Send the invitations ({width})", false)], checklist);

            // The next width starts from no steps again.
            await milestone.GetByRole(AriaRole.Button, new() { Name = $"Remove step Send the invitations ({width})" }).ClickAsync();
            await Expect(milestone.GetByRole(AriaRole.Switch)).ToBeVisibleAsync();
            Assert.Empty(session.ConsoleErrors);
        }
    }

    [Fact]
    public async Task AStepWithoutANameIsRefusedWithTheServicesMessageAndNothingIsStored()
    {
        var api = await app.AdminApiAsync();
        var objective = await Arrange.ObjectiveAsync(api, "Run a smooth stock count");
        var id = await Arrange.CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = "Finish the stock count", type = "milestone", start = 0, target = 1 });
        await using var session = await app.NewSessionAsync(1366);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/objectives/{objective}");
        var milestone = session.Page.GetByRole(AriaRole.Group, new() { Name = "Milestone Finish the stock count" });

        await milestone.GetByLabel("New step of Finish the stock count").FillAsync("   ");
        await milestone.GetByRole(AriaRole.Button, new() { Name = "Add step" }).ClickAsync();

        await Expect(milestone.GetByTestId("milestone-error")).ToContainTextAsync("checklist");
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/key-results/{id}")).GetProperty("checklist").GetArrayLength());
        Assert.Empty(session.ConsoleErrors);
    }
}
