using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;

namespace Okapi.Browser.Tests;

public sealed class AccessibilityTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    // Every visible control: its text, aria-label, aria-labelledby target, title, or a <label> must name it.
    private const string UnnamedControls = """
        () => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=link], [role=checkbox], [role=switch], [role=combobox]')]
          .filter(e => e.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && e.getBoundingClientRect().height > 0 && !e.closest('[aria-hidden=true]'))
          .filter(e => {
            const named = (e.getAttribute('aria-label') || '').trim() || (e.getAttribute('title') || '').trim()
              || (e.textContent || '').trim() || (e.getAttribute('placeholder') || '').trim()
              || [...(e.labels || [])].some(l => l.textContent.trim())
              || (e.getAttribute('aria-labelledby') || '').split(' ').some(id => document.getElementById(id)?.textContent.trim())
              || [...e.querySelectorAll('svg title, img[alt]')].some(t => (t.textContent || t.getAttribute('alt') || '').trim());
            return !named;
          })
          .map(e => e.outerHTML.slice(0, 160))
        """;

    [Fact]
    public async Task EveryVisibleControlOnTheMainPagesHasAnAccessibleName()
    {
        var api = await app.AdminApiAsync();
        var objective = (await api.GetFromJsonAsync<JsonElement>("/api/v1/search?q=delight%20more")).EnumerateArray().First().GetProperty("id").GetString();
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        var problems = new List<string>();
        foreach (var path in new[] { "/", "/okrs", $"/objectives/{objective}", "/alignment", "/admin", "/settings" })
        {
            await shell.GoAsync(path);
            await session.Page.WaitForTimeoutAsync(300);
            problems.AddRange((await session.Page.EvaluateAsync<string[]>(UnnamedControls)).Select(html => $"{path}: {html}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Empty(session.ConsoleErrors);
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task AxeFindsNothingSeriousOrCriticalOnAnyPage(int width)
    {
        var pages = await EveryPageAsync();
        var problems = new List<string>();
        await using (var anonymous = await app.NewSessionAsync(width))
        {
            await anonymous.Page.GotoAsync("/sign-in");
            problems.AddRange(await SeriousViolationsAsync(anonymous.Page, "/sign-in", $"axe-sign-in-{width}"));
        }

        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        foreach (var (name, path) in pages)
        {
            await shell.GoAsync(path);
            await Assertions.Expect(session.Page.Locator("h1").First).ToBeVisibleAsync();
            problems.AddRange(await SeriousViolationsAsync(session.Page, path, $"axe-{name}-{width}"));
        }

        // An unknown address gets the app's own page, in the layout.
        await session.Page.GotoAsync("/no-such-page");
        await Assertions.Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        problems.AddRange(await SeriousViolationsAsync(session.Page, "/no-such-page", $"axe-not-found-{width}"));

        // The graph's nodes are links: they must not sit inside an image, which hides them from assistive technology.
        await shell.GoAsync("/alignment");
        var alignment = new AlignmentPage(session.Page);
        await alignment.ShowGraphAsync();
        await Assertions.Expect(alignment.Graph.GetByRole(AriaRole.Link).First).ToBeVisibleAsync();
        problems.AddRange(await SeriousViolationsAsync(session.Page, "/alignment (graph)", $"axe-alignment-graph-{width}"));

        await shell.GoAsync("/admin");
        foreach (var tab in new[] { "People", "Cycles", "Channels", "Deliveries", "Pull sources", "API tokens", "Import / export", "Audit log" })
        {
            await session.Page.GetByRole(AriaRole.Tab, new() { Name = tab }).ClickAsync();
            await Assertions.Expect(session.Page.GetByRole(AriaRole.Tab, new() { Name = tab })).ToHaveAttributeAsync("aria-selected", "true");
            problems.AddRange(await SeriousViolationsAsync(session.Page, $"/admin ({tab})", $"axe-admin-{tab.Replace(" / ", "-").Replace(' ', '-').ToLowerInvariant()}-{width}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task KeyboardUsersSkipToTheMainContentAndSeeWhereTheFocusIsOnEveryControl()
    {
        await using var session = await app.NewSessionAsync(1366);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/okrs");
        var page = session.Page;

        // The skip link is the first thing on the page, hidden until it has the focus.
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        Assert.True(await page.EvaluateAsync<bool>(FirstFocusableIsTheSkipLink));
        await Assertions.Expect(skip).Not.ToBeInViewportAsync();
        await skip.FocusAsync();
        await Assertions.Expect(skip).ToBeInViewportAsync();
        await shell.ScreenshotAsync("skip-link-1366");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToBeFocusedAsync();
        Assert.EndsWith("/okrs", page.Url);

        // From the top, every control the keyboard reaches draws a visible ring.
        await skip.FocusAsync();
        var unringed = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string?>(FocusedWithoutRing);
            if (focused is not null)
            {
                unringed.Add(focused);
            }

            if (i == 4)
            {
                await shell.ScreenshotAsync("focus-ring-1366");
            }
        }

        Assert.True(unringed.Count == 0, string.Join("\n", unringed));
        Assert.Empty(session.ConsoleErrors);
    }

    private const string FirstFocusableIsTheSkipLink = """
        () => document.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')?.textContent.trim() === 'Skip to content'
        """;

    // The focused element, when it has no outline of at least 2 px, or null.
    private const string FocusedWithoutRing = """
        () => {
          const e = document.activeElement;
          if (!e || e === document.body) return null;
          const style = getComputedStyle(e);
          return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 ? null : e.outerHTML.slice(0, 160);
        }
        """;

    /// <summary>One of every page a person can reach, with the demo organisation's ids filled in.</summary>
    private async Task<(string Name, string Path)[]> EveryPageAsync()
    {
        var api = await app.AdminApiAsync();
        var objective = (await api.GetFromJsonAsync<JsonElement>("/api/v1/search?q=delight%20more")).EnumerateArray().First().GetProperty("id").GetString();
        var teams = await api.GetFromJsonAsync<JsonElement>("/api/v1/teams");
        var team = teams.GetProperty("items").EnumerateArray().First(t => t.GetProperty("name").GetString() == "Sales").GetProperty("id").GetString();
        var kpis = await api.GetFromJsonAsync<JsonElement>("/api/v1/kpis?pageSize=200");
        var kpi = kpis.GetProperty("items").EnumerateArray().First(k => k.GetProperty("name").GetString() == "Conversion rate").GetProperty("id").GetString();
        var cycles = await api.GetFromJsonAsync<JsonElement>("/api/v1/cycles?state=active");
        var cycle = cycles.GetProperty("items")[0].GetProperty("id").GetString();
        return
        [
            ("home", "/"), ("okrs", "/okrs"), ("objective", $"/objectives/{objective}"), ("team", $"/okrs/team/{team}"),
            ("alignment", "/alignment"), ("kpis", "/kpis"), ("kpi", $"/kpis/{kpi}"), ("alerts", "/alerts"), ("reports", "/reports"),
            ("close-cycle", $"/cycles/{cycle}/close"), ("inbox", "/inbox"), ("settings", "/settings"), ("admin", "/admin"),
        ];
    }

    internal static async Task<IEnumerable<string>> SeriousViolationsAsync(IPage page, string path, string screenshot)
    {
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotFolder, screenshot + ".png"), FullPage = true });
        var result = await page.RunAxe();
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{path}: {v.Id} ({v.Impact}, {v.Nodes.Length} elements) {v.Help}: " +
                string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html.Length > 140 ? n.Html[..140] : n.Html)));
    }
}
