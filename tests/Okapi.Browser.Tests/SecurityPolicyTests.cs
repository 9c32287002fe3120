using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>The pages work under their content security policy: a violation shows as a console error.</summary>
public sealed class SecurityPolicyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task TheApiReferenceRendersUnderItsPolicy()
    {
        await using var session = await app.NewSessionAsync();
        var violations = new List<string>();
        session.Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        await session.Page.GotoAsync("/api");
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Okapi API" }).First).ToBeVisibleAsync();
        // The operations come from the OpenAPI document, which the page fetches: connect-src lets it.
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign out: clears the session cookie." })).ToBeAttachedAsync();
        Assert.Empty(violations);
        Assert.Empty(session.ConsoleErrors);
    }
}
