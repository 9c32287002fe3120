using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class ClosingTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task ATeamClosesItsCycleWithAnOverrideAndSeesTheGradesAndTheirDistribution()
    {
        var api = await app.AdminApiAsync();
        var today = DateOnly.FromDateTime(app.Now.UtcDateTime);
        var cycle = await CreateAsync(api, "/api/v1/cycles", new { name = "Closing sprint", start = today.AddDays(-40), end = today.AddDays(40), kind = "custom", state = "active" });
        var team = await CreateAsync(api, "/api/v1/teams", new { name = "Closing crew", members = Array.Empty<object>() });
        var objective = await CreateAsync(api, "/api/v1/objectives", new { title = "Make onboarding effortless", cycleId = cycle, ownerTeamId = team, state = "active", visibility = "public", tags = Array.Empty<string>() });
        var signups = await CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = "Grow self-serve signups from 0 to 100", type = "increaseTo", start = 0, target = 100 });
        await CreateAsync(api, "/api/v1/key-results", new { objectiveId = objective, title = "Cut setup time from 60 to 10 minutes", type = "decreaseTo", start = 60, target = 10 });
        Assert.True((await api.PostAsJsonAsync($"/api/v1/key-results/{signups}/check-ins", new { value = 70 })).IsSuccessStatusCode);

        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/cycles/{cycle}/close?team={team}");
        var close = new CloseCyclePage(session.Page);
        await Expect(close.KeyResult("Grow self-serve signups from 0 to 100")).ToContainTextAsync("0.7");

        await close.GradeAsync("Cut setup time from 60 to 10 minutes", "0.2", "The new installer ships next week");
        await close.WriteRetrospectiveAsync("Make onboarding effortless", "Setup time needs its own team.");
        await close.Confirm.ClickAsync();

        await Expect(close.ClosedObjective("Make onboarding effortless").GetByTestId("closed-grade")).ToHaveAttributeAsync("data-grade", "0.5");
        await Expect(close.ClosedKeyResultGrade("Grow self-serve signups from 0 to 100")).ToHaveAttributeAsync("data-grade", "0.7");
        await Expect(close.ClosedKeyResultGrade("Cut setup time from 60 to 10 minutes")).ToHaveAttributeAsync("data-grade", "0.2");
        await Expect(close.ClosedObjective("Make onboarding effortless").GetByTestId("retrospective")).ToContainTextAsync("Setup time needs its own team.");
        await Expect(close.Distribution.Locator("[data-grade='0.7'][data-count='1']")).ToHaveCountAsync(1);
        await Expect(close.Distribution.Locator("[data-grade='0.2'][data-count='1']")).ToHaveCountAsync(1);
        await shell.ScreenshotAsync("closing-team-closed");

        var closings = await api.GetFromJsonAsync<JsonElement>($"/api/v1/cycles/{cycle}/closings");
        Assert.Equal("The new installer ships next week", closings[0].GetProperty("objectives")[0].GetProperty("keyResults")[1].GetProperty("overrideReason").GetString());
        Assert.Empty(session.ConsoleErrors);
    }

    private static async Task<string> CreateAsync(HttpClient api, string url, object body)
    {
        var response = await api.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {url}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }
}
