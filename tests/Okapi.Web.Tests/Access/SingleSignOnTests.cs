using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Access;

/// <summary>
/// Okapi on a real port with single sign-on through a real OpenID Connect provider on another port: the provider's
/// groups "okapi-admins" and "growth" map to the admin role and the team <see cref="MappedTeam"/>.
/// </summary>
public sealed class SingleSignOnApps : IAsyncLifetime
{
    public const string MappedTeam = "Growth (single sign-on)";

    private readonly PerProvider<OkapiApp> _apps;
    private readonly PerProvider<OkapiApp> _passwordless;
    private readonly System.Collections.Concurrent.ConcurrentQueue<OkapiApp> _created = new();

    public SingleSignOnApps()
    {
        _apps = new PerProvider<OkapiApp>(p => StartNewAsync(p, passwordsDisabled: false));
        _passwordless = new PerProvider<OkapiApp>(p => StartNewAsync(p, passwordsDisabled: true));
    }

    public OidcProvider Provider { get; private set; } = null!;

    public Task<OkapiApp> StartAsync(DatabaseProvider provider) => _apps.GetAsync(provider);

    /// <summary>An app with <c>Okapi:Oidc:DisablePasswords</c>.</summary>
    public Task<OkapiApp> StartPasswordlessAsync(DatabaseProvider provider) => _passwordless.GetAsync(provider);

    private async Task<OkapiApp> StartNewAsync(DatabaseProvider provider, bool passwordsDisabled)
    {
        var app = new OkapiApp(provider, new AppOptions
        {
            OnRealPort = true,
            Configure = b =>
            {
                Provider.Configure(b, new Dictionary<string, string> { ["growth"] = MappedTeam }, new Dictionary<string, string> { ["okapi-admins"] = "admin" });
                b.UseSetting("Okapi:Oidc:DisablePasswords", passwordsDisabled.ToString());
            },
        });
        _created.Enqueue(app);
        await app.InitializeAsync();
        await Provider.AllowRedirectsToAsync(app.BaseUrl);
        return app;
    }

    public async Task InitializeAsync() => Provider = await OidcProvider.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var app in _created)
        {
            await app.DisposeAsync();
        }

        await Provider.DisposeAsync();
    }
}

