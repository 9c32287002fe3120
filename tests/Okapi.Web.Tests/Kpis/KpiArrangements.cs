using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Kpis;

/// <summary>Typed KPI calls for the tests.</summary>
public static class KpiArrangements
{
    public static KpiRequest Request(string name, Guid? teamId = null, Guid? personId = null, string? key = null,
        Cadence cadence = Cadence.Weekly, PeriodAggregation aggregation = PeriodAggregation.Last,
        double? warningLower = null, double? criticalLower = null, double? target = null, Visibility visibility = Visibility.Public,
        string? unit = "leads") =>
        new(name, key, "How many", teamId, personId, unit, KpiDirection.HigherIsBetter, cadence, aggregation,
            warningLower, null, criticalLower, null, target, ["growth"], visibility);

    public static Task<KpiDto> CreateKpiAsync(this HttpClient client, KpiRequest request) =>
        client.PostAsync<KpiDto>("/api/v1/kpis", request);

    public static async Task<IngestResultDto> AddValuesAsync(this HttpClient client, Guid kpiId, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/kpis/{kpiId}/values", body, Api.Json);
        return await Api.ReadAsync<IngestResultDto>(response, expected);
    }

    public static async Task<IngestResultDto> BulkAsync(this HttpClient client, object rows, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/kpi-values", rows, Api.Json);
        return await Api.ReadAsync<IngestResultDto>(response, expected);
    }

    /// <summary>The field names of a validation problem's errors.</summary>
    public static IReadOnlyList<string> ErrorKeys(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
}
