using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>Admin → Import / export: the OKRs-as-code document, downloaded and uploaded in the browser.</summary>
public sealed class ExchangeTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task TheDownloadedYamlExportNamesTheTeamAndCycleAnAdminCreated()
    {
        var api = await app.AdminApiAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        (await api.PostAsJsonAsync("/api/v1/teams", new { name = $"Trail running {suffix}", mission = "Run further." })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/cycles", new { name = $"Expedition {suffix}", start = "2031-01-01", end = "2031-06-30", kind = "custom" })).EnsureSuccessStatusCode();

        await using var session = await app.NewSessionAsync();
        await OpenTabAsync(session);
        var download = await session.Page.RunAndWaitForDownloadAsync(() => session.Page.GetByTestId("export-yaml").ClickAsync());
        var yaml = await File.ReadAllTextAsync((await download.PathAsync())!);

        Assert.StartsWith("okapi: 1", yaml);
        Assert.Contains($"name: Trail running {suffix}", yaml);
        Assert.Contains($"name: Expedition {suffix}", yaml);
        Assert.Contains("mission: Run further.", yaml);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AnUploadedDocumentShowsItsPlanOnADryRunStoresNothingAndThenImports()
    {
        var api = await app.AdminApiAsync();
        var key = $"climbing-{Guid.NewGuid():N}"[..20];
        var document = $"""
            okapi: 1
            teams:
              - key: {key}
                name: Climbing {key}
                mission: Reach the top.
            cycles:
              - key: {key}-season
                name: Season {key}
                start: 2032-04-01
                end: 2032-09-30
                kind: custom
            """;

        await using var session = await app.NewSessionAsync();
        await OpenTabAsync(session);
        await UploadAsync(session, "climbing.yaml", document);
        await session.Page.GetByTestId("import-dry-run").ClickAsync();

        await Expect(session.Page.GetByTestId("import-plan-summary")).ToContainTextAsync("Dry run: nothing was changed.");
        await Expect(PlanRow(session, "teams").Locator("td").Nth(1)).ToHaveTextAsync(CreatedOne(key));
        await Expect(PlanRow(session, "cycles").Locator("td").Nth(1)).ToHaveTextAsync(CreatedOne($"{key}-season"));
        Assert.DoesNotContain($"Climbing {key}", await TeamNamesAsync(api));
        Assert.DoesNotContain($"Season {key}", await CycleNamesAsync(api));

        await session.Page.GetByTestId("import-apply").ClickAsync();

        await Expect(session.Page.GetByTestId("import-plan-summary")).ToContainTextAsync("Imported:");
        await Expect(PlanRow(session, "teams").Locator("td").Nth(1)).ToHaveTextAsync(CreatedOne(key));
        Assert.Contains($"Climbing {key}", await TeamNamesAsync(api));
        Assert.Contains($"Season {key}", await CycleNamesAsync(api));

        await session.Page.GetByTestId("export-cycle").ClickAsync();
        await session.Page.GetByRole(AriaRole.Option, new() { Name = $"Season {key}", Exact = true }).ClickAsync();
        // The link names the chosen cycle once the page has re-rendered.
        await Expect(session.Page.GetByTestId("export-yaml")).ToHaveAttributeAsync("href", new Regex("&cycle="));
        var download = await session.Page.RunAndWaitForDownloadAsync(() => session.Page.GetByTestId("export-yaml").ClickAsync());
        var yaml = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains($"name: Season {key}", yaml);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AnUploadedInvalidDocumentListsEachErrorWithItsLineAndColumnAndStoresNothing()
    {
        var api = await app.AdminApiAsync();
        var key = $"sailing-{Guid.NewGuid():N}"[..20];
        var document = $"""
            okapi: 1
            teams:
              - key: {key}
                name: Sailing {key}
                colour: blue
            cycles:
              - key: {key}-season
                name: Regatta {key}
                start: 2033-04-01
                end: 2033-09-30
                kind: fortnight
            """;
        var answer = await api.PostAsync("/api/v1/import?dryRun=true", new StringContent(document, Encoding.UTF8, "application/yaml"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, answer.StatusCode);
        var places = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("places").EnumerateArray()
            .Select(p => (Line: p.GetProperty("line").GetInt32(), Column: p.GetProperty("column").GetInt32(), Path: p.GetProperty("path").GetString()!)).ToList();
        Assert.Equal(2, places.Count);
        Assert.Contains(places, p => p.Line == 5);
        Assert.Contains(places, p => p.Line == 11);

        await using var session = await app.NewSessionAsync();
        await OpenTabAsync(session);
        await UploadAsync(session, "sailing.yaml", document);
        await session.Page.GetByTestId("import-apply").ClickAsync();

        await Expect(session.Page.GetByTestId("import-errors-summary")).ToContainTextAsync("2 errors in the document; nothing was imported.");
        var rows = session.Page.GetByTestId("import-error");
        await Expect(rows).ToHaveCountAsync(2);
        foreach (var place in places)
        {
            await Expect(rows.Filter(new() { HasText = place.Path }).Locator("td").First).ToHaveTextAsync($"{place.Line}:{place.Column}");
        }

        Assert.DoesNotContain($"Sailing {key}", await TeamNamesAsync(api));
        Assert.DoesNotContain($"Regatta {key}", await CycleNamesAsync(api));
        await Expect(session.Page.GetByTestId("import-plan")).ToHaveCountAsync(0);
        Assert.Empty(session.ConsoleErrors);
    }

    private async Task OpenTabAsync(Session session)
    {
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/admin");
        await session.Page.GetByRole(AriaRole.Tab, new() { Name = "Import / export" }).ClickAsync();
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Import / export" })).ToBeVisibleAsync();
    }

    private static async Task UploadAsync(Session session, string name, string document)
    {
        await session.Page.Locator("#exchange-file").SetInputFilesAsync(new FilePayload { Name = name, MimeType = "application/yaml", Buffer = Encoding.UTF8.GetBytes(document) });
        // The page reads the file into the document box, from which both buttons import.
        await Expect(session.Page.Locator("textarea[data-testid=import-text]")).ToHaveValueAsync(document);
    }

    /// <summary>A plan's "Created" cell for one new row: the count, then the key.</summary>
    private static Regex CreatedOne(string key) => new($@"^\s*1\s*{Regex.Escape(key)}\s*$");

    private static ILocator PlanRow(Session session, string kind) => session.Page.Locator($"[data-testid=import-plan-row][data-kind={kind}]");

    private static async Task<List<string>> TeamNamesAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();

    private static async Task<List<string>> CycleNamesAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>("/api/v1/cycles?pageSize=200")).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
}
