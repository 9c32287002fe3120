using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using Okapi.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>The demo organisation with single sign-on through a real OpenID Connect provider on another loopback port.</summary>
public class SingleSignOnBrowserApp : BrowserApp
{
    public OidcProvider Provider { get; private set; } = null!;

    protected override async Task StartingAsync() => Provider = await OidcProvider.StartAsync();

    protected override void Configure(IWebHostBuilder builder) =>
        Provider.Configure(builder, new Dictionary<string, string> { ["marketing"] = "Marketing" }, new Dictionary<string, string> { ["okapi-admins"] = "admin" });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>The same, with <c>Okapi:Oidc:DisablePasswords</c>: people sign in only through the provider.</summary>
public sealed class PasswordlessBrowserApp : SingleSignOnBrowserApp
{
    protected override void Configure(IWebHostBuilder builder)
    {
        base.Configure(builder);
        builder.UseSetting("Okapi:Oidc:DisablePasswords", "true");
    }
}

public sealed class PasswordlessSignInTests(PasswordlessBrowserApp app) : IClassFixture<PasswordlessBrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task WithPasswordsSwitchedOffTheSignInPageOffersOnlyTheProvider(int width)
    {
        await using var session = await app.NewSessionAsync(width);
        await session.Page.GotoAsync("/sign-in");
        await Expect(session.Page.GetByRole(AriaRole.Link, new() { Name = $"Sign in with {OidcProvider.DisplayName}" })).ToBeVisibleAsync();
        await Expect(session.Page.GetByLabel("Password")).ToHaveCountAsync(0);
        await Expect(session.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToHaveCountAsync(0);
        await new Shell(session.Page).ScreenshotAsync($"sso-passwordless-{width}");

        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        using var refused = await client.PostAsJsonAsync("/account/sign-in", new { email = BrowserApp.AdminEmail, password = BrowserApp.Password });
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Empty(session.ConsoleErrors);
    }
}

public sealed class SingleSignOnTests(SingleSignOnBrowserApp app) : IClassFixture<SingleSignOnBrowserApp>
{
    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task APersonSignsInWithTheProviderAndIsCreatedInTheOrganisationOwningTheirDomainWithTheMappedTeamAndRole(int width)
    {
        await app.Provider.AllowRedirectsToAsync(new Uri(app.BaseUrl));
        var domain = await OwnDomainAsync();
        var name = $"Sam Single {width}";
        var email = $"sam.{width}@{domain}";
        app.Provider.User = new OidcUser($"sub-{Guid.NewGuid():N}", email, name, ["marketing", "okapi-admins"]);

        await using var session = await app.NewSessionAsync(width);
        await session.Page.GotoAsync("/settings");
        await Expect(session.Page).ToHaveURLAsync(new Regex("/sign-in"));
        var button = session.Page.GetByRole(AriaRole.Link, new() { Name = $"Sign in with {OidcProvider.DisplayName}" });
        await Expect(button).ToBeVisibleAsync();
        var shell = new Shell(session.Page);
        await shell.ScreenshotAsync($"sso-sign-in-{width}");

        await button.ClickAsync();
        await Expect(session.Page).ToHaveURLAsync(new Regex("/settings$"), new() { Timeout = 30_000 });
        await shell.WaitUntilInteractiveAsync();
        await Expect(session.Page.GetByTestId("settings-name")).ToHaveTextAsync(name);
        await Expect(session.Page.GetByTestId("settings-role")).ToHaveTextAsync("Admin");
        await Expect(session.Page.GetByTestId("settings-team")).ToHaveTextAsync("Marketing");
        // Signed in only through the provider, they have no password to change.
        await Expect(session.Page.GetByTestId("settings-password-state")).ToContainTextAsync("You sign in with single sign-on");
        await Expect(session.Page.GetByRole(AriaRole.Link, new() { Name = "Change password" })).ToHaveCountAsync(0);
        await shell.ScreenshotAsync($"sso-signed-in-{width}");

        using var api = await app.AdminApiAsync();
        var people = await api.GetFromJsonAsync<JsonElement>($"/api/v1/people?search={Uri.EscapeDataString(email)}");
        var person = Assert.Single(people.GetProperty("items").EnumerateArray());
        Assert.Equal((name, "admin"), (person.GetProperty("name").GetString(), person.GetProperty("role").GetString()));
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task AnEmailOfADomainNoOrganisationOwnsLandsOnTheSignInPageWithAClearMessage()
    {
        await app.Provider.AllowRedirectsToAsync(new Uri(app.BaseUrl));
        app.Provider.User = new OidcUser($"sub-{Guid.NewGuid():N}", $"eve@{Guid.NewGuid():N}.example", "Eve Elsewhere", []);

        await using var session = await app.NewSessionAsync(390);
        await session.Page.GotoAsync("/sign-in");
        await session.Page.GetByRole(AriaRole.Link, new() { Name = $"Sign in with {OidcProvider.DisplayName}" }).ClickAsync();
        await Expect(session.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("No organisation in Okapi accepts sign-ins from your email domain");
        await new Shell(session.Page).ScreenshotAsync("sso-refused-390");
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task AnAdminSetsTheEmailDomainsInTheAdminAreaAndABadDomainShowsTheRuleAndStoresNothing(int width)
    {
        await using var session = await app.NewSessionAsync(width);
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync("/admin");
        await session.Page.GetByRole(AriaRole.Tab, new() { Name = "Single sign-on" }).ClickAsync();
        var field = session.Page.GetByLabel("Email domains (single sign-on)");
        await Expect(field).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var before = await DomainsAsync();

        await field.FillAsync("exa!mple.com");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Save domains" }).ClickAsync();
        await Expect(session.Page.GetByText("must be domain names such as example.com")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await shell.ScreenshotAsync($"sso-domains-refused-{width}");
        Assert.Equal(before, await DomainsAsync());

        var domain = $"{Guid.NewGuid():N}.example";
        await field.FillAsync(string.Join(", ", before.Append(domain.ToUpperInvariant())));
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Save domains" }).ClickAsync();
        await Expect(session.Page.GetByText("Saved the email domains.")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(field).ToHaveValueAsync(string.Join(", ", before.Append(domain)));
        await shell.ScreenshotAsync($"sso-domains-saved-{width}");
        Assert.Contains(domain, await DomainsAsync());
        Assert.Empty(session.ConsoleErrors);
    }

    private async Task<List<string>> DomainsAsync()
    {
        using var api = await app.AdminApiAsync();
        var current = await api.GetFromJsonAsync<JsonElement>("/api/v1/organisation");
        return current.GetProperty("emailDomains").EnumerateArray().Select(d => d.GetString()!).ToList();
    }

    /// <summary>Gives the demo organisation a fresh email domain through the organisation settings API.</summary>
    private async Task<string> OwnDomainAsync()
    {
        using var api = await app.AdminApiAsync();
        var domain = $"{Guid.NewGuid():N}.example";
        var current = await api.GetFromJsonAsync<JsonElement>("/api/v1/organisation");
        var domains = current.GetProperty("emailDomains").EnumerateArray().Select(d => d.GetString()!).Append(domain).ToList();
        var body = new
        {
            name = current.GetProperty("name").GetString(),
            timeZone = current.GetProperty("timeZone").GetString(),
            fiscalYearStartMonth = current.GetProperty("fiscalYearStartMonth").GetInt32(),
            checkInWeekday = current.GetProperty("checkInWeekday").GetString(),
            checkInHour = current.GetProperty("checkInHour").GetInt32(),
            weekStart = current.GetProperty("weekStart").GetString(),
            vision = current.GetProperty("vision").GetString(),
            emailDomains = domains,
        };
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/organisation") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{current.GetProperty("version").GetInt32()}\"");
        using var response = await api.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return domain;
    }
}
