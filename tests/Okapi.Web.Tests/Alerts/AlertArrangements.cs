using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Alerts;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;

namespace Okapi.Web.Tests.Alerts;

/// <summary>
/// KPIs and values for the alert tests through the KPI API; channels through the database until the channel API exists.
/// </summary>
public static class AlertArrangements
{
    public static Task<KpiDto> CreateKpiAsync(this OkapiApp app, Guid teamId, Cadence cadence = Cadence.Daily, Visibility visibility = Visibility.Public, string name = "Conversion") =>
        app.Admin.CreateKpiAsync(KpiArrangements.Request(name, teamId, key: $"conversion-{Guid.NewGuid():N}", cadence: cadence, warningLower: 2, criticalLower: 1,
            visibility: visibility, unit: "%"));

    /// <summary>
    /// An email channel: each notification is one delivery row in the outbox, which the tests count (in-app channels
    /// write notifications per owner instead). No SMTP server is configured, so nothing leaves the machine.
    /// </summary>
    public static async Task<Channel> CreateChannelAsync(this OkapiApp app, string name = "On-call email")
    {
        var channel = new Channel { Name = name, Kind = ChannelKind.Email, Target = "on-call@okapi.test" };
        await app.WriteAsync(db => db.Channels.Add(channel));
        return channel;
    }

    /// <summary>
    /// Stores values of a KPI at the given instants: through the API, whose ingestion evaluates the KPI's rules after
    /// the commit, or (<paramref name="evaluate"/> false) straight into the database, leaving evaluation to an explicit pass.
    /// </summary>
    public static async Task StoreValuesAsync(this OkapiApp app, Guid kpiId, bool evaluate, params (DateTimeOffset At, double Value)[] values)
    {
        if (evaluate)
        {
            var result = await app.Admin.AddValuesAsync(kpiId, values.Select(v => new KpiValueInput(v.At, v.Value)).ToList());
            Assert.Equal(values.Length, result.Accepted);
            return;
        }

        await app.WriteValuesAsync(kpiId, values);
    }

    /// <summary>
    /// Stores values straight through the writer, which tells no observer: the test decides when evaluation passes
    /// run. Returns the KPIs as the write left them, as observers are told of them.
    /// </summary>
    public static async Task<IReadOnlyCollection<StoredKpi>> WriteValuesAsync(this OkapiApp app, Guid kpiId, params (DateTimeOffset At, double Value)[] values)
    {
        var stored = values.Select(v => new NewKpiValue(kpiId, v.At.UtcDateTime, v.Value, KpiValueSource.Api)).ToList();
        return (await app.Services.GetRequiredService<KpiWriter>().WriteAsync(app.OrganisationId, stored, CancellationToken.None)).Kpis;
    }

    /// <summary>POSTs one value at the current instant, as <c>{"at","value"}</c>; ingestion evaluates the KPI's rules.</summary>
    public static async Task StoreValueAsync(this OkapiApp app, Guid kpiId, double value) =>
        Assert.Equal(1, (await app.Admin.AddValuesAsync(kpiId, new KpiValueInput(app.Clock.GetUtcNow(), value))).Accepted);

    /// <summary>One evaluation pass over the organisation's rules, as the worker runs it.</summary>
    public static async Task<int> EvaluateAllAsync(this OkapiApp app)
    {
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<OkapiDbContext>().OrganisationId = app.OrganisationId;
        return await scope.ServiceProvider.GetRequiredService<AlertEvaluator>().EvaluateAllAsync(CancellationToken.None);
    }

    public static Task<List<(NotificationEvent Event, Guid ChannelId)>> DeliveriesAsync(this OkapiApp app, Guid alertId) =>
        app.QueryAsync(async db => (await db.Deliveries.Where(d => d.AlertId == alertId).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id)
            .Where(d => d.ChannelId != null).Select(d => new { d.Event, d.ChannelId }).ToListAsync()).Select(d => (d.Event, d.ChannelId!.Value)).ToList());

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
