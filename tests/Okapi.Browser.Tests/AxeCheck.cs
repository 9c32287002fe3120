using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Okapi.Browser.Tests;

/// <summary>Axe on the page as it is now, for states the page sweep never reaches (a tab with its rows, a dialog).</summary>
public static class AxeCheck
{
    public static async Task AssertNothingSeriousAsync(IPage page, string where)
    {
        // A snackbar fading out is half transparent for a moment: judge the page once they are gone.
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        // A label moving up or changing colour after a choice is in between colours for a moment: let finite
        // transitions end (a spinner's endless one never does; five seconds at most).
        await page.EvaluateAsync("""
            () => Promise.race([
                Promise.all(document.getAnimations()
                    .filter(a => a.effect?.getComputedTiming().iterations !== Infinity)
                    .map(a => a.finished.catch(() => null))),
                new Promise(resolve => setTimeout(resolve, 5000)),
            ])
            """);
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{where}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => $"{(n.Html.Length > 140 ? n.Html[..140] : n.Html)} — {string.Join("; ", (n.Any ?? []).Concat(n.All ?? []).Concat(n.None ?? []).Select(c => c.Message))}"))}")
            .ToList();
        Assert.True(serious.Count == 0, string.Join(Environment.NewLine, serious));
    }
}
