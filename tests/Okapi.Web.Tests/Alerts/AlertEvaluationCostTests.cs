using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Alerts;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Tests.Infrastructure;
using static Okapi.Web.Tests.Alerts.AlertArrangements;

namespace Okapi.Web.Tests.Alerts;

/// <summary>
/// What alert evaluation costs: it runs after every value POST and on the worker's timer for every rule, so its
/// statements must not grow with the rules it evaluates, and a pass that changes nothing writes nothing. The
/// organisation's calendar is remembered for a minute here, so that counts do not depend on when it expires.
/// </summary>
public sealed class AlertEvaluationCostTests(LongCallerCacheApps apps) : IClassFixture<LongCallerCacheApps>
{
    private static readonly string[] Writes = ["INSERT", "UPDATE", "DELETE"];

    [Theory]
    [OnEveryDatabase]
    public async Task AValuePostAndTheEvaluationOfItsKpisRuleCostAsManyStatementsWithAHundredOtherRulesAsWithOne(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync($"Posting {Guid.NewGuid():N}");
        var posted = await app.CreateKpiAsync(team.Id);
        await app.Admin.CreateRuleAsync(Rule(posted.Id));
        var other = await app.CreateKpiAsync(team.Id, name: "Other");
        await app.Admin.CreateRuleAsync(Rule(other.Id));
        await app.StoreValueAsync(posted.Id, 5);

        var withOne = await PostValueAsync(app, posted.Id, 6);
        for (var k = 0; k < 20; k++)
        {
            var kpi = await app.CreateKpiAsync(team.Id, name: $"Other {k}");
            for (var r = 0; r < (k == 0 ? 4 : 5); r++)
            {
                await app.Admin.CreateRuleAsync(Rule(kpi.Id, name: $"Rule {r}"));
            }
        }

        var withHundred = await PostValueAsync(app, posted.Id, 7);
        Assert.NotEmpty(withOne);
        Assert.Equal(withOne.Count, withHundred.Count);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task EvaluatingAKpisRulesAfterAValueReadsTheRulesTheirKpisOpenAlertsAndDaysInFourStatements(DatabaseProvider provider)
    {
        var (app, kpi) = await KpiWithTwoRulesAndAValueAsync(provider);
        // The organisation's calendar is read once, then remembered until the organisation changes.
        await CountedAsync(app, e => e.EvaluateAsync([kpi.Id], CancellationToken.None));

        var (transitions, statements) = await CountedAsync(app, e => e.EvaluateAsync([kpi.Id], CancellationToken.None));

        Assert.Equal(0, transitions);
        Assert.Collection(statements,
            s => Assert.Contains("\"AlertRules\"", s),
            s => Assert.Contains("\"Kpis\"", s),
            s => Assert.Contains("\"Alerts\"", s),
            s => Assert.Contains("\"KpiDays\"", s));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AfterAWriteTheRulesDecideFromMemoryAndOnlyPostgresReadsTheOpenAlertsUntilOneChanges(DatabaseProvider provider)
    {
        var (app, kpi) = await KpiWithTwoRulesAndAValueAsync(provider);
        await ObservedAsync(app, await app.WriteValuesAsync(kpi.Id, (app.Clock.GetUtcNow().AddSeconds(1), 6)));

        var healthy = await ObservedAsync(app, await app.WriteValuesAsync(kpi.Id, (app.Clock.GetUtcNow().AddSeconds(2), 7)));
        var critical = await ObservedAsync(app, await app.WriteValuesAsync(kpi.Id, (app.Clock.GetUtcNow().AddSeconds(3), 0.5)));

        // PostgreSQL reads the open alerts: another instance may have changed one.
        Assert.Equal(provider == DatabaseProvider.Postgres ? 1 : 0, healthy.Count(s => s.Contains("\"Alerts\"", StringComparison.Ordinal)));
        Assert.Equal(healthy.Count, healthy.Count(s => s.Contains("\"Alerts\"", StringComparison.Ordinal)));
        Assert.Contains(critical, s => s.StartsWith("INSERT INTO \"Alerts\"", StringComparison.Ordinal));
        Assert.Contains(await app.Admin.AlertsOfAsync(kpi.Id), a => a.State == AlertState.Firing);

        // The alert it stored is known to the next write's decisions: a healthy value resolves it.
        await ObservedAsync(app, await app.WriteValuesAsync(kpi.Id, (app.Clock.GetUtcNow().AddSeconds(4), 7)));
        Assert.All(await app.Admin.AlertsOfAsync(kpi.Id), a => Assert.Equal(AlertState.Resolved, a.State));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ATrailingAverageRuleReadsTheDaysOfItsWindowAfterAWrite(DatabaseProvider provider)
    {
        var (app, kpi) = await KpiWithTwoRulesAndAValueAsync(provider);
        await app.Admin.CreateRuleAsync(Rule(kpi.Id, AlertRuleKind.Change, changePercent: 50, baseline: ChangeBaseline.TrailingAverage, windowPeriods: 6, name: "Average"));
        await ObservedAsync(app, await app.WriteValuesAsync(kpi.Id, (app.Clock.GetUtcNow().AddSeconds(1), 6)));

        var statements = await ObservedAsync(app, await app.WriteValuesAsync(kpi.Id, (app.Clock.GetUtcNow().AddSeconds(2), 7)));

        Assert.Equal(provider == DatabaseProvider.Postgres ? ["Alerts", "KpiDays"] : ["KpiDays"], statements.Select(s => s.Contains("\"Alerts\"", StringComparison.Ordinal) ? "Alerts" : s.Contains("\"KpiDays\"", StringComparison.Ordinal) ? "KpiDays" : s));
    }

    /// <summary>The statements of the evaluation that observing these written KPIs runs.</summary>
    private static async Task<IReadOnlyList<string>> ObservedAsync(OkapiApp app, IReadOnlyCollection<StoredKpi> written) =>
        (await CountedAsync(app, async e =>
        {
            await e.OnValuesStoredAsync(written, CancellationToken.None);
            return 0;
        })).Statements;

    [Theory]
    [OnEveryDatabase]
    public async Task EvaluatingFiftyRulesCostsAsManyStatementsAsEvaluatingFiveAndAPassWithoutTransitionsWritesNothing(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync($"Evaluated {Guid.NewGuid():N}");
        var kpis = new List<Guid>();
        async Task AddHealthyKpisWithRulesAsync(int count)
        {
            for (var i = kpis.Count; kpis.Count < count; i++)
            {
                var kpi = await app.CreateKpiAsync(team.Id, cadence: (Cadence)(i % 3), name: $"Healthy {i}");
                var now = app.Clock.GetUtcNow();
                await app.StoreValuesAsync(kpi.Id, evaluate: false, (now.AddDays(-40), 5), (now.AddDays(-8), 5.5), (now.AddDays(-1), 6), (now, 6));
                await app.Admin.CreateRuleAsync((i % 4) switch
                {
                    0 => Rule(kpi.Id),
                    1 => Rule(kpi.Id, AlertRuleKind.Change, changePercent: 50),
                    2 => Rule(kpi.Id, AlertRuleKind.Change, changePercent: 50, baseline: ChangeBaseline.TrailingAverage, windowPeriods: 6),
                    _ => Rule(kpi.Id, AlertRuleKind.NoData, noDataCadences: 3),
                });
                kpis.Add(kpi.Id);
            }
        }

        await AddHealthyKpisWithRulesAsync(5);
        var five = await CountedAsync(app, e => e.EvaluateAsync(kpis, CancellationToken.None));
        var allWithFive = await CountedAsync(app, e => e.EvaluateAllAsync(CancellationToken.None));
        await AddHealthyKpisWithRulesAsync(50);
        var fifty = await CountedAsync(app, e => e.EvaluateAsync(kpis, CancellationToken.None));
        var allWithFifty = await CountedAsync(app, e => e.EvaluateAllAsync(CancellationToken.None));

        Assert.All(new[] { five, allWithFive, fifty, allWithFifty }, pass =>
        {
            Assert.Equal(0, pass.Transitions);
            Assert.NotEmpty(pass.Statements);
            Assert.DoesNotContain(pass.Statements, s => Writes.Any(w => s.TrimStart().StartsWith(w, StringComparison.OrdinalIgnoreCase)));
        });
        Assert.Equal(five.Statements.Count, fifty.Statements.Count);
        Assert.Equal(allWithFive.Statements.Count, allWithFifty.Statements.Count);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task APassOverALargeOrganisationsRulesEvaluatesEveryChunkInAFewStatementsEach(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync($"Large {Guid.NewGuid():N}");
        var kpi = await app.CreateKpiAsync(team.Id);
        await app.StoreValuesAsync(kpi.Id, evaluate: false, (app.Clock.GetUtcNow(), 0.5));

        // Ids in one order on both providers, so that the rules still to fire fall one in each chunk; every other
        // rule already fires at this value and stays as it is.
        const int rules = 1667;
        int[] toFire = [0, AlertEvaluator.RulesPerChunk, 2 * AlertEvaluator.RulesPerChunk, rules - 1];
        var ids = Enumerable.Range(0, rules).Select(i => Guid.Parse($"00000000-0000-0000-0000-{i + 1:D12}")).ToList();
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            db.OrganisationId = app.OrganisationId;
            var started = app.Clock.GetUtcNow().UtcDateTime;
            db.AlertRules.AddRange(ids.Select((id, i) => new AlertRule { Id = id, KpiId = kpi.Id, Name = $"Rule {i}", ThresholdLevel = KpiHealth.Critical }));
            db.Alerts.AddRange(ids.Where((_, i) => !toFire.Contains(i)).Select(id => new Alert
            {
                RuleId = id,
                KpiId = kpi.Id,
                State = AlertState.Firing,
                StartedAt = started,
                FiredAt = started,
                ValueAtStart = 0.5,
                LastValue = 0.5,
            }));
            await db.SaveChangesAsync();
        }

        var (fired, _) = await CountedAsync(app, e => e.EvaluateAsync([kpi.Id], CancellationToken.None));
        var (changed, settled) = await CountedAsync(app, e => e.EvaluateAsync([kpi.Id], CancellationToken.None));
        Assert.Equal(toFire.Length, fired);
        var opened = await app.QueryAsync(db => db.Alerts.Where(a => a.KpiId == kpi.Id && a.Summary != "").Select(a => a.RuleId).ToListAsync());
        Assert.Equal(toFire.Select(i => ids[i]).Order(), opened.Order());
        Assert.Equal(0, changed);
        Assert.InRange(settled.Count, 3, 30);
        Assert.DoesNotContain(settled, s => Writes.Any(w => s.TrimStart().StartsWith(w, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>A KPI with a threshold rule and a change rule, and one value that fires neither.</summary>
    private async Task<(OkapiApp App, KpiDto Kpi)> KpiWithTwoRulesAndAValueAsync(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync($"Two rules {Guid.NewGuid():N}");
        var kpi = await app.CreateKpiAsync(team.Id);
        await app.Admin.CreateRuleAsync(Rule(kpi.Id));
        await app.Admin.CreateRuleAsync(Rule(kpi.Id, AlertRuleKind.Change, changePercent: 50, name: "Change"));
        await app.StoreValueAsync(kpi.Id, 5);
        return (app, kpi);
    }

    /// <summary>
    /// The statements of the POST itself (its KPI read afresh, as after a second) and of the evaluation its values get
    /// in the pass after their commit, which runs outside the request.
    /// </summary>
    private static async Task<IReadOnlyList<string>> PostValueAsync(OkapiApp app, Guid kpiId, double value)
    {
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        app.Services.GetRequiredService<KpiLookup>().Forget([kpiId]);
        var post = await app.StatementsOfAsync(app.Admin, c => c.PostAsJsonAsync($"/api/v1/kpis/{kpiId}/values", new KpiValueInput(app.Clock.GetUtcNow(), value), Api.Json));
        var (_, evaluation) = await CountedAsync(app, e => e.EvaluateAsync([kpiId], CancellationToken.None));
        return [.. post, .. evaluation];
    }

    /// <summary>Runs an evaluation in a scope of the app's organisation, counting its statements.</summary>
    private static Task<(int Transitions, IReadOnlyList<string> Statements)> CountedAsync(OkapiApp app, Func<AlertEvaluator, Task<int>> evaluate) =>
        app.StatementsOfAsync(services => evaluate(services.GetRequiredService<AlertEvaluator>()));
}
