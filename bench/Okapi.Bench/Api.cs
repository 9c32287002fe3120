using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Okapi.Bench;

/// <summary>The few REST calls the bench makes; any answer but success is a <see cref="BenchFailure"/>.</summary>
public static class Api
{
    public static async Task<JsonElement> PostAsync(this HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        return await ReadAsync(response, $"POST {path}");
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await ReadAsync(response, $"GET {path}");
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailure($"{what} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(text)}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Guid Id(this JsonElement element) => element.GetProperty("id").GetGuid();

    public static async Task<Guid> CompanyTeamAsync(HttpClient client)
    {
        var teams = await client.GetJsonAsync("/api/v1/teams?pageSize=200");
        return teams.GetProperty("items").EnumerateArray().First(t => t.GetProperty("parentTeamId").ValueKind == JsonValueKind.Null).Id();
    }

    public static async Task<Guid> CreateKpiAsync(HttpClient client, Guid team, string key, double warningLower, double criticalLower) =>
        (await client.PostAsync("/api/v1/kpis", new JsonObject
        {
            ["name"] = $"Bench {key}",
            ["key"] = key,
            ["ownerTeamId"] = team,
            ["unit"] = "ms",
            ["direction"] = "higherIsBetter",
            ["cadence"] = "daily",
            ["aggregation"] = "last",
            ["warningLower"] = warningLower,
            ["criticalLower"] = criticalLower,
        })).Id();

    public static async Task<Guid> CreateThresholdRuleAsync(HttpClient client, Guid kpi, string name, int pendingSeconds, params Guid[] channels) =>
        (await client.PostAsync("/api/v1/alert-rules", new JsonObject
        {
            ["kpiId"] = kpi,
            ["name"] = name,
            ["kind"] = "threshold",
            ["thresholdLevel"] = "critical",
            ["pendingSeconds"] = pendingSeconds,
            ["channelIds"] = new JsonArray([.. channels.Select(c => JsonValue.Create(c))]),
        })).Id();

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