/// <summary>Single sign-on as a browser does it, through an HttpClient that keeps cookies and follows the redirects.</summary>
public sealed class SingleSignOnTests(SingleSignOnApps apps) : IClassFixture<SingleSignOnApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task AFirstSingleSignOnCreatesThePersonInTheOrganisationOwningTheDomainWithTheMappedTeamAndRole(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var domain = await OwnDomainAsync(app);
        var team = await EnsureMappedTeamAsync(app);
        apps.Provider.User = new OidcUser($"sub-{Guid.NewGuid():N}", $"ada@{domain}", "Ada Lovelace", ["growth", "okapi-admins", "unmapped"]);

        using var browser = Browser(app);
        var landed = await browser.GetAsync("/sign-in/sso?returnUrl=%2Fsettings");
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal("/settings", landed.RequestMessage!.RequestUri!.AbsolutePath);

        // The session cookie works on the API as after a password sign-in.
        var me = await browser.GetAsync<PersonDto>("/api/v1/people/me");
        Assert.Equal(("Ada Lovelace", $"ada@{domain}", Role.Admin), (me.Name, me.Email, me.Role));
        Assert.Equal([team.Id], me.TeamIds);
        var listed = await app.Admin.GetAsync<PersonDto>($"/api/v1/people/{me.Id}");
        Assert.Equal(me.Email, listed.Email);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ALaterSingleSignOnMatchesBySubjectEvenAfterTheEmailChangedAtTheProvider(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var domain = await OwnDomainAsync(app);
        var subject = $"sub-{Guid.NewGuid():N}";
        apps.Provider.User = new OidcUser(subject, $"grace@{domain}", "Grace Hopper", []);
        Guid first;
        using (var browser = Browser(app))
        {
            await browser.GetAsync("/sign-in/sso");
            first = (await browser.GetAsync<PersonDto>("/api/v1/people/me")).Id;
        }

        apps.Provider.User = new OidcUser(subject, $"grace.hopper@{domain}", "Grace B. Hopper", []);
        using (var browser = Browser(app))
        {
            await browser.GetAsync("/sign-in/sso");
            var again = await browser.GetAsync<PersonDto>("/api/v1/people/me");
            Assert.Equal((first, $"grace@{domain}", Role.Member), (again.Id, again.Email, again.Role));
        }

        var people = await app.Admin.GetAsync<Page<PersonDto>>($"/api/v1/people?search={Uri.EscapeDataString(domain)}");
        Assert.Single(people.Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ASingleSignOnWithAPersonAddedByAnAdminSignsInAsThatPerson(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var domain = await OwnDomainAsync(app);
        var added = await app.Admin.PostAsync<PersonDto>("/api/v1/people", new PersonRequest("Katherine Johnson", $"katherine@{domain}", Role.Viewer, null, null));
        apps.Provider.User = new OidcUser($"sub-{Guid.NewGuid():N}", $"katherine@{domain}", "K. Johnson", ["okapi-admins"]);

        using var browser = Browser(app);
        await browser.GetAsync("/sign-in/sso");
        var me = await browser.GetAsync<PersonDto>("/api/v1/people/me");
        Assert.Equal((added.Id, Role.Viewer), (me.Id, me.Role));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnEmailWhoseDomainNoOrganisationOwnsIsRefusedWithAClearMessage(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        apps.Provider.User = new OidcUser($"sub-{Guid.NewGuid():N}", $"mallory@{Guid.NewGuid():N}.example", "Mallory", []);

        using var browser = Browser(app);
        var landed = await browser.GetAsync("/sign-in/sso");
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal("/sign-in", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains(WebUtility.HtmlEncode(SingleSignOn.Explain(SingleSignOnRefusal.DomainNotOwned)), await landed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/people/me")).StatusCode);
        var people = await app.Admin.GetAsync<Page<PersonDto>>("/api/v1/people?search=mallory");
        Assert.Empty(people.Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ARefusalAtTheProviderLandsOnTheSignInPageWithAMessage(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        apps.Provider.User = null;

        using var browser = Browser(app);
        var landed = await browser.GetAsync("/sign-in/sso");
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal("/sign-in", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains(WebUtility.HtmlEncode(SingleSignOn.Explain(SingleSignOnRefusal.ProviderFailed)), await landed.Content.ReadAsStringAsync());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnEmailDomainBelongsToOneOrganisationAtMost(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var domain = await OwnDomainAsync(app);
        var (_, other) = await app.CreateOrganisationAsync($"Other {Guid.NewGuid():N}");
        var theirs = await other.GetAsync<OrganisationDto>("/api/v1/organisation");

        using var taken = await other.SendJsonAsync(HttpMethod.Put, "/api/v1/organisation", Request(theirs, [domain.ToUpperInvariant()]), $"\"{theirs.Version}\"");
        var problem = await Api.AssertProblemAsync(taken, HttpStatusCode.BadRequest);
        Assert.Contains("belongs to another organisation", problem.GetProperty("errors").GetProperty("emailDomains")[0].GetString());
        using var bad = await other.SendJsonAsync(HttpMethod.Put, "/api/v1/organisation", Request(theirs, ["@nope"]), $"\"{theirs.Version}\"");
        await Api.AssertProblemAsync(bad, HttpStatusCode.BadRequest);
        Assert.Empty((await other.GetAsync<OrganisationDto>("/api/v1/organisation")).EmailDomains);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task WithPasswordsSwitchedOffPasswordSignInIsRefusedAndOnlySingleSignOnSignsIn(DatabaseProvider provider)
    {
        var app = await apps.StartPasswordlessAsync(provider);
        using var browser = Browser(app);
        using var refused = await browser.PostAsJsonAsync("/account/sign-in", new { email = OkapiApp.AdminEmail, password = OkapiApp.AdminPassword });
        var problem = await Api.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal(SignInAnswer.SwitchedOffMessage, problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/people/me")).StatusCode);

        var page = await browser.GetStringAsync("/sign-in");
        Assert.DoesNotContain("type=\"password\"", page);
        Assert.Contains($"Sign in with {OidcProvider.DisplayName}", page);

        var domain = await OwnDomainAsync(app);
        apps.Provider.User = new OidcUser($"sub-{Guid.NewGuid():N}", $"alan@{domain}", "Alan Turing", []);
        await browser.GetAsync("/sign-in/sso");
        Assert.Equal("Alan Turing", (await browser.GetAsync<PersonDto>("/api/v1/people/me")).Name);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task WithPasswordsSwitchedOffNoPasswordIsForgottenResetChangedOrSetAndNothingChanges(DatabaseProvider provider)
    {
        var app = await apps.StartPasswordlessAsync(provider);
        using var anonymous = Browser(app);
        using var forgot = await anonymous.PostAsJsonAsync("/account/forgot-password", new { email = OkapiApp.AdminEmail });
        Assert.Equal(SignInAnswer.SwitchedOffMessage, (await Api.AssertProblemAsync(forgot, HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        using var reset = await anonymous.PostAsJsonAsync("/account/reset-password", new { token = "anything", newPassword = "a-new-long-password" });
        await Api.AssertProblemAsync(reset, HttpStatusCode.Forbidden);
        foreach (var path in new[] { "/forgot-password", "/reset-password?token=anything" })
        {
            var page = await anonymous.GetStringAsync(path);
            Assert.Contains(System.Net.WebUtility.HtmlEncode(SignInAnswer.SwitchedOffMessage), page);
            Assert.DoesNotContain("type=\"password\"", page);
            Assert.DoesNotContain("<form", page);
        }

        // A person signed in through the provider has no password to change, on the API or on the page.
        var domain = await OwnDomainAsync(app);
        apps.Provider.User = new OidcUser($"sub-{Guid.NewGuid():N}", $"grace@{domain}", "Grace Hopper", []);
        using var signedIn = Browser(app);
        await signedIn.GetAsync("/sign-in/sso");
        using var change = await signedIn.PutAsJsonAsync("/api/v1/people/me/password", new { currentPassword = "whatever-it-was", newPassword = "a-new-long-password" });
        Assert.Equal(SignInAnswer.SwitchedOffMessage, (await Api.AssertProblemAsync(change, HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        var changePage = await signedIn.GetStringAsync("/settings/password");
        Assert.DoesNotContain("type=\"password\"", changePage);

        // Nor does an admin give anyone a password: the person is not created, nor is an existing one's password set.
        var email = $"ida@{domain}";
        using var invited = await app.Admin.PostAsJsonAsync("/api/v1/people", new { name = "Ida Password", email, role = "member", password = "a-long-enough-password" });
        var problem = await Api.AssertProblemAsync(invited, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
        Assert.Empty((await app.Admin.GetAsync<Page<PersonDto>>($"/api/v1/people?search={Uri.EscapeDataString(email)}")).Items);
        var grace = (await signedIn.GetAsync<PersonDto>("/api/v1/people/me"));
        using var given = await app.Admin.PutAsJsonAsync($"/api/v1/people/{grace.Id}", new { name = grace.Name, email = grace.Email, role = "member", password = "a-long-enough-password" });
        Assert.True((await Api.AssertProblemAsync(given, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("password", out _));
        Assert.Null(await app.QueryAsync(db => db.Users.Where(u => u.Id == grace.Id).Select(u => u.PasswordHash).SingleAsync()));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task SimultaneousFirstSingleSignOnsOfOneSubjectAllSignInAsTheOnePersonCreated(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var domain = await OwnDomainAsync(app);
        var external = ExternalPrincipal($"sub-{Guid.NewGuid():N}", $"edsger@{domain}", "Edsger Dijkstra");

        // Two tabs or a double click finish the provider's round trip together: each decides to create the person
        // before the other has saved.
        var sessions = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => CompleteAsync(app, external))));

        await AssertAllSignedInAsTheOnePersonAsync(app, sessions, domain);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task SimultaneousFirstSingleSignOnsOfOneEmailUnderSeveralSubjectsAllSignInAsTheOnePersonCreated(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var domain = await OwnDomainAsync(app);
        var email = $"barbara@{domain}";

        // The loser of the race finds the email taken by the winner's new account: decided again, it links its subject.
        var sessions = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => CompleteAsync(app, ExternalPrincipal($"sub-{i}-{Guid.NewGuid():N}", email, "Barbara Liskov")))));

        await AssertAllSignedInAsTheOnePersonAsync(app, sessions, email);
    }

    /// <summary>Every session cookie signs in as the same person, the only one whose email matches the search.</summary>
    private static async Task AssertAllSignedInAsTheOnePersonAsync(OkapiApp app, IEnumerable<string> sessions, string search)
    {
        var people = new HashSet<Guid>();
        foreach (var cookie in sessions)
        {
            using var browser = new HttpClient { BaseAddress = app.BaseUrl };
            browser.DefaultRequestHeaders.Add("Cookie", cookie);
            people.Add((await browser.GetAsync<PersonDto>("/api/v1/people/me")).Id);
        }

        var created = await app.Admin.GetAsync<Page<PersonDto>>($"/api/v1/people?search={Uri.EscapeDataString(search)}");
        Assert.Equal(Assert.Single(created.Items).Id, Assert.Single(people));
    }

    /// <summary>What the provider's answer holds once it is back at Okapi, as the external cookie carries it.</summary>
    private ClaimsPrincipal ExternalPrincipal(string subject, string email, string name)
    {
        var issuer = apps.Provider.BaseUrl.ToString();
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", subject, ClaimValueTypes.String, issuer), new Claim("email", email, ClaimValueTypes.String, issuer),
             new Claim("email_verified", "true", ClaimValueTypes.String, issuer), new Claim("name", name, ClaimValueTypes.String, issuer)],
            OidcOptions.Scheme));
    }

    /// <summary>Completes a single sign-on in a request of its own and returns the session cookie it issued.</summary>
    private static async Task<string> CompleteAsync(OkapiApp app, ClaimsPrincipal external)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = http;
        var refusal = await scope.ServiceProvider.GetRequiredService<OidcSignIn>().SignInAsync(external, CancellationToken.None);
        Assert.Null(refusal);
        return string.Join("; ", http.Response.Headers.SetCookie.Select(c => c!.Split(';')[0]));
    }

    /// <summary>A cookie-keeping client that follows redirects across Okapi and the provider, as a browser does.</summary>
    private static HttpClient Browser(OkapiApp app) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true, MaxAutomaticRedirections = 10 }) { BaseAddress = app.BaseUrl };

    /// <summary>Gives the app's organisation a fresh email domain, as an admin does through the settings API.</summary>
    private static async Task<string> OwnDomainAsync(OkapiApp app)
    {
        var domain = $"{Guid.NewGuid():N}.example";
        var current = await app.Admin.GetAsync<OrganisationDto>("/api/v1/organisation");
        var changed = await app.Admin.PutAsync<OrganisationDto>("/api/v1/organisation", Request(current, [.. current.EmailDomains, domain]), $"\"{current.Version}\"");
        Assert.Contains(domain, changed.EmailDomains);
        return domain;
    }

    private static OrganisationRequest Request(OrganisationDto o, List<string> domains) =>
        new(o.Name, o.TimeZone, o.FiscalYearStartMonth, o.CheckInWeekday, o.CheckInHour, o.WeekStart, o.Vision, domains);

    private static async Task<TeamDto> EnsureMappedTeamAsync(OkapiApp app)
    {
        var teams = await app.Admin.GetAsync<Page<TeamDto>>("/api/v1/teams?pageSize=200");
        return teams.Items.FirstOrDefault(t => t.Name == SingleSignOnApps.MappedTeam) ?? await app.Admin.CreateTeamAsync(SingleSignOnApps.MappedTeam);
    }
}
