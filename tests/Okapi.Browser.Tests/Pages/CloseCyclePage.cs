using Microsoft.Playwright;

namespace Okapi.Browser.Tests.Pages;

/// <summary>The close flow of a cycle (for a team or the company) and, once closed, its snapshot.</summary>
public sealed class CloseCyclePage(IPage page)
{
    public ILocator KeyResult(string title) => page.Locator($"[data-testid=close-kr][data-title=\"{title}\"]");

    public async Task GradeAsync(string keyResult, string grade, string reason)
    {
        await KeyResult(keyResult).GetByTestId("grade-select").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = grade, Exact = true }).ClickAsync();
        await KeyResult(keyResult).GetByLabel($"Reason for the grade of {keyResult}").FillAsync(reason);
    }

    public Task WriteRetrospectiveAsync(string objective, string note) =>
        page.GetByLabel($"Retrospective of {objective}").FillAsync(note);

    public ILocator Confirm => page.GetByTestId("confirm-close");

    public ILocator ClosedObjective(string title) => page.Locator($"[data-testid=closed-objective][data-title=\"{title}\"]");

    public ILocator ClosedKeyResultGrade(string title) => page.Locator($"[data-testid=closed-kr][data-title=\"{title}\"]").GetByTestId("closed-kr-grade");

    public ILocator Distribution => page.GetByTestId("grade-distribution");
}
