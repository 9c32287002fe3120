using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>What does not depend on the database runs on SQLite only.</summary>
public sealed class OpenApiTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Fact]
    public async Task TheDocumentParsesAsOpenApi3AndListsEveryEndpointWithItsResponses()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        var json = await app.CreateClient().GetStringAsync("/openapi/v1.json");
        var result = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        Assert.Empty(result.Diagnostic?.Errors ?? []);
        var document = result.Document!;
        Assert.StartsWith("3.", JsonDocument.Parse(json).RootElement.GetProperty("openapi").GetString());

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1") == true || e.RoutePattern.RawText?.StartsWith("/account") == true)
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => (Path: Normalise(e.RoutePattern.RawText!), Method: m)))
            .ToList();
        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} endpoints found");

        foreach (var (path, method) in endpoints)
        {
            Assert.True(document.Paths.TryGetValue(path, out var item), $"{method} {path} is missing from the OpenAPI document");
            var operation = item!.Operations![HttpMethod.Parse(method)];
            Assert.NotNull(operation.Responses);
            Assert.Contains(operation.Responses!.Keys, code => code.StartsWith('2'));
            if (path.StartsWith("/api/v1"))
            {
                Assert.Contains("401", operation.Responses.Keys);
                Assert.Contains("403", operation.Responses.Keys);
            }
        }

        Assert.Contains("bearer", document.Components!.SecuritySchemes!.Keys);
    }

    [Fact]
    public async Task TheInteractiveReferenceIsServedAtApi()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        var html = await app.CreateClient().GetStringAsync("/api");
        Assert.Contains("Okapi API", html);
        Assert.Contains("openapi/v1.json", html);
    }

    /// <summary>Route templates carry constraints ({id:guid}); OpenAPI paths do not.</summary>
    private static string Normalise(string pattern)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{(\w+)(:[^}]+)?\}", "{$1}").TrimEnd('/');
        return path.Length == 0 ? "/" : path;
    }
}
