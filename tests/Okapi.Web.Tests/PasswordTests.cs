using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Features.Setup;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

public sealed class PasswordTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task ChangingYourOwnPasswordNeedsTheCurrentOneAndFollowsThePasswordRules(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var email = $"pat.{Guid.NewGuid():N}@okapi.test";
        var pat = await app.Admin.PostAsync<PersonDto>("/api/v1/people", new PersonRequest("Pat Password", email, Role.Member, null, "first-password-1"));
        using var client = await app.ClientForAsync(pat.Id, TokenScope.Write);

        var wrong = await Api.AssertProblemAsync(await client.SendJsonAsync(HttpMethod.Put, "/api/v1/people/me/password",
            new ChangePasswordRequest("not-the-password", "second-password-2")), HttpStatusCode.BadRequest);
        Assert.True(wrong.GetProperty("errors").TryGetProperty("currentPassword", out _));
        var tooShort = await Api.AssertProblemAsync(await client.SendJsonAsync(HttpMethod.Put, "/api/v1/people/me/password",
            new ChangePasswordRequest("first-password-1", "short")), HttpStatusCode.BadRequest);
        Assert.True(tooShort.GetProperty("errors").TryGetProperty("newPassword", out _));
        await SignInAsync(app, email, "first-password-1", HttpStatusCode.NoContent);

        using var changed = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/people/me/password", new ChangePasswordRequest("first-password-1", "second-password-2"));

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await SignInAsync(app, email, "first-password-1", HttpStatusCode.Unauthorized);
        await SignInAsync(app, email, "second-password-2", HttpStatusCode.NoContent);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AGeneratedFirstPasswordSendsEveryPageToThePasswordPageUntilItIsChanged(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var email = $"first.{Guid.NewGuid():N}@okapi.test";
        using var scope = app.Services.CreateScope();
        var (_, _, generated) = await scope.ServiceProvider.GetRequiredService<Bootstrap>()
            .CreateOrganisationAsync("First start", "UTC", "First admin", email, adminPassword: null, CancellationToken.None);
        var password = Assert.IsType<string>(generated);

        using var browser = app.CreateClient(new() { HandleCookies = true, AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsJsonAsync("/account/sign-in", new SignInRequest(email, password))).StatusCode);
        using var home = await browser.GetAsync("/okrs");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/settings/password", home.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/settings/password")).StatusCode);

        using var changed = await browser.SendJsonAsync(HttpMethod.Put, "/api/v1/people/me/password", new ChangePasswordRequest(password, "my-own-password-1"));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        using var again = app.CreateClient(new() { HandleCookies = true, AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.NoContent, (await again.PostAsJsonAsync("/account/sign-in", new SignInRequest(email, "my-own-password-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/okrs")).StatusCode);
    }

    private static async Task SignInAsync(OkapiApp app, string email, string password, HttpStatusCode expected)
    {
        using var client = app.CreateClient(new() { HandleCookies = true });
        using var response = await client.PostAsJsonAsync("/account/sign-in", new SignInRequest(email, password));
        Assert.Equal(expected, response.StatusCode);
    }
}
