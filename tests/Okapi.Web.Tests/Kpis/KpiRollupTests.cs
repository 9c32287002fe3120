using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Kpis;

public sealed class KpiRollupTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task RollupsEqualTheRawAggregationAfterReplacementsBackfillsAndOutOfOrderBatches(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Rollup team");
        var now = app.Clock.GetUtcNow();
        var kpis = new List<KpiDto>();
        foreach (var aggregation in Enum.GetValues<PeriodAggregation>())
        {
            kpis.Add(await app.Admin.CreateKpiAsync(KpiArrangements.Request($"Rollup {aggregation}", team.Id, cadence: Cadence.Weekly, aggregation: aggregation)));
        }

        object Row(KpiDto kpi, DateTimeOffset at, double value) => new { kpiId = kpi.Id, at, value };
        // New values every 7 hours over three weeks, newest first: out of order within the batch.
        await app.Admin.BulkAsync(kpis.SelectMany(k => Enumerable.Range(0, 72).Select(i => Row(k, now.AddHours(-7 * i), i % 13))).ToList());
        // A backfill of older weeks, and values between those already stored.
        await app.Admin.BulkAsync(kpis.SelectMany(k => Enumerable.Range(0, 40).Select(i => Row(k, now.AddDays(-60).AddHours(11 * i), -i))).ToList());
        await app.Admin.BulkAsync(kpis.SelectMany(k => Enumerable.Range(0, 30).Select(i => Row(k, now.AddHours(-7 * i).AddMinutes(-90), 100 + i))).ToList());
        // Replacements: a second write at an instant replaces the value, from a batch and from single POSTs.
        await app.Admin.BulkAsync(kpis.SelectMany(k => Enumerable.Range(0, 20).Select(i => Row(k, now.AddHours(-7 * 3 * i), 1000 - i))).ToList());
        foreach (var kpi in kpis)
        {
            await app.Admin.AddValuesAsync(kpi.Id, new { at = now, value = -5 });
            await app.Admin.AddValuesAsync(kpi.Id, new { at = now.AddDays(-60), value = 7 });
        }

        foreach (var kpi in kpis)
        {
            var (calendar, readings, days) = await StoredAsync(app, kpi.Id);
            Assert.Equal(calendar.Days(readings).Select(d => d with { KpiId = kpi.Id }), days);

            var expected = calendar.Aggregate(readings, kpi.Cadence, kpi.Aggregation);
            var periods = await app.Admin.GetAsync<List<KpiPeriodDto>>($"/api/v1/kpis/{kpi.Id}/periods?from={Uri.EscapeDataString(now.AddDays(-90).ToString("O"))}");
            Assert.Equal(expected.Reverse().Select(p => (p.Start, p.Value, p.Count)), periods.Select(p => (p.Start, p.Value, p.Count)));

            var dto = await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{kpi.Id}");
            Assert.Equal((expected[^1].Start, expected[^1].Value, KpiPeriod.Change(expected)), (dto.CurrentPeriodStart, dto.Current, dto.Change));
            var listed = (await app.Admin.GetAsync<Page<KpiDto>>($"/api/v1/kpis?search={Uri.EscapeDataString(kpi.Name)}")).Items.Single();
            Assert.Equal((dto.Current, dto.Change, dto.Health), (listed.Current, listed.Change, listed.Health));
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task OfTwoRowsOfAKpiAtOneInstantInOneRequestTheLaterIsStoredAndCountedOnce(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Twice team");
        var a = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Twice A", team.Id, aggregation: PeriodAggregation.Sum));
        var b = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Twice B", team.Id, aggregation: PeriodAggregation.Sum));
        var (early, late) = (app.Clock.GetUtcNow().AddHours(-3), app.Clock.GetUtcNow().AddHours(-1));
        var rows = new object[]
        {
            new { kpiId = a.Id, at = late, value = 1.0 },
            new { kpiId = b.Id, at = late, value = 10.0 },
            new { kpiId = a.Id, at = early, value = 2.0 },
            new { kpiId = a.Id, at = late, value = 3.0 },
            new { kpiId = b.Id, at = late, value = 20.0 },
        };

        Assert.Equal(new IngestResultDto(3, 2), await app.Admin.BulkAsync(rows));
        foreach (var (kpi, values) in new[] { (a, new[] { 2.0, 3.0 }), (b, new[] { 20.0 }) })
        {
            var (calendar, readings, days) = await StoredAsync(app, kpi.Id);
            Assert.Equal(values, readings.Select(r => r.Value));
            Assert.Equal(calendar.Days(readings).Select(d => d with { KpiId = kpi.Id }), days);
            Assert.Equal(values.Length, days.Sum(d => d.Count));
            var dto = await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{kpi.Id}");
            Assert.Equal(values[^1], dto.LatestValue);
            Assert.Equal(late, dto.LatestAt!.Value, TimeSpan.FromMilliseconds(1));
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ConcurrentBatchesIntoOneDayLeaveItsSummaryWithAllTheirValues(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Busy team");
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Busy counter", team.Id, cadence: Cadence.Daily, aggregation: PeriodAggregation.Count));
        var now = app.Clock.GetUtcNow();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            app.Admin.AddValuesAsync(kpi.Id, Enumerable.Range(0, 20).Select(j => new { at = now.AddMinutes(-((20 * i) + j)), value = 1 }).ToList())));

        var (calendar, readings, days) = await StoredAsync(app, kpi.Id);
        Assert.Equal(160, Assert.Single(days).Count);
        Assert.Equal(calendar.Days(readings).Select(d => d with { KpiId = kpi.Id }), days);
        Assert.Equal(160, (await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{kpi.Id}")).Current);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ChangingTheTimeZoneRebuildsTheDaysInTheNewZone(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Zone team");
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Late evening sales", team.Id, cadence: Cadence.Daily, aggregation: PeriodAggregation.Sum));
        var now = app.Clock.GetUtcNow();
        // Around midnight in Berlin and in India (+05:30), so that the days differ by zone.
        await app.Admin.AddValuesAsync(kpi.Id, Enumerable.Range(0, 48).Select(i => new { at = now.AddDays(-3).AddMinutes(30 * i), value = i }).ToList());
        var organisation = await app.Admin.GetAsync<OrganisationDto>("/api/v1/organisation");
        var before = (await StoredAsync(app, kpi.Id)).Days;

        try
        {
            organisation = await ChangeZoneAsync(app, organisation, "Asia/Kolkata");

            var (calendar, readings, days) = await StoredAsync(app, kpi.Id);
            Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"), calendar.Zone);
            Assert.Equal(calendar.Days(readings).Select(d => d with { KpiId = kpi.Id }), days);
            Assert.NotEqual(before, days);
            var dto = await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{kpi.Id}");
            Assert.Equal(calendar.Aggregate(readings, Cadence.Daily, PeriodAggregation.Sum)[^1].Value, dto.Current);
        }
        finally
        {
            await ChangeZoneAsync(app, organisation, "Europe/Berlin");
        }

        Assert.Equal(before, (await StoredAsync(app, kpi.Id)).Days);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task WhatAWriteLeavesItsObserversIsWhatTheyWouldReadRightAfterIt(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync($"Stored {Guid.NewGuid():N}");
        var now = app.Clock.GetUtcNow();
        var writer = app.Services.GetRequiredService<KpiWriter>();
        foreach (var cadence in Enum.GetValues<Cadence>())
        {
            foreach (var aggregation in Enum.GetValues<PeriodAggregation>())
            {
                var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request($"Stored {cadence} {aggregation}", team.Id, cadence: cadence, aggregation: aggregation));
                // A first value, newer ones after a gap of more than one period, older ones that leave the newest as it
                // is, and a replaced newest.
                foreach (var write in new[]
                {
                    new[] { (now.AddDays(-45), 4.0) },
                    [(now.AddDays(-40), 6.0), (now.AddDays(-9), 3.0)],
                    [(now.AddDays(-35), 8.0), (now.AddDays(-2), 5.0), (now.AddHours(-30), 2.0)],
                    [(now.AddHours(-1), 7.0)],
                    [(now.AddDays(-8), 9.0)],
                    [(now.AddHours(-1), 1.0), (now.AddDays(-1), 3.0)],
                })
                {
                    var values = write.Select(v => new NewKpiValue(kpi.Id, v.Item1.UtcDateTime, v.Item2, KpiValueSource.Api)).ToList();
                    var stored = Assert.Single((await writer.WriteAsync(app.OrganisationId, values, CancellationToken.None)).Kpis);

                    var (read, calendar) = await app.QueryAsync(async db => (await db.Kpis.AsNoTracking().SingleAsync(k => k.Id == kpi.Id), await db.CalendarAsync(CancellationToken.None)));
                    Assert.Equal((read.LatestAt, read.LatestValue, read.CurrentPeriodStart, read.CurrentPeriodValue, read.PreviousPeriodValue),
                        (stored.Kpi.LatestAt, stored.Kpi.LatestValue, stored.Kpi.CurrentPeriodStart, stored.Kpi.CurrentPeriodValue, stored.Kpi.PreviousPeriodValue));
                    for (var count = 0; count <= KpiRollups.CurrentWindowPeriods; count++)
                    {
                        var expected = await app.QueryAsync(db => db.RecentPeriodsAsync(read, count, calendar, CancellationToken.None));
                        var known = stored.RecentPeriods(count, calendar);
                        Assert.NotNull(known);
                        Assert.Equal(expected.LatestAt, known.Value.LatestAt);
                        Assert.Equal(expected.Periods, known.Value.Periods);
                    }

                    Assert.Null(stored.RecentPeriods(KpiRollups.CurrentWindowPeriods + 1, calendar));
                }
            }
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheDashboardAndTheListCostTheSameStatementsWithFewAndWithManyKpisAndValues(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Dashboard team");
        var now = app.Clock.GetUtcNow();
        var kpis = new List<KpiDto>();
        async Task AddKpisAsync(int until)
        {
            for (var i = kpis.Count; i < until; i++)
            {
                kpis.Add(await app.Admin.CreateKpiAsync(KpiArrangements.Request($"Dashboard {i:000}", team.Id, cadence: (Cadence)(i % 3), aggregation: (PeriodAggregation)(i % 6))));
            }
        }

        // A full first page of KPIs with one value each, then more KPIs with 300 values each: full pages both times,
        // since a list counts its total only when its page is full.
        await AddKpisAsync(51);
        await app.Admin.BulkAsync(kpis.Select(k => new { kpiId = k.Id, at = now, value = 1 }).ToList());
        string[] urls = ["/api/v1/kpis/dashboard", $"/api/v1/kpis/dashboard?team={team.Id}", "/api/v1/kpis", $"/api/v1/kpis?team={team.Id}"];
        await CountAsync(app, urls); // the first requests warm caches up
        var few = await CountAsync(app, urls);

        await AddKpisAsync(61);
        await app.Admin.BulkAsync(kpis.SelectMany(k => Enumerable.Range(0, 300).Select(i => new { kpiId = k.Id, at = now.AddHours(-3 * i), value = i })).ToList());
        var many = await CountAsync(app, urls);

        Assert.All(few, n => Assert.True(n > 0));
        Assert.Equal(few, many);
        var page = await app.Admin.GetAsync<List<KpiTileDto>>($"/api/v1/kpis/dashboard?team={team.Id}");
        Assert.Equal(50, page.Count);
        Assert.All(page, t => Assert.InRange(t.Sparkline.Count, 1, KpiService.SparklinePeriods));
        Assert.Equal(11, (await app.Admin.GetAsync<List<KpiTileDto>>($"/api/v1/kpis/dashboard?team={team.Id}&page=2")).Count);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AChartOfMoreValuesThanAreReadIsDrawnFromDailyPointsWithTheirBand(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Minute team");
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Minute load", team.Id, cadence: Cadence.Daily, aggregation: PeriodAggregation.Average));
        var now = app.Clock.GetUtcNow();
        var count = KpiService.MaxRawSeriesValues + 1_000;
        await app.Admin.AddValuesAsync(kpi.Id, Enumerable.Range(0, count).Select(i => new { at = now.AddMinutes(-i), value = i % 100 }).ToList());

        var from = Uri.EscapeDataString(now.AddYears(-1).ToString("O"));
        var year = await app.Admin.GetAsync<KpiSeriesDto>($"/api/v1/kpis/{kpi.Id}/values?from={from}&maxPoints=1000");

        var (calendar, readings, days) = await StoredAsync(app, kpi.Id);
        Assert.Equal("daily", year.Method);
        Assert.Equal(count, year.RawCount);
        Assert.Equal(days.Select(d => (calendar.StartOf(d.Day), d.Mean, (double?)d.Min, (double?)d.Max)), year.Points.Select(p => (p.At, p.Value, p.Min, p.Max)));
        Assert.Equal((0, 99), (year.Points.Min(p => p.Min), year.Points.Max(p => p.Max)));

        var lastHour = await app.Admin.GetAsync<KpiSeriesDto>($"/api/v1/kpis/{kpi.Id}/values?from={Uri.EscapeDataString(now.AddHours(-1).ToString("O"))}");
        Assert.Equal(("raw", 61), (lastHour.Method, lastHour.Points.Count));
        Assert.All(lastHour.Points, p => Assert.Null(p.Min));
    }

    private static async Task<List<int>> CountAsync(OkapiApp app, IEnumerable<string> urls)
    {
        var counts = new List<int>();
        foreach (var url in urls)
        {
            counts.Add((await app.StatementsOfAsync(app.Admin, c => c.GetAsync(url))).Count);
        }

        return counts;
    }

    private static async Task<OrganisationDto> ChangeZoneAsync(OkapiApp app, OrganisationDto o, string zone) =>
        await app.Admin.PutAsync<OrganisationDto>("/api/v1/organisation",
            new OrganisationRequest(o.Name, zone, o.FiscalYearStartMonth, o.CheckInWeekday, o.CheckInHour, o.WeekStart, o.Vision), ifMatch: $"\"{o.Version}\"");

    private static Task<(PeriodCalendar Calendar, List<KpiReading> Readings, List<KpiDay> Days)> StoredAsync(OkapiApp app, Guid kpiId) =>
        app.QueryAsync(async db =>
        {
            var calendar = await db.CalendarAsync(CancellationToken.None);
            var readings = (await db.ValuesOf(kpiId).AsNoTracking().OrderBy(v => v.At).ToListAsync()).Select(v => v.ToReading()).ToList();
            var days = await db.KpiDays.AsNoTracking().Where(d => d.KpiId == kpiId).OrderBy(d => d.Day).ToListAsync();
            return (calendar, readings, days);
        });
}
