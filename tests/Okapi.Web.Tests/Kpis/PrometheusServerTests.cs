using Okapi.Core.Access;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Kpis;

/// <summary>
/// <c>/metrics/kpis</c> as a real Prometheus server keeps it: Okapi on a real port, scraped every second with a read
/// token by Debian's prometheus, then asked with PromQL.
/// </summary>
public sealed class PrometheusServerTests(RealPortApps apps) : IClassFixture<RealPortApps>
{
    private sealed record Expected(KpiDto Kpi, string Team, double Latest, DateTimeOffset At);

    [Theory]
    [OnEveryDatabase]
    public async Task APrometheusServerKeepsTheLatestValueOfEveryPublicKpiAcrossScrapesAndNoPrivateOne(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var growth = await app.Admin.CreateTeamAsync($"Growth {Guid.NewGuid():N}");
        var support = await app.Admin.CreateTeamAsync($"Support \"desk\" {Guid.NewGuid():N}");
        var now = app.Clock.GetUtcNow();
        var expected = new List<Expected>();
        foreach (var (name, team, n) in new[] { ("Signups", growth, 0), ("Churned accounts", growth, 1), ("Tickets \\ open", support, 2) })
        {
            var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request($"{name} {Guid.NewGuid():N}", team.Id, warningLower: 5, target: 50));
            var at = now.AddMinutes(-10 * (n + 1)).AddMilliseconds(250);
            // An older value first: Prometheus must keep the latest one, whichever instant each was measured at.
            await app.Admin.AddValuesAsync(kpi.Id, new[] { new { at = at.AddHours(-1), value = 1.0 }, new { at, value = 40.5 + n } });
            expected.Add(new Expected(kpi, team.Name, 40.5 + n, at));
        }

        var hidden = await app.Admin.CreateKpiAsync(KpiArrangements.Request($"Private margin {Guid.NewGuid():N}", growth.Id, visibility: Visibility.Private));
        await app.Admin.AddValuesAsync(hidden.Id, new { at = now.AddMinutes(-1), value = 7 });
        var token = await app.Admin.PostAsync<CreatedTokenDto>("/api/v1/tokens", new TokenRequest("prometheus", [TokenScope.Read], now.AddDays(30)));

        await using var prometheus = await PrometheusServer.StartAsync(app.BaseUrl, "/metrics/kpis", token.Secret);
        await prometheus.UntilTargetIsUpAsync();
        // A few scrapes kept, not only the first: a sample stamped with the value's own time would be dropped as a duplicate.
        await prometheus.UntilAsync(async () =>
        {
            var kept = await prometheus.QueryAsync("count_over_time(okapi_kpi_value{job=\"okapi\"}[5m])");
            return expected.All(e => kept.Any(s => s.Labels["kpi"] == e.Kpi.Key && s.Value >= 3));
        }, "three scrapes of every public KPI's value");

        var values = await prometheus.QueryAsync("okapi_kpi_value");
        var times = await prometheus.QueryAsync("okapi_kpi_value_timestamp_seconds");
        Assert.Equal(expected.Select(e => e.Kpi.Key).Order(), values.Select(v => v.Labels["kpi"]).Order());
        Assert.DoesNotContain(values.Concat(times), s => s.Labels["kpi"] == hidden.Key);
        foreach (var e in expected)
        {
            var value = Assert.Single(values, v => v.Labels["kpi"] == e.Kpi.Key);
            Assert.Equal((e.Kpi.Name, e.Team, "leads", e.Latest), (value.Labels["name"], value.Labels["team"], value.Labels["unit"], value.Value));
            var time = Assert.Single(times, t => t.Labels["kpi"] == e.Kpi.Key);
            Assert.Equal(e.At.ToUnixTimeMilliseconds() / 1000.0, time.Value, 3);
        }

        var targets = await prometheus.QueryAsync("okapi_kpi_target");
        Assert.All(expected, e => Assert.Equal(50, Assert.Single(targets, t => t.Labels["kpi"] == e.Kpi.Key).Value));
        // The same labels on every series: PromQL compares a value with its threshold without on(…).
        var belowTarget = await prometheus.QueryAsync("okapi_kpi_value < okapi_kpi_target");
        Assert.Equal(expected.Count, belowTarget.Count);
    }
}
