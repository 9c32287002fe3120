using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Okapi.Core.Access;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>What does not depend on the database runs on SQLite only.</summary>
public sealed partial class OpenApiTests(OkapiApps apps) : IClassFixture<OkapiApps>
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
    public async Task EveryOperationHasAUniqueOperationIdASummaryADescriptionAndCamelCaseQueryParameters()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        var paths = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        var ids = new List<string>();
        foreach (var (name, operation) in paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => ($"{o.Name.ToUpperInvariant()} {p.Name}", o.Value))))
        {
            Assert.True(operation.TryGetProperty("operationId", out var id) && id.GetString() is { Length: > 0 }, $"{name} has no operationId");
            ids.Add(id.GetString()!);
            Assert.True(operation.TryGetProperty("summary", out var summary) && summary.GetString() is { Length: > 0 }, $"{name} has no summary");
            Assert.True(operation.TryGetProperty("description", out var description) && !string.IsNullOrWhiteSpace(description.GetString()), $"{name} has no description");
            foreach (var parameter in operation.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : default)
            {
                if (parameter.GetProperty("in").GetString() == "query")
                {
                    Assert.True(char.IsLower(parameter.GetProperty("name").GetString()![0]), $"{name}: query parameter {parameter.GetProperty("name")} is not camelCase");
                }
            }
        }

        Assert.Empty(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public async Task EveryPropertyOfTheMainRequestSchemasHasAnExample()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        var schemas = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("components").GetProperty("schemas");

        // A nullable enum is a oneOf of null and a reference: its example is the referenced schema's.
        bool HasExample(JsonElement schema) =>
            schema.TryGetProperty("examples", out var examples) && examples.GetArrayLength() > 0 ||
            schema.TryGetProperty("$ref", out var reference) && HasExample(schemas.GetProperty(reference.GetString()!.Split('/')[^1])) ||
            schema.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().Any(s => s.TryGetProperty("$ref", out _) && HasExample(s));

        foreach (var name in new[] { "ObjectiveRequest", "KeyResultRequest", "KpiRequest", "CycleRequest", "TeamRequest", "ChannelRequest" })
        {
            foreach (var property in schemas.GetProperty(name).GetProperty("properties").EnumerateObject())
            {
                Assert.True(HasExample(property.Value), $"{name}.{property.Name} has no example");
            }
        }

        var objective = schemas.GetProperty("ObjectiveRequest").GetProperty("properties");
        Assert.Equal("Make onboarding effortless", objective.GetProperty("title").GetProperty("examples")[0].GetString());
        Assert.True(Guid.TryParse(objective.GetProperty("cycleId").GetProperty("examples")[0].GetString(), out _));
    }

    [Fact]
    public async Task EverySchemaButTheFrameworksDescribesItselfAndEachOfItsProperties()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        var schemas = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("components").GetProperty("schemas");
        // The framework's own types: problem details are described by their RFC, a JSON element is any JSON.
        string[] framework = ["ProblemDetails", "HttpValidationProblemDetails", "JsonElement"];
        var objects = schemas.EnumerateObject().Where(s => s.Value.TryGetProperty("properties", out _) && !framework.Contains(s.Name)).ToList();
        Assert.True(objects.Count >= 100, $"only {objects.Count} object schemas");
        Assert.True(objects.Count(s => s.Name.EndsWith("Request", StringComparison.Ordinal)) >= 30, "fewer than 30 request schemas");

        static bool Described(JsonElement schema) =>
            schema.TryGetProperty("description", out var description) && !string.IsNullOrWhiteSpace(description.GetString());

        var undescribed = new List<string>();
        foreach (var (name, schema) in objects.Select(s => (s.Name, s.Value)))
        {
            if (!Described(schema))
            {
                undescribed.Add(name);
            }

            // A nullable reference is a oneOf of null and the reference: the property itself carries the description.
            undescribed.AddRange(schema.GetProperty("properties").EnumerateObject().Where(p => !Described(p.Value)).Select(p => $"{name}.{p.Name}"));
        }

        // Enums say what their values mean; the framework's day of the week speaks for itself.
        undescribed.AddRange(schemas.EnumerateObject()
            .Where(s => s.Value.TryGetProperty("enum", out _) && s.Name != "DayOfWeek" && !Described(s.Value)).Select(s => s.Name));
        Assert.Empty(undescribed);
        var paged = schemas.GetProperty("PageOfKpiDto").GetProperty("properties");
        Assert.Contains("at most 200", paged.GetProperty("pageSize").GetProperty("description").GetString());
        var type = schemas.GetProperty("KeyResultRequest").GetProperty("properties").GetProperty("type");
        Assert.True(type.TryGetProperty("oneOf", out _), "KeyResultRequest.type is no longer a nullable reference");
        Assert.StartsWith("Required. `increaseTo`", type.GetProperty("description").GetString());
    }

    [Fact]
    public async Task AnOperationThatCanConflictDocumentsA409ProblemAndOnlySuchOperationsDo()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        var paths = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        var operations = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Where(o => o.Value.TryGetProperty("responses", out _))
            .Select(o => (Name: $"{o.Name.ToUpperInvariant()} {p.Name}", Operation: o.Value))).ToList();

        foreach (var (name, operation) in operations)
        {
            var says = operation.TryGetProperty("description", out var description) && description.GetString()!.Contains("409", StringComparison.Ordinal);
            var documents = operation.GetProperty("responses").TryGetProperty("409", out var conflict);
            Assert.True(says == documents, $"{name}: the description {(says ? "names" : "does not name")} 409, the responses {(documents ? "do" : "do not")}");
            if (documents)
            {
                Assert.True(conflict.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{name}: 409 is not a problem detail");
            }
        }

        Assert.Contains(operations, o => o.Name == "POST /api/v1/kpi-sources/{id}/run" && o.Operation.GetProperty("responses").TryGetProperty("409", out _));
    }

    [Fact]
    public async Task EnumSchemasListTheCamelCaseValuesTheApiWritesAndReads()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        var schemas = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("components").GetProperty("schemas");

        string[] Values(string name) => [.. schemas.GetProperty(name).GetProperty("enum").EnumerateArray().Select(v => v.GetString()!)];

        Assert.Equal(["draft", "active", "closed", "inReview"], Values("ObjectiveState"));
        Assert.Equal(["httpJson", "sql", "prometheus"], Values("KpiSourceKind"));
        Assert.Equal("string", schemas.GetProperty("Visibility").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ConditionalOperationsDocumentIfMatchETagAnd412AndGetsByIdDocument304()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        var paths = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        var objective = paths.GetProperty("/api/v1/objectives/{id}");

        foreach (var method in new[] { "put", "delete" })
        {
            var operation = objective.GetProperty(method);
            Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "If-Match" && p.GetProperty("in").GetString() == "header");
            Assert.True(operation.GetProperty("responses").GetProperty("412").GetProperty("content").TryGetProperty("application/problem+json", out _));
        }

        Assert.True(objective.GetProperty("put").GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
        var get = objective.GetProperty("get");
        Assert.Contains(get.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "If-None-Match");
        Assert.True(get.GetProperty("responses").TryGetProperty("304", out _));
        Assert.True(get.GetProperty("responses").GetProperty("404").GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.False(paths.GetProperty("/api/v1/objectives").GetProperty("post").GetProperty("responses").TryGetProperty("412", out _));
    }

    /// <summary>
    /// Every operation is asked the way a client provokes each refusal it documents: no token (401), a token lacking the
    /// scope (403), an id that does not exist (404), a body that is not JSON (415). Each must answer what it documents,
    /// so no documented refusal is one the API never sends.
    /// </summary>
    [Fact]
    public async Task EveryDocumentedRefusalIsOneTheOperationReallySends()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var readOnly = await app.ClientForAsync(app.AdminId, TokenScope.Read);
        using var ingestOnly = await app.ClientForAsync(app.AdminId, TokenScope.KpiIngest);
        using var anonymous = app.CreateClient();
        var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths");
        var unsent = new List<string>();
        var asked = 0;
        foreach (var path in paths.EnumerateObject().Where(p => p.Name.StartsWith("/api/v1", StringComparison.Ordinal)))
        {
            var url = PathParameter().Replace(path.Name, _ => Guid.NewGuid().ToString());
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                var documented = operation.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
                // A body the operation takes, built from its schema's examples, so that only the refusal asked for stands in the way.
                HttpContent? Body() => !operation.Value.TryGetProperty("requestBody", out var body) ? null
                    : body.GetProperty("content").EnumerateObject().First() is var media && media.Name == "application/json"
                        ? new StringContent(Example(document, media.Value.GetProperty("schema"))!.ToJsonString(), System.Text.Encoding.UTF8, media.Name)
                        : new StringContent("", System.Text.Encoding.UTF8, media.Name);

                async Task ExpectAsync(HttpClient client, string status, HttpContent? content = null)
                {
                    if (!documented.Contains(status))
                    {
                        return;
                    }

                    asked++;
                    using var request = new HttpRequestMessage(method, url) { Content = content ?? Body() };
                    using var response = await client.SendAsync(request);
                    if ((int)response.StatusCode != int.Parse(status, CultureInfo.InvariantCulture))
                    {
                        unsent.Add($"{method} {path.Name}: documents {status}, answered {(int)response.StatusCode} when asked for it");
                    }
                }

                await ExpectAsync(anonymous, "401");
                await ExpectAsync(method == HttpMethod.Get ? ingestOnly : readOnly, "403");
                if (url != path.Name)
                {
                    await ExpectAsync(app.Admin, "404");
                }

                await ExpectAsync(app.Admin, "415", new ByteArrayContent([0x89, 0x50, 0x4e, 0x47]) { Headers = { ContentType = new("image/png") } });
            }
        }

        Assert.True(unsent.Count == 0, string.Join("\n", unsent));
        Assert.True(asked > 300, $"only {asked} refusals asked for");
    }

    /// <summary>A value of the schema made of its examples: each property's first example, an enum's first value.</summary>
    private static System.Text.Json.Nodes.JsonNode? Example(JsonElement document, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        if (schema.TryGetProperty("examples", out var examples))
        {
            return System.Text.Json.Nodes.JsonNode.Parse(examples[0].GetRawText());
        }

        if (schema.TryGetProperty("oneOf", out var options) || schema.TryGetProperty("anyOf", out options))
        {
            return Example(document, options.EnumerateArray().First(o => !(o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")));
        }

        if (schema.TryGetProperty("enum", out var values))
        {
            return System.Text.Json.Nodes.JsonValue.Create(values[0].GetString());
        }

        var example = new System.Text.Json.Nodes.JsonObject();
        foreach (var property in schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : [])
        {
            example[property.Name] = Example(document, property.Value);
        }

        return example;
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PathParameter();

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
