using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Access;

/// <summary>Okapi where each request may say which client address it comes from, as requests from different machines do.</summary>
public sealed class ClientAddressApps : OkapiApps
{
    public const string Header = "X-Test-Client-Address";

    /// <summary>Above the free failures of one email, so that a test sees the back-off before the rate limit.</summary>
    public const int PerMinute = 20;

    protected override AppOptions Options => new()
    {
        Configure = b =>
        {
            b.UseSetting("Okapi:SignInAttemptsPerMinute", PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.ConfigureServices(s => s.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
        },
    };

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[Header], out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public sealed class SignInTests(ClientAddressApps apps) : IClassFixture<ClientAddressApps>
{
    private static HttpClient From(OkapiApp app, string address)
    {
        var client = app.CreateClient(new() { HandleCookies = true });
        client.DefaultRequestHeaders.Add(ClientAddressApps.Header, address);
        return client;
    }

    [Fact]
    public async Task EverySpellingOfTheSignInPathSharesOneRateLimit()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var client = From(app, "198.51.100.1");
        for (var i = 0; i < ClientAddressApps.PerMinute; i++)
        {
            using var guess = await client.PostAsJsonAsync("/account/sign-in", new SignInRequest($"someone{i}@okapi.test", "a guess"));
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        foreach (var path in new[] { "/account/sign-in", "/account/sign-in/", "/ACCOUNT/Sign-In", "/Account/sign-in/", "/account/sign%2Din", "/account/%73ign-in" })
        {
            using var response = await client.PostAsJsonAsync(path, new SignInRequest("another@okapi.test", "a guess"));
            Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{path}: {response.StatusCode}");
        }

        // A spelling that routing does not know is not the sign-in endpoint at all: nothing checks a password there.
        using var doubled = await client.PostAsJsonAsync(new Uri("http://localhost//account/sign-in"), new SignInRequest("another@okapi.test", "a guess"));
        Assert.NotEqual(HttpStatusCode.Unauthorized, doubled.StatusCode);
        Assert.NotEqual(HttpStatusCode.NoContent, doubled.StatusCode);

        // The sign-in form is the same limit: its posts are refused too, whatever the spelling; viewing it is not limited.
        foreach (var path in new[] { "/sign-in", "/sign-in/", "/SIGN-IN" })
        {
            using var form = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "sign-in",
                ["Input.Email"] = "another@okapi.test",
                ["Input.Password"] = "a guess",
            }));
            Assert.True(form.StatusCode == HttpStatusCode.TooManyRequests, $"{path}: {form.StatusCode}");
        }

        using var page = await client.GetAsync("/sign-in/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        using var otherClient = From(app, "198.51.100.2");
        using var elsewhere = await otherClient.PostAsJsonAsync("/account/sign-in/", new SignInRequest("another@okapi.test", "a guess"));
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AStrangersFailuresDoNotKeepTheOwnerOutFromAnotherClient(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        using var stranger = From(app, "203.0.113.7");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
        {
            using var guess = await stranger.PostAsJsonAsync("/account/sign-in", new SignInRequest(OkapiApp.AdminEmail, "guess number " + i));
            statuses.Add(guess.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.NoContent, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        // The stranger's client now waits, even with the right password...
        using var strangerRight = await stranger.PostAsJsonAsync("/account/sign-in", new SignInRequest(OkapiApp.AdminEmail, OkapiApp.AdminPassword));
        Assert.Equal(HttpStatusCode.TooManyRequests, strangerRight.StatusCode);

        // ...but the owner, from their own machine, signs in at once.
        using var owner = From(app, "192.0.2.44");
        using var signIn = await owner.PostAsJsonAsync("/account/sign-in", new SignInRequest(OkapiApp.AdminEmail, OkapiApp.AdminPassword));
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        Assert.Equal(app.AdminId, (await owner.GetAsync<PersonDto>("/api/v1/people/me")).Id);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnUnknownEmailAndAWrongPasswordGetTheSameAnswer(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var withoutPassword = await app.Admin.PostAsync<PersonDto>("/api/v1/people",
            new PersonRequest("No Password", $"no.password.{Guid.NewGuid():N}@okapi.test", Role.Member, null, null));
        using var client = From(app, "198.51.100.77");
        var emails = new[] { OkapiApp.AdminEmail, $"nobody.{Guid.NewGuid():N}@okapi.test", withoutPassword.Email };

        var first = new List<string>();
        foreach (var email in emails)
        {
            using var response = await client.PostAsJsonAsync("/account/sign-in", new SignInRequest(email, "not the password"));
            first.Add(await DescribeAsync(response));
        }

        Assert.All(first, answer => Assert.Equal(first[0], answer));
        Assert.StartsWith("401 application/problem+json", first[0]);

        // Past the free attempts (where an account used to be locked), every email gets the same wait, known or not.
        var waits = new List<string>();
        for (var e = 0; e < emails.Length; e++)
        {
            using var another = From(app, $"198.51.100.{80 + e}");
            for (var i = 0; i < Core.Access.SignInBackOff.FreeFailures; i++)
            {
                using var failed = await another.PostAsJsonAsync("/account/sign-in", new SignInRequest(emails[e], "not the password"));
                Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
            }

            using var waiting = await another.PostAsJsonAsync("/account/sign-in", new SignInRequest(emails[e], "not the password"));
            Assert.Equal("1", waiting.Headers.RetryAfter?.ToString());
            waits.Add(await DescribeAsync(waiting));
        }

        Assert.All(waits, answer => Assert.Equal(waits[0], answer));
        Assert.StartsWith("429 application/problem+json", waits[0]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnotherOrganisationsAdminIsNotToldThatAnEmailHasAnAccount(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (otherOrganisation, otherAdmin) = await app.CreateOrganisationAsync("Elsewhere " + Guid.NewGuid().ToString("N")[..6]);

        // An address with an account in the first organisation, and one with none anywhere: the same answer.
        var taken = await otherAdmin.PostAsync<PersonDto>("/api/v1/people", new PersonRequest("Known Elsewhere", OkapiApp.AdminEmail, Role.Member, null, "a-long-password-2"));
        var free = await otherAdmin.PostAsync<PersonDto>("/api/v1/people", new PersonRequest("Nowhere Yet", $"nowhere.{Guid.NewGuid():N}@okapi.test", Role.Member, null, "a-long-password-2"));
        Assert.Equal(OkapiApp.AdminEmail, taken.Email);
        Assert.Equal(free.Role, taken.Role);

        // Nothing changed for the account's owner: they sign in where they did, with their own password.
        using var owner = From(app, "192.0.2.45");
        using var signIn = await owner.PostAsJsonAsync("/account/sign-in", new SignInRequest(OkapiApp.AdminEmail, OkapiApp.AdminPassword));
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        Assert.Equal(app.AdminId, (await owner.GetAsync<PersonDto>("/api/v1/people/me")).Id);

        // Within one organisation the admin already sees everyone, so a duplicate is still refused, naming the field.
        using var again = await otherAdmin.SendJsonAsync(HttpMethod.Post, "/api/v1/people", new PersonRequest("Again", OkapiApp.AdminEmail, Role.Member, null, null));
        var problem = await Api.AssertProblemAsync(again, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _));

        // Renaming a person to an address that signs in elsewhere is answered like any other rename, and its owner
        // still signs in where they did.
        var elsewhere = await app.Admin.CreatePersonAsync("Signs In Here", Role.Member);
        var renamed = await otherAdmin.PutAsync<PersonDto>($"/api/v1/people/{free.Id}", new PersonRequest("Nowhere Yet", elsewhere.Email, Role.Member, null, null));
        Assert.Equal(elsewhere.Email, renamed.Email);
        using var stillHere = From(app, "192.0.2.46");
        using var signInHere = await stillHere.PostAsJsonAsync("/account/sign-in", new SignInRequest(elsewhere.Email, "a-long-password-1"));
        Assert.Equal(HttpStatusCode.NoContent, signInHere.StatusCode);
        Assert.Equal(elsewhere.Id, (await stillHere.GetAsync<PersonDto>("/api/v1/people/me")).Id);
        Assert.NotEqual(otherOrganisation, app.OrganisationId);
    }

    /// <summary>Status, content type and body without the per-request trace id.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {body["title"]}|{body.ToJsonString()}";
    }
}
