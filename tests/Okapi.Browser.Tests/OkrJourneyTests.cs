using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class OkrJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task ASignedInPersonCreatesAnObjectiveWithTwoKeyResultsChecksInAndSeesProgressAndStatusChange()
    {
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/okrs");
        var okrs = new OkrsPage(session.Page);

        var dialog = await okrs.OpenNewObjectiveAsync();
        await dialog.TypeTitleAsync("Make onboarding delightful");
        await dialog.SaveAsync();
        await Expect(okrs.Objective("Make onboarding delightful")).ToBeVisibleAsync();

        await okrs.AddKeyResultAsync("Make onboarding delightful", "Lift activation from 0 to 10 teams", 0, 10);
        await okrs.AddKeyResultAsync("Make onboarding delightful", "Grow weekly active users from 0 to 400", 0, 400);
        var first = okrs.KeyResult("Lift activation from 0 to 10 teams");
        await Expect(first.GetByTestId("progress")).ToHaveTextAsync("0 %");
        await Expect(first.GetByTestId("status")).ToHaveTextAsync("Off track");

        await okrs.CheckInAsync("Lift activation from 0 to 10 teams", 10);

        await Expect(first.GetByTestId("progress")).ToHaveTextAsync("100 %");
        await Expect(first.GetByTestId("status")).ToHaveTextAsync("On track");
        await Expect(first.GetByTestId("kr-value")).ToContainTextAsync("10 / 10");
        await Expect(okrs.Objective("Make onboarding delightful").GetByTestId("progress").First).ToHaveTextAsync("50 %");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task SigningOutEndsTheSessionAndPagesAskToSignInAgain()
    {
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Account" }).ClickAsync();
        await session.Page.GetByTestId("sign-out").ClickAsync();
        await Expect(session.Page).ToHaveURLAsync(new Regex("/sign-in"));

        await session.Page.GotoAsync("/okrs");
        await Expect(session.Page).ToHaveURLAsync(new Regex("/sign-in"));
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task ASecondBrowserOnTheSameTeamPageSeesACheckInWithoutReloading()
    {
        var api = await app.AdminApiAsync();
        var sales = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Sales").GetProperty("id").GetString();
        await using var writer = await app.NewSessionAsync();
        await using var watcher = await app.NewSessionAsync();
        var writerShell = await new SignInPage(writer.Page).SignInAsync(BrowserApp.AdminEmail);
        var watcherShell = await new SignInPage(watcher.Page).SignInAsync(BrowserApp.AdminEmail);
        await writerShell.GoAsync($"/okrs/team/{sales}");
        await watcherShell.GoAsync($"/okrs/team/{sales}");
        var watched = new OkrsPage(watcher.Page).KeyResult("Win 120 new customers");
        await Expect(watched.GetByTestId("progress")).Not.ToHaveTextAsync("100 %");
        var urlBefore = watcher.Page.Url;

        await new OkrsPage(writer.Page).CheckInAsync("Win 120 new customers", 120);

        await Expect(watched.GetByTestId("progress")).ToHaveTextAsync("100 %");
        await Expect(watched.GetByTestId("kr-value")).ToContainTextAsync("120 / 120");
        Assert.Equal(urlBefore, watcher.Page.Url);
        Assert.Empty(writer.ConsoleErrors);
        Assert.Empty(watcher.ConsoleErrors);
    }

    [Fact]
    public async Task AViewerSeesNoEditControlsAndAnotherTeamsPrivateObjectiveIsAbsentEverywhere()
    {
        var grace = await app.PersonWithPasswordAsync("grace@acme.example");
        var api = await app.AdminApiAsync();
        var secret = (await api.GetFromJsonAsync<JsonElement>("/api/v1/search?q=security%20audit")).EnumerateArray()
            .Single(h => h.GetProperty("title").GetString() == "Pass the security audit without findings").GetProperty("id").GetString();
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(grace);
        var okrs = new OkrsPage(session.Page);

        await shell.GoAsync("/okrs");
        await Expect(okrs.Objective("Make our shop feel instant")).ToBeVisibleAsync();
        await Expect(okrs.NewObjectiveButton).ToHaveCountAsync(0);
        await Expect(okrs.CheckInButtons).ToHaveCountAsync(0);
        await Expect(session.Page.GetByTestId("objective-menu")).ToHaveCountAsync(0);
        await Expect(shell.NavLink("Admin")).ToHaveCountAsync(0);
        await Expect(session.Page.GetByText("Pass the security audit without findings")).ToHaveCountAsync(0);

        await shell.GoAsync("/");
        await Expect(session.Page.GetByText("Pass the security audit without findings")).ToHaveCountAsync(0);
        await shell.GoAsync("/alignment");
        await Expect(new AlignmentPage(session.Page).TreeItem("Become the sector leader in customer satisfaction")).ToBeVisibleAsync();
        await Expect(session.Page.GetByText("Pass the security audit without findings")).ToHaveCountAsync(0);

        var results = await shell.SearchAsync("audit");
        await Expect(results.GetByText("Nothing matches")).ToBeVisibleAsync();
        await session.Page.Keyboard.PressAsync("Escape");

        await shell.GoAsync($"/objectives/{secret}");
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task ALinterWarningAppearsWhileTypingAnObjectiveTitleThatHoldsANumber()
    {
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/okrs");
        var dialog = await new OkrsPage(session.Page).OpenNewObjectiveAsync();

        await dialog.TypeTitleAsync("Delight our customers");
        await Expect(dialog.LintHint("objective-title-number")).ToHaveCountAsync(0);
        await dialog.TypeTitleAsync(" and grow sales by 20 %");

        await Expect(dialog.LintHint("objective-title-number")).ToBeVisibleAsync();
        await Expect(dialog.LintHint("objective-title-number")).ToContainTextAsync("key result");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task TheAlignmentTreeExpandsToShowAChildObjectiveWithItsRolledUpProgress()
    {
        // In a quarter's first days no demo key result has a check-in yet: one here gives the child progress to roll up.
        // It goes halfway on a key result the other tests of this class leave alone.
        var api = await app.AdminApiAsync();
        var childId = (await api.GetFromJsonAsync<JsonElement>("/api/v1/search?q=delight%20more")).EnumerateArray().First().GetProperty("id").GetString();
        var keyResult = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/objectives/{childId}")).GetProperty("keyResults").EnumerateArray().First(k =>
            k.GetProperty("canCheckIn").GetBoolean() && k.GetProperty("kpiId").ValueKind == JsonValueKind.Null &&
            k.GetProperty("type").GetString() is "increaseTo" or "decreaseTo" && k.GetProperty("title").GetString() != "Win 120 new customers");
        var halfway = (keyResult.GetProperty("start").GetDouble() + keyResult.GetProperty("target").GetDouble()) / 2;
        await Arrange.PostAsync(api, $"/api/v1/key-results/{keyResult.GetProperty("id").GetString()}/check-ins", new { value = halfway });

        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/alignment");
        var alignment = new AlignmentPage(session.Page);
        var child = alignment.TreeItem("Delight more customers into buying from us");
        await Expect(alignment.TreeItem("Grow a profitable business our customers love")).ToBeVisibleAsync();
        await Expect(child).ToBeHiddenAsync();

        await alignment.ExpandAsync("Grow a profitable business our customers love");

        await Expect(child).ToBeVisibleAsync();
        await Expect(child.GetByTestId("progress")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ %$"));
        await Expect(alignment.TreeItem("Grow a profitable business our customers love").GetByTestId("progress")).Not.ToHaveTextAsync("0 %");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task ExpandingAnAlignmentTreeNodeBeyondTheLoadedLevelsLoadsItsChildren()
    {
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/alignment");
        var alignment = new AlignmentPage(session.Page);
        await alignment.ExpandAsync("Grow a profitable business our customers love");
        await Expect(alignment.TreeItem("Increase brand awareness")).ToBeVisibleAsync();
        await Expect(alignment.TreeItem("Be found first by people searching for outdoor gear")).ToHaveCountAsync(0);

        await alignment.ExpandAsync("Increase brand awareness");

        await Expect(alignment.TreeItem("Be found first by people searching for outdoor gear")).ToBeVisibleAsync();
        await Expect(alignment.TreeItem("Become the trusted voice for outdoor beginners")).ToBeVisibleAsync();
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task TheAlignmentGraphShowsTheTopAndThenAFocusedObjectiveWithItsParentAndChildren()
    {
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/alignment");
        var alignment = new AlignmentPage(session.Page);
        await alignment.ShowGraphAsync();
        await Expect(alignment.GraphNode("Increase brand awareness")).ToBeVisibleAsync();
        await Expect(alignment.GraphNode("Be found first by people searching for outdoor gear")).ToHaveCountAsync(0);

        await alignment.FocusAsync("Increase brand awareness");

        await Expect(alignment.GraphNode("Be found first by people searching for outdoor gear")).ToBeVisibleAsync();
        await Expect(alignment.GraphNode("Grow a profitable business our customers love")).ToBeVisibleAsync();
        await Expect(alignment.GraphNode("Become the sector leader in customer satisfaction")).ToHaveCountAsync(0);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AtPhoneWidthTheNavigationStaysReachable()
    {
        await using var session = await app.NewSessionAsync(width: 390, height: 844);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await Expect(shell.NavToggle).ToBeVisibleAsync();
        await shell.ShowNavigationAsync();
        await shell.NavLink("OKRs").ClickAsync();
        await Expect(session.Page).ToHaveURLAsync(new Regex("/okrs$"));
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "OKRs", Level = 1 })).ToBeVisibleAsync();
        var width = await session.Page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page scrolls sideways: {width} px wide");
        await shell.ScreenshotAsync("okrs-390");
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task ThePagesAreSavedAsScreenshots()
    {
        var api = await app.AdminApiAsync();
        var sales = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Sales").GetProperty("id").GetString();
        var delight = (await api.GetFromJsonAsync<JsonElement>("/api/v1/search?q=delight%20more")).EnumerateArray().First().GetProperty("id").GetString();
        await app.PersonWithPasswordAsync("liam@acme.example");
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync("liam@acme.example");

        await shell.GoAsync("/");
        await Expect(session.Page.GetByTestId("due")).ToBeVisibleAsync();
        await shell.ScreenshotAsync("home");
        await shell.GoAsync($"/okrs/team/{sales}");
        await Expect(session.Page.GetByTestId("objective-card").First).ToBeVisibleAsync();
        await shell.ScreenshotAsync("team-okrs");
        await shell.GoAsync($"/objectives/{delight}");
        await Expect(session.Page.GetByTestId("progress-chart").First).ToBeVisibleAsync();
        await shell.ScreenshotAsync("objective");
        await shell.GoAsync("/alignment");
        var alignment = new AlignmentPage(session.Page);
        await alignment.ExpandAsync("Grow a profitable business our customers love");
        await alignment.ExpandAsync("Become the sector leader in customer satisfaction");
        await shell.ScreenshotAsync("alignment-tree");
        await alignment.ShowGraphAsync();
        await Expect(alignment.Graph).ToBeVisibleAsync();
        await shell.ScreenshotAsync("alignment-graph");

        foreach (var name in new[] { "home", "team-okrs", "objective", "alignment-tree", "alignment-graph" })
        {
            Assert.True(new FileInfo(Path.Combine(BrowserApp.ScreenshotFolder, name + ".png")).Length > 10_000, name);
        }

        Assert.Empty(session.ConsoleErrors);
    }
}
