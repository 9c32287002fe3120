using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Kpis;

/// <summary>Values of concurrent requests share transactions; each request still gets its own answer.</summary>
public sealed class GroupCommitTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task ConcurrentSingleValuesToSeveralKpisAreAllStoredWithSummariesThatMatchTheirValues(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Many writers");
        var kpis = new List<KpiDto>();
        foreach (var aggregation in new[] { PeriodAggregation.Sum, PeriodAggregation.Last, PeriodAggregation.Max, PeriodAggregation.Count })
        {
            kpis.Add(await app.Admin.CreateKpiAsync(KpiArrangements.Request($"Busy {aggregation}", team.Id, cadence: Cadence.Daily, aggregation: aggregation)));
        }

        var now = app.Clock.GetUtcNow();
        // 4 KPIs x 30 single values at once, half of them at instants older than others already sent (not appends).
        await Task.WhenAll(Enumerable.Range(0, 120).Select(i =>
            app.Admin.AddValuesAsync(kpis[i % 4].Id, new { at = now.AddMinutes(-(i % 2 == 0 ? i : 200 - i)), value = i })));

        foreach (var kpi in kpis)
        {
            var (readings, days, current) = await app.QueryAsync(async db =>
            {
                var stored = (await db.ValuesOf(kpi.Id).AsNoTracking().OrderBy(v => v.At).ToListAsync()).Select(v => v.ToReading()).ToList();
                var summaries = await db.KpiDays.AsNoTracking().Where(d => d.KpiId == kpi.Id).OrderBy(d => d.Day).ToListAsync();
                var row = await db.Kpis.AsNoTracking().SingleAsync(k => k.Id == kpi.Id);
                return (stored, summaries, row);
            });
            var calendar = await app.QueryAsync(db => db.CalendarAsync(CancellationToken.None));
            Assert.Equal(30, readings.Count);
            Assert.Equal(calendar.Days(readings).Select(d => d with { KpiId = kpi.Id }), days);
            Assert.Equal(readings[^1].At.UtcDateTime, current.LatestAt);
            Assert.Equal(calendar.Aggregate(readings, Cadence.Daily, kpi.Aggregation)[^1].Value, current.CurrentPeriodValue);
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AWriteThatFailsInAGroupFailsAloneAndTheOthersAreStored(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Mixed writers");
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Shared counter", team.Id));
        var writer = app.Services.GetRequiredService<KpiWriter>();
        var now = app.Clock.GetUtcNow().UtcDateTime;

        // A KPI of no organisation among good writes queued at the same moment.
        var writes = Enumerable.Range(0, 20).Select(i => writer.WriteAsync(app.OrganisationId,
            [new NewKpiValue(i == 7 ? Guid.NewGuid() : kpi.Id, now.AddSeconds(-i), i, KpiValueSource.Api)], CancellationToken.None)).ToList();

        await Assert.ThrowsAsync<KpiGoneException>(() => writes[7]);
        foreach (var write in writes.Where((_, i) => i != 7))
        {
            Assert.Equal(1, (await write).Stored);
        }

        Assert.Equal(19, await app.QueryAsync(db => db.ValuesOf(kpi.Id).CountAsync()));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AValueForAKpiDeletedOnAnotherInstanceSinceThisOneLookedItUpGets404AndIsNotStored(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Two instances");
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Soon gone", team.Id));
        await using var other = app.SecondInstance();
        await other.InitializeAsync();
        var now = app.Clock.GetUtcNow();
        // The other instance looks the KPI up and keeps it for up to a second.
        await other.Admin.AddValuesAsync(kpi.Id, new { at = now.AddMinutes(-2), value = 1 });

        await app.Admin.DeleteOkAsync($"/api/v1/kpis/{kpi.Id}");
        var valuesBefore = await app.QueryAsync(db => db.KpiValues.CountAsync());
        await other.Admin.AddValuesAsync(kpi.Id, new { at = now.AddMinutes(-1), value = 2 }, HttpStatusCode.NotFound);
        using var bulk = await other.Admin.PostAsJsonAsync("/api/v1/kpi-values", new[] { new { kpiId = kpi.Id, at = now, value = 3 } });

        Assert.Equal(HttpStatusCode.BadRequest, bulk.StatusCode);
        Assert.Equal(valuesBefore, await app.QueryAsync(db => db.KpiValues.CountAsync()));
    }
}
