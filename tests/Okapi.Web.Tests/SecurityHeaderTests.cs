using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>The content security policy, HSTS and caching headers; they do not depend on the database.</summary>
public sealed partial class SecurityHeaderTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Fact]
    public async Task PagesSendAPolicyWithScriptAndStyleSourcesAndNoEval()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var response = await app.CreateClient().GetAsync("/sign-in");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy);
        Assert.Contains("style-src 'self' 'unsafe-inline';", policy);
        Assert.Contains("connect-src 'self';", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("object-src 'none'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task TheApiReferenceAllowsOnlyItsOwnInlineScriptsByNonce()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var client = app.CreateClient();
        var nonces = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync("/api");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            var nonce = NoncePattern().Match(policy).Groups[1].Value;
            Assert.NotEmpty(nonce);
            Assert.DoesNotContain("unsafe-eval", policy);
            Assert.DoesNotContain("'unsafe-inline'", policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));
            var html = await response.Content.ReadAsStringAsync();
            var scripts = Regex.Matches(html, "<script[^>]*>");
            Assert.NotEmpty(scripts);
            Assert.All(scripts, s => Assert.True(s.Value.Contains("src=") || s.Value.Contains($"nonce=\"{nonce}\""), s.Value));
            nonces.Add(nonce);
        }

        Assert.NotEqual(nonces[0], nonces[1]);
    }

    [Fact]
    public async Task HstsIsSentOverHttpsOnly()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var https = app.CreateClient(new() { BaseAddress = new Uri("https://okapi.example/") });
        using var secure = await https.GetAsync("/healthz");
        Assert.StartsWith("max-age=", Assert.Single(secure.Headers.GetValues("Strict-Transport-Security")));

        using var plain = await app.CreateClient().GetAsync("/healthz");
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task AuthenticatedApiAnswersAreNotStored()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var me = await app.Admin.GetAsync("/api/v1/people/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.True(me.Headers.CacheControl?.NoStore);

        using var list = await app.Admin.GetAsync("/api/v1/objectives");
        Assert.True(list.Headers.CacheControl?.NoStore);

        using var cookie = app.CreateClient(new() { HandleCookies = true });
        using var signIn = await cookie.PostAsJsonAsync("/account/sign-in", new SignInRequest(OkapiApp.AdminEmail, OkapiApp.AdminPassword));
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        using var withCookie = await cookie.GetAsync("/api/v1/people/me");
        Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
        Assert.True(withCookie.Headers.CacheControl?.NoStore);

        using var health = await app.CreateClient().GetAsync("/healthz");
        Assert.Null(health.Headers.CacheControl);
    }

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NoncePattern();
}
