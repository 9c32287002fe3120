using System.Net;
using System.Net.Http.Json;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Access;

public sealed class ViewerTokenTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task ASignedInViewerCreatesAReadTokenForThemselvesAndRevokesIt(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var email = $"vic.{Guid.NewGuid():N}@okapi.test";
        await app.Admin.PostAsync<PersonDto>("/api/v1/people", new PersonRequest("Vic Viewer", email, Role.Viewer, null, "a-long-password-1"));
        using var viewer = app.CreateClient();
        using (var signIn = await viewer.PostAsJsonAsync("/account/sign-in", new SignInRequest(email, "a-long-password-1")))
        {
            Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        }

        var created = await viewer.PostAsync<CreatedTokenDto>("/api/v1/tokens", new TokenRequest("my dashboard", [TokenScope.Read], null));
        using var token = app.WithToken(created.Secret);
        Assert.Equal("Vic Viewer", (await token.GetAsync<PersonDto>("/api/v1/people/me")).Name);

        using var write = await viewer.SendJsonAsync(HttpMethod.Post, "/api/v1/tokens", new TokenRequest("my script", [TokenScope.Write], null));
        await Api.AssertProblemAsync(write, HttpStatusCode.BadRequest);

        await viewer.DeleteOkAsync($"/api/v1/tokens/{created.Token.Id}");
        await Api.AssertProblemAsync(await token.GetAsync("/api/v1/people/me"), HttpStatusCode.Unauthorized);
        Assert.Equal([created.Token.Id], (await viewer.GetAsync<Page<TokenDto>>("/api/v1/tokens")).Items.Select(t => t.Id));
    }
}
