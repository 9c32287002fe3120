using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;
using Xunit.Abstractions;

namespace Okapi.Web.Tests.Fuzzing;

/// <summary>
/// Every operation of Okapi's own OpenAPI document, called with generated malformed and extreme bodies, parameters and
/// headers: no answer is a server error, every 4xx is a problem detail with its status, every JSON body parses whole,
/// and a refused write changes no row.
/// </summary>
/// <remarks>
/// The seed is fixed, so that a red build points at the change that broke something rather than at a lucky draw; set
/// <c>OKAPI_FUZZ_SEED</c> to explore other inputs and <c>OKAPI_FUZZ_REQUESTS</c> for longer runs. Request <c>n</c> is drawn
/// from its own stream of the seed, so one failing request is repeated by the seed and its number alone.
/// </remarks>
public sealed class OpenApiFuzzTests(OkapiApps apps, ITestOutputHelper output) : IClassFixture<OkapiApps>
{
    private const ulong DefaultSeed = 13_2026_12_05;
    private const int DefaultRequests = 2_000;

    [Theory]
    [OnEveryDatabase]
    public async Task NoGeneratedRequestGetsAServerErrorABrokenAnswerOrChangesDataWhenRefused(DatabaseProvider provider)
    {
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("OKAPI_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var count = int.TryParse(Environment.GetEnvironmentVariable("OKAPI_FUZZ_REQUESTS"), CultureInfo.InvariantCulture, out var n) ? n : DefaultRequests;
        var app = await apps.StartAsync(provider);
        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        var operations = FuzzOperation.AllOf(document);
        Assert.True(operations.Count > 100, $"only {operations.Count} operations in the document");

        var failures = new FuzzFailures(seed);
        var statuses = new SortedDictionary<int, int>();
        var world = await ArrangeAsync(app);
        var requests = new FuzzRequests(document, world);
        var clock = Stopwatch.StartNew();
        var checking = new Stopwatch();
        string? before = null;
        for (var i = 0; i < count; i++)
        {
            // Round robin, so that every operation gets its share whatever the count.
            var operation = operations[i % operations.Count];
            var request = requests.For(operation).Generate(new PCG((uint)i, seed), null!, out _);
            if (operation.IsWrite && before is null)
            {
                checking.Start();
                before = await FingerprintAsync(app);
                checking.Stop();
            }

            var status = await SendAndCheckAsync(app.Admin, operation, request, i, failures);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (operation.IsWrite && status is >= 400 and < 500)
            {
                checking.Start();
                var after = await FingerprintAsync(app);
                checking.Stop();
                if (after != before)
                {
                    failures.Add(operation, status, "a refused write changed the data", i, request, Difference(before!, after));
                }

                before = after;
            }
            else
            {
                before = null;
            }

            // A write that went through may have removed or closed what later requests name: start again from fresh objects.
            if (status is >= 200 and < 300 && (operation.Method == "DELETE" || operation.Template.Contains("closings", StringComparison.Ordinal) || operation.Template.EndsWith("/import", StringComparison.Ordinal)))
            {
                world = await ArrangeAsync(app);
                requests = new FuzzRequests(document, world);
            }
        }

        output.WriteLine($"{provider}: {count} requests over {operations.Count} operations in {clock.Elapsed.TotalSeconds:F1} s ({checking.Elapsed.TotalSeconds:F1} s of it comparing the data), seed {seed}; statuses: "
            + string.Join(", ", statuses.Select(p => $"{p.Key}×{p.Value}")));
        Assert.True(failures.IsEmpty, failures.Report(count));
    }

    /// <summary>Sends the request, reads the whole answer and records what is wrong with it; returns the status (0 when the exchange itself broke).</summary>
    private static async Task<int> SendAndCheckAsync(HttpClient client, FuzzOperation operation, FuzzRequest request, int index, FuzzFailures failures)
    {
        HttpResponseMessage response;
        byte[] body;
        try
        {
            using var message = request.ToMessage();
            response = await client.SendAsync(message);
            body = await response.Content.ReadAsByteArrayAsync();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            failures.Add(operation, 0, $"the exchange broke off ({e.GetType().Name})", index, request, e.Message);
            return 0;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var media = response.Content.Headers.ContentType?.MediaType;
            var text = Encoding.UTF8.GetString(body);
            if (status >= 500)
            {
                failures.Add(operation, status, "a server error", index, request, text);
            }
            else if (status >= 400)
            {
                if (media != "application/problem+json")
                {
                    failures.Add(operation, status, $"a {status} that is not a problem detail ({media ?? "no content type"})", index, request, text);
                }
                else if (Parse(body) is not { } problem)
                {
                    failures.Add(operation, status, "a problem detail that does not parse", index, request, text);
                }
                else if (!(problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("status", out var said) && said.TryGetInt32(out var number) && number == status))
                {
                    failures.Add(operation, status, "a problem detail whose status differs", index, request, text);
                }
            }
            else if (media is not null && (media == "application/json" || media.EndsWith("+json", StringComparison.Ordinal)) && Parse(body) is null)
            {
                failures.Add(operation, status, "JSON that does not parse (a cut or broken body)", index, request, text);
            }

            return status;
        }
    }

    private static JsonElement? Parse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// A team, a cycle, an objective with a key result, a check-in and an initiative, a KPI and a person: real ids that let
    /// generated requests past "not found" to the validation.
    /// </summary>
    private static async Task<Dictionary<string, Guid>> ArrangeAsync(OkapiApp app)
    {
        var admin = app.Admin;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var person = await admin.CreatePersonAsync($"Fuzz Person {suffix}", Role.Member);
        var team = await admin.CreateTeamAsync($"Fuzz {suffix}", new TeamMemberDto(person.Id, true));
        var cycle = await admin.CreateCycleAsync($"Fuzz {suffix}");
        var objective = await admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var keyResult = await admin.CreateKeyResultAsync(objective.Id);
        var checkIn = await admin.PostAsync<CheckInDto>($"/api/v1/key-results/{keyResult.Id}/check-ins", new CheckInRequest(35, null, null, null));
        var initiative = await admin.PostAsync<JsonElement>("/api/v1/initiatives", new { objectiveId = objective.Id, title = "Call ten customers" });
        var kpi = await admin.CreateKpiAsync(KpiArrangements.Request($"Fuzz {suffix}", team.Id));
        return new()
        {
            ["people"] = person.Id,
            ["teams"] = team.Id,
            ["cycles"] = cycle.Id,
            ["objectives"] = objective.Id,
            ["key-results"] = keyResult.Id,
            ["check-ins"] = checkIn.Id,
            ["initiatives"] = initiative.GetProperty("id").GetGuid(),
            ["kpis"] = kpi.Id,
        };
    }

    /// <summary>
    /// Every table's row count, the sum of its versions (which every update raises) and how many of its moments are set
    /// (read, resolved, revoked, run), in one statement: equal before and after a refused write means it changed nothing.
    /// </summary>
    private static async Task<string> FingerprintAsync(OkapiApp app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        var parts = db.Model.GetEntityTypes().Where(t => t.GetTableName() is not null && !t.IsOwned())
            .SelectMany(t => t.GetProperties()
                .Where(p => p.Name == nameof(IVersioned.Version) || (p.IsNullable && p.Name.EndsWith("At", StringComparison.Ordinal)))
                .Select(p => (Table: t.GetTableName()!, Sql: p.Name == nameof(IVersioned.Version) ? $"COALESCE(SUM(\"{p.GetColumnName()}\"), 0)" : $"COUNT(\"{p.GetColumnName()}\")"))
                .Prepend((Table: t.GetTableName()!, Sql: "COUNT(*)")))
            .Distinct().OrderBy(p => p.Table, StringComparer.Ordinal).ThenBy(p => p.Sql, StringComparer.Ordinal).ToList();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT " + string.Join(", ", parts.Select(p => $"(SELECT {p.Sql} FROM \"{p.Table}\")"));
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return string.Join(" ", parts.Select((p, i) => $"{p.Table}.{p.Sql.Replace(" ", "", StringComparison.Ordinal)}={reader.GetValue(i)}"));
    }

