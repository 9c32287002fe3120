using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Tests.Infrastructure;

/// <summary>Typed calls to the REST API that assert the expected status and read the body with the API's own JSON options.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiExtensions.Configure(options);
        return options;
    }

    public static async Task<T> GetAsync<T>(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url);
        return await ReadAsync<T>(response, expected);
    }

    public static async Task<T> PostAsync<T>(this HttpClient client, string url, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await client.PostAsJsonAsync(url, body, Json);
        return await ReadAsync<T>(response, expected);
    }

    public static async Task<T> PutAsync<T>(this HttpClient client, string url, object body, string? ifMatch = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.SendAsync(Request(HttpMethod.Put, url, body, ifMatch));
        return await ReadAsync<T>(response, expected);
    }

    public static async Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string url, object? body, string? ifMatch = null) =>
        await client.SendAsync(Request(method, url, body, ifMatch));

    /// <summary>Sends a raw body, for malformed JSON and values a serializer would refuse to write.</summary>
    public static async Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string json) =>
        await client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    /// <summary>Deletes and checks the status (HttpClient.DeleteAsync itself, which C# prefers to an extension of the same name, checks nothing).</summary>
    public static async Task DeleteOkAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.NoContent)
    {
        using var response = await client.DeleteAsync(url);
        Assert.True(expected == response.StatusCode, $"DELETE {url}: expected {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {expected}, got {response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    /// <summary>Asserts an RFC 9457 problem detail with the given status and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, object? body, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    // Builders for the resources most tests need.

    /// <summary>An active cycle; by default the quarter around <see cref="OkapiApp.Start"/>.</summary>
    public static Task<CycleDto> CreateCycleAsync(this HttpClient admin, string name = "2027 Q1", DateOnly? start = null, DateOnly? end = null, CycleKind kind = CycleKind.Quarter) =>
        admin.PostAsync<CycleDto>("/api/v1/cycles", new CycleRequest(name, start ?? new DateOnly(2027, 1, 1), end ?? new DateOnly(2027, 3, 31), kind, CycleState.Active, null));

    public static Task<TeamDto> CreateTeamAsync(this HttpClient admin, string name, params TeamMemberDto[] members) =>
        admin.PostAsync<TeamDto>("/api/v1/teams", new TeamRequest(name, null, null, [.. members]));

    public static Task<PersonDto> CreatePersonAsync(this HttpClient admin, string name, Role role) =>
        admin.PostAsync<PersonDto>("/api/v1/people", new PersonRequest(name, $"{name.Replace(' ', '.').ToLowerInvariant()}.{Guid.NewGuid():N}@okapi.test", role, null, "a-long-password-1"));

    public static Task<ObjectiveDto> CreateObjectiveAsync(this HttpClient client, Guid cycleId, Guid teamId, string title = "Delight our customers", Visibility visibility = Visibility.Public) =>
        client.PostAsync<ObjectiveDto>("/api/v1/objectives", new ObjectiveRequest(title, null, cycleId, teamId, null, ObjectiveState.Active, visibility, ["retention"]));

    public static Task<KeyResultDto> CreateKeyResultAsync(this HttpClient client, Guid objectiveId, string title = "Raise customer satisfaction from 30 % to 50 %", double start = 30, double target = 50, KeyResultType type = KeyResultType.IncreaseTo) =>
        client.PostAsync<KeyResultDto>("/api/v1/key-results", new KeyResultRequest(objectiveId, title, null, type, "%", start, target, null, null, null, null, null));
}
