using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Tests.Alerts;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;

namespace Okapi.Web.Tests;

/// <summary>
/// Numbers that go into a computation are refused beyond the storable range (and a key result's levels too close to
/// divide by), storing nothing; numbers stored before those rules existed do not break the organisation's reads.
/// </summary>
public sealed class StorableNumberTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private sealed record Setup(Guid Cycle, Guid Team, Guid Objective, Guid KeyResult, Guid Kpi, string KpiKey);

    private static async Task<Setup> SetUpAsync(OkapiApp app)
    {
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync("Numbers");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var keyResult = await app.Admin.CreateKeyResultAsync(objective.Id);
        var kpi = await app.CreateKpiAsync(team.Id);
        return new Setup(cycle.Id, team.Id, objective.Id, keyResult.Id, kpi.Id, kpi.Key);
    }

    private static Task<(int KeyResults, int CheckIns, int KpiValues, int Kpis, int Rules, double? Current)> CountsAsync(OkapiApp app, Setup x) =>
        app.QueryAsync(async db => (await db.KeyResults.CountAsync(), await db.CheckIns.CountAsync(), await db.ValuesOf(x.Kpi).CountAsync(),
            await db.Kpis.CountAsync(), await db.AlertRules.CountAsync(), (await db.KeyResults.SingleAsync(k => k.Id == x.KeyResult)).Current));

    public static TheoryData<string, string, string> OutOfRange => new()
    {
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"Tiny target\", \"type\": \"increaseTo\", \"start\": 0, \"target\": 5e-324}", "target" },
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"Huge range\", \"type\": \"increaseTo\", \"start\": -1e308, \"target\": 1e308}", "start" },
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"Close levels\", \"type\": \"decreaseTo\", \"start\": 1e12, \"target\": 999999999999.999}", "target" },
        { "/api/v1/key-results", "{\"objectiveId\": \"{objective}\", \"title\": \"Close commit\", \"type\": \"commitTargetStretch\", \"start\": 0, \"commit\": 1e-300, \"target\": 10, \"stretch\": 20}", "commit" },
        { "/api/v1/key-results/{keyResult}/check-ins", "{\"value\": 1.8e308}", "value" },
        { "/api/v1/key-results/{keyResult}/check-ins", "{\"value\": 1.7e308}", "value" },
        { "/api/v1/key-results/{keyResult}/check-ins", "{\"value\": -2e15}", "value" },
        { "/api/v1/kpis/{kpi}/values", "{\"value\": 1e300}", "rows[1].value" },
        { "/api/v1/kpi-values", "[{\"kpiId\": \"{kpi}\", \"at\": \"2027-02-14T00:00:00Z\", \"value\": -1e16}]", "rows[1].value" },
        { "/api/v1/kpis", "{\"name\": \"Huge\", \"ownerTeamId\": \"{team}\", \"direction\": \"higherIsBetter\", \"cadence\": \"daily\", \"aggregation\": \"sum\", \"warningLower\": 1e300}", "warningLower" },
        { "/api/v1/kpis", "{\"name\": \"Huge target\", \"ownerTeamId\": \"{team}\", \"direction\": \"higherIsBetter\", \"cadence\": \"daily\", \"aggregation\": \"sum\", \"target\": -1e300}", "target" },
        { "/api/v1/alert-rules", "{\"kpiId\": \"{kpi}\", \"name\": \"Huge change\", \"kind\": \"change\", \"changePercent\": 1e300}", "changePercent" },
    };

    [Theory]
    [OnEveryDatabase(MemberName = nameof(OutOfRange))]
    public async Task NumbersBeyondTheStorableRangeGetA400NamingTheFieldStoreNothingAndReadsStayWhole(DatabaseProvider provider, string url, string body, string field)
    {
        var app = await apps.StartAsync(provider);
        var x = await SetUpAsync(app);
        var before = await CountsAsync(app, x);

        using var response = await app.Admin.SendRawAsync(HttpMethod.Post, Fill(url, x), Fill(body, x));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(field, KpiArrangements.ErrorKeys(problem));

        Assert.Equal(before, await CountsAsync(app, x));
        await AssertReadsAreWholeAsync(app, x);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnUploadedValueBeyondTheStorableRangeIsRefusedAndStoresNothing(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await SetUpAsync(app);
        var before = await CountsAsync(app, x);

        using var response = await app.Admin.PostAsync("/api/v1/kpi-values/upload",
            new StringContent($"kpi,at,value\n{x.KpiKey},2027-02-14T00:00:00Z,2\n{x.KpiKey},2027-02-14T01:00:00Z,1e300\n", Encoding.UTF8, "text/csv"));
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(KpiArrangements.ErrorKeys(problem), k => k.EndsWith("value", StringComparison.Ordinal));
        Assert.Equal(before, await CountsAsync(app, x));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task KeyResultsStoredWithExtremeNumbersBeforeTheRulesExistedDoNotBreakReads(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await SetUpAsync(app);
        foreach (var at in new[] { -9, -6, -3 })
        {
            await app.Admin.PostAsync<JsonElement>($"/api/v1/key-results/{x.KeyResult}/check-ins",
                new CheckInRequest(40, Confidence.OnTrack, null, app.Clock.GetUtcNow().AddDays(at)));
        }

        var other = await app.Admin.CreateKeyResultAsync(x.Objective, "Reach a tiny target");
        // What the API stored before storable numbers were checked: levels next to each other, values near the
        // limits of a double, and check-ins whose trend overflows.
        await app.QueryAsync(async db =>
        {
            await db.KeyResults.Where(k => k.Id == x.KeyResult)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.Start, -1e308).SetProperty(k => k.Target, 1e308).SetProperty(k => k.Current, 1.7e308));
            await db.KeyResults.Where(k => k.Id == other.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.Start, 0).SetProperty(k => k.Target, 5e-324).SetProperty(k => k.Current, 1e-300));
            var checkIns = await db.CheckIns.Where(c => c.KeyResultId == x.KeyResult).OrderBy(c => c.At).Select(c => c.Id).ToListAsync();
            for (var i = 0; i < checkIns.Count; i++)
            {
                var value = i % 2 == 0 ? -1.7e308 : 1.7e308;
                await db.CheckIns.Where(c => c.Id == checkIns[i]).ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, value));
            }

            return 0;
        });

        await AssertReadsAreWholeAsync(app, x);
        var kr = await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{other.Id}");
        Assert.Equal(0, kr.Progress);
    }

    private static string Fill(string text, Setup x) => text
        .Replace("{objective}", x.Objective.ToString()).Replace("{keyResult}", x.KeyResult.ToString())
        .Replace("{kpi}", x.Kpi.ToString()).Replace("{team}", x.Team.ToString());

    /// <summary>The reads a key result takes part in answer 200 with a body that parses to its end.</summary>
    private static async Task AssertReadsAreWholeAsync(OkapiApp app, Setup x)
    {
        foreach (var url in new[]
        {
            $"/api/v1/objectives?cycle={x.Cycle}", "/api/v1/key-results", $"/api/v1/alignment?cycle={x.Cycle}",
            $"/api/v1/objectives/{x.Objective}", $"/api/v1/key-results/{x.KeyResult}", $"/api/v1/reports/cycles/{x.Cycle}",
            $"/api/v1/kpis/{x.Kpi}",
        })
        {
            using var response = await app.Admin.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode} {text}");
            using var document = JsonDocument.Parse(text);
        }
    }
}