    private static string Difference(string before, string after) =>
        string.Join(", ", before.Split(' ').Zip(after.Split(' ')).Where(p => p.First != p.Second).Select(p => $"{p.First} → {p.Second}"));
}

/// <summary>Failures grouped by operation, status and kind, each with its first example, so that one run shows everything.</summary>
public sealed class FuzzFailures(ulong seed)
{
    private readonly SortedDictionary<string, (int Count, string Example)> _groups = new(StringComparer.Ordinal);

    public bool IsEmpty => _groups.Count == 0;

    public void Add(FuzzOperation operation, int status, string kind, int index, FuzzRequest request, string answer)
    {
        var key = $"{operation.Name} → {(status == 0 ? "no status" : status.ToString(CultureInfo.InvariantCulture))}: {kind}";
        _groups[key] = _groups.TryGetValue(key, out var group)
            ? (group.Count + 1, group.Example)
            : (1, $"request #{index} (seed {seed}): {request}\n      answer: {FuzzRequest.Shorten(answer, 400)}");
    }

    public string Report(int requests) =>
        $"{_groups.Sum(g => g.Value.Count)} of {requests} requests failed, in {_groups.Count} groups; repeat with OKAPI_FUZZ_SEED={seed}:\n"
        + string.Join("\n", _groups.Select(g => $"- {g.Key} ({g.Value.Count}×)\n      first: {g.Value.Example}"));
}
