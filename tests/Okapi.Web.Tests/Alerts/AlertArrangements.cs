using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Alerts;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Alerts;

/// <summary>
/// KPIs, values and channels for the alert tests, written through the database until the KPI and channel APIs
/// exist; storing values tells every <see cref="IKpiValueObserver"/>, as ingestion does.
/// </summary>
public static class AlertArrangements
{
    public static async Task<Kpi> CreateKpiAsync(this OkapiApp app, Guid teamId, Cadence cadence = Cadence.Daily, PeriodAggregation aggregation = PeriodAggregation.Last,
        Visibility visibility = Visibility.Public, string name = "Conversion")
    {
        var kpi = new Kpi
        {
            Name = name,
            Key = $"kpi-{Guid.NewGuid():N}",
            OwnerTeamId = teamId,
            Unit = "%",
            Cadence = cadence,
            Aggregation = aggregation,
            Direction = KpiDirection.HigherIsBetter,
            WarningLower = 2,
            CriticalLower = 1,
            Visibility = visibility,
        };
        await app.WriteAsync(db => db.Kpis.Add(kpi));
        return kpi;
    }

    public static async Task<Channel> CreateChannelAsync(this OkapiApp app, string name = "In the app")
    {
        var channel = new Channel { Name = name, Kind = ChannelKind.InApp };
        await app.WriteAsync(db => db.Channels.Add(channel));
        return channel;
    }

    /// <summary>Stores values of a KPI at the given instants (default: now) and, like ingestion, tells the observers after the commit.</summary>
    public static async Task StoreValuesAsync(this OkapiApp app, Guid kpiId, bool notify, params (DateTimeOffset At, double Value)[] values)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        db.OrganisationId = app.OrganisationId;
        var kpi = await db.Kpis.SingleAsync(k => k.Id == kpiId);
        foreach (var (at, value) in values)
        {
            // A second value at the same instant replaces the first, as ingestion's upsert does.
            if (await db.KpiValues.FindAsync(kpiId, at.UtcDateTime) is { } existing)
            {
                existing.Value = value;
            }
            else
            {
                db.KpiValues.Add(new KpiValue { KpiId = kpiId, At = at.UtcDateTime, Value = value });
            }
        }

        var latest = values.MaxBy(v => v.At);
        if (kpi.LatestAt is null || latest.At.UtcDateTime >= kpi.LatestAt)
        {
            (kpi.LatestAt, kpi.LatestValue) = (latest.At.UtcDateTime, latest.Value);
        }

        await db.SaveChangesAsync();
        if (notify)
        {
            foreach (var observer in scope.ServiceProvider.GetServices<IKpiValueObserver>())
            {
                await observer.OnValuesStoredAsync([kpiId], CancellationToken.None);
            }
        }
    }

    public static Task StoreValueAsync(this OkapiApp app, Guid kpiId, double value) =>
        app.StoreValuesAsync(kpiId, notify: true, (app.Clock.GetUtcNow(), value));

    /// <summary>One evaluation pass over the organisation's rules, as the worker runs it.</summary>
    public static async Task<int> EvaluateAllAsync(this OkapiApp app)
    {
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<OkapiDbContext>().OrganisationId = app.OrganisationId;
        return await scope.ServiceProvider.GetRequiredService<AlertEvaluator>().EvaluateAllAsync(CancellationToken.None);
    }

    public static Task<List<(NotificationEvent Event, Guid ChannelId)>> DeliveriesAsync(this OkapiApp app, Guid alertId) =>
        app.QueryAsync(async db => (await db.Deliveries.Where(d => d.AlertId == alertId).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id)
            .Select(d => new { d.Event, d.ChannelId }).ToListAsync()).Select(d => (d.Event, d.ChannelId)).ToList());

    public static async Task<IReadOnlyList<AlertDto>> AlertsOfAsync(this HttpClient client, Guid kpiId, string query = "") =>
        (await client.GetAsync<Page<AlertDto>>($"/api/v1/alerts?kpi={kpiId}{query}")).Items;

    public static Task<AlertRuleDto> CreateRuleAsync(this HttpClient client, AlertRuleRequest request) =>
        client.PostAsync<AlertRuleDto>("/api/v1/alert-rules", request);

    public static AlertRuleRequest Rule(Guid kpiId, AlertRuleKind kind = AlertRuleKind.Threshold, string name = "Conversion needs attention",
        KpiHealth? thresholdLevel = null, double? changePercent = null, ChangeDirection? direction = null, ChangeBaseline? baseline = null,
        int? windowPeriods = null, int? noDataCadences = null, int? pendingSeconds = null, int? repeatMinutes = null, bool? enabled = null,
        params Guid[] channelIds) =>
        new(kpiId, name, kind, AlertSeverity.Critical, thresholdLevel, changePercent, direction, baseline, windowPeriods, noDataCadences,
            pendingSeconds, repeatMinutes, enabled, [.. channelIds]);

    private static async Task WriteAsync(this OkapiApp app, Action<OkapiDbContext> write)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        db.OrganisationId = app.OrganisationId;
        write(db);
        await db.SaveChangesAsync();
    }
}
