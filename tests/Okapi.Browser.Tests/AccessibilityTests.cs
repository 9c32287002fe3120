using System.Net.Http.Json;
using System.Text.Json;
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
}
