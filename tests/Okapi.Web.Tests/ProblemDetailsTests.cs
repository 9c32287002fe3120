using System.Net;
using System.Text;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>Errors are problem details whatever format the client asked for.</summary>
public sealed class ProblemDetailsTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase("application/xml")]
    [OnEveryDatabase("text/csv")]
    [OnEveryDatabase("text/html")]
    [OnEveryDatabase("application/json;q=0")]
    public async Task AnErrorIsAProblemDetailWhateverTheAcceptHeaderNames(DatabaseProvider provider, string accept)
    {
        var app = await apps.StartAsync(provider);
        var requests = new (HttpMethod Method, string Url, string? Body, HttpStatusCode Expected)[]
        {
            (HttpMethod.Get, $"/api/v1/objectives/{Guid.NewGuid()}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, "/api/v1/objectives?cycle=nope", null, HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/api/v1/channels", "{\"kind\": \"slack\"}", HttpStatusCode.BadRequest),
            (HttpMethod.Post, "/api/v1/objectives", "{\"title\": ", HttpStatusCode.BadRequest),
        };

        foreach (var (method, url, body, expected) in requests)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await app.Admin.SendAsync(request);
            await Api.AssertProblemAsync(response, expected);
        }
    }
}
