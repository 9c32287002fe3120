using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;

namespace Okapi.Web.Tests;

/// <summary>A field an operation needs is not filled with a default when it is missing: 400 naming it, nothing stored.</summary>
public sealed class RequiredFieldTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    public static TheoryData<string, string, string, string> MissingFields => new()
    {
        { "POST", "/api/v1/key-results/{keyResult}/check-ins", "{}", "value" },
        { "PUT", "/api/v1/people/{admin}", "{\"name\": \"Ada Admin\", \"email\": \"{adminEmail}\"}", "role" },
        { "PUT", "/api/v1/organisation", "{\"name\": \"Acme\", \"timeZone\": \"Europe/Paris\", \"fiscalYearStartMonth\": 1, \"checkInWeekday\": \"monday\", \"weekStart\": \"monday\"}", "checkInHour" },
        { "POST", "/api/v1/cycles", "{\"name\": \"No kind\", \"start\": \"2027-04-01\", \"end\": \"2027-06-30\"}", "kind" },
        { "POST", "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"No type\", \"start\": 0, \"target\": 10}", "type" },
        { "POST", "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"No target\", \"type\": \"increaseTo\", \"start\": 0}", "target" },
    };

    [Theory]
    [OnEveryDatabase(MemberName = nameof(MissingFields))]
    public async Task AMissingRequiredFieldGetsA400NamingItAndChangesNothing(DatabaseProvider provider, string method, string url, string body, string field)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Required");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var keyResult = await app.Admin.CreateKeyResultAsync(objective.Id);
        var admin = await app.QueryAsync(db => db.People.SingleAsync(p => p.Role == Role.Admin));
        var before = await SnapshotAsync(app);

        string Fill(string text) => text.Replace("{keyResult}", keyResult.Id.ToString()).Replace("{objective}", objective.Id.ToString())
            .Replace("{admin}", admin.Id.ToString()).Replace("{adminEmail}", admin.Email);
        using var response = await app.Admin.SendRawAsync(HttpMethod.Parse(method), Fill(url), Fill(body));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(field, KpiArrangements.ErrorKeys(problem));

        Assert.Equal(before, await SnapshotAsync(app));
    }

    [Fact]
    public async Task AnEmptyBodyToAnyWriteIsNeverA500AndEveryProblemNamesFieldsByTheirJsonName()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        var checkedOperations = 0;
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "post" or "put"))
            {
                if (!operation.Value.TryGetProperty("requestBody", out var requestBody)
                    || !requestBody.GetProperty("content").TryGetProperty("application/json", out var content)
                    || Resolve(root, content.GetProperty("schema")) is not { ValueKind: JsonValueKind.Object } schema
                    || !schema.TryGetProperty("properties", out _))
                {
                    continue;
                }

                var url = System.Text.RegularExpressions.Regex.Replace(path.Name, @"\{[^}]+\}", Guid.NewGuid().ToString());
                using var response = await app.Admin.SendRawAsync(HttpMethod.Parse(operation.Name), url, "{}");
                var text = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode < 500, $"{operation.Name} {path.Name}: {response.StatusCode} {text}");
                if (response.StatusCode == HttpStatusCode.BadRequest && JsonDocument.Parse(text).RootElement.TryGetProperty("errors", out _))
                {
                    var keys = KpiArrangements.ErrorKeys(JsonDocument.Parse(text).RootElement);
                    Assert.True(keys.All(k => !char.IsUpper(k[0])), $"{operation.Name} {path.Name}: {text}");
                    checkedOperations++;
                }
            }
        }

        Assert.True(checkedOperations > 20, $"only {checkedOperations} operations refused an empty body with a validation problem");
    }

    [Fact]
    public async Task TheDocumentMarksTheFieldsAnOperationNeedsAsRequired()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        string[] Required(string schema) =>
            schemas.GetProperty(schema).TryGetProperty("required", out var required) ? [.. required.EnumerateArray().Select(r => r.GetString()!).Order()] : [];

        Assert.Contains("value", Required("CheckInRequest"));
        Assert.Contains("role", Required("PersonRequest"));
        Assert.Superset(new HashSet<string> { "checkInHour", "checkInWeekday", "fiscalYearStartMonth", "weekStart" }, Required("OrganisationRequest").ToHashSet());
        Assert.Superset(new HashSet<string> { "start", "end", "kind" }, Required("CycleRequest").ToHashSet());
        Assert.Superset(new HashSet<string> { "type", "target" }, Required("KeyResultRequest").ToHashSet());
    }

    private static JsonElement? Resolve(JsonElement root, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return root.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }

    private static Task<string> SnapshotAsync(OkapiApp app) => app.QueryAsync(async db => JsonSerializer.Serialize(new
    {
        CheckIns = await db.CheckIns.CountAsync(),
        KeyResults = await db.KeyResults.CountAsync(),
        Current = await db.KeyResults.Select(k => k.Current).ToListAsync(),
        Cycles = await db.Cycles.CountAsync(),
        Roles = await db.People.OrderBy(p => p.Id).Select(p => p.Role).ToListAsync(),
        Organisation = await db.Organisations.Select(o => new { o.CheckInHour, o.CheckInWeekday, o.FiscalYearStartMonth, o.WeekStart, o.Version }).ToListAsync(),
    }));
}
