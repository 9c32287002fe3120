using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Alerts;
using Okapi.Data;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// Okapi's own metrics and spans, all in one place: one <see cref="Meter"/> and one <see cref="ActivitySource"/> named
/// <see cref="Name"/>. Ingestion, alert evaluation, the outbox and the job runner record here; the telemetry setup
/// exports them (<c>/metrics</c>, OTLP). Recording costs next to nothing while nobody listens, and a span is only made
/// when tracing is on.
/// </summary>
public sealed class OkapiInstruments
{
    public const string Name = "Okapi";

    /// <summary>The spans of Okapi's background work: group commits, alert passes, deliveries, jobs.</summary>
    public static readonly ActivitySource Activities = new(Name);

    private static readonly IReadOnlyList<double> SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly IReadOnlyList<int> ValuesBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];

    private readonly Counter<long> _valuesIngested;
    private readonly Histogram<int> _batchValues;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<double> _alertEvaluation;
    private readonly Counter<long> _alertFirings;
    private readonly Counter<long> _deliveryAttempts;
    private readonly Counter<long> _deliveryFailures;
    private readonly Counter<long> _jobRuns;
    private readonly Counter<long> _jobFailures;
    private readonly Histogram<double> _jobDuration;

    public OkapiInstruments(IMeterFactory meters, IServiceScopeFactory scopes, ILogger<OkapiInstruments> logger)
    {
        var meter = meters.Create(Name);
        _valuesIngested = meter.CreateCounter<long>("okapi.ingestion.values", "{value}", "KPI values stored (a value at an instant already stored replaces it and counts again).");
        _batchValues = meter.CreateHistogram("okapi.ingestion.batch.size", "{value}", "KPI values stored by one group commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = ValuesBuckets });
        _commitDuration = meter.CreateHistogram("okapi.ingestion.commit.duration", "s", "How long one group commit of KPI values took.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _alertEvaluation = meter.CreateHistogram("okapi.alert.evaluation.duration", "s", "How long one pass over an organisation's alert rules took (after ingestion or on the timer).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _alertFirings = meter.CreateCounter<long>("okapi.alert.firings", "{alert}", "Alerts that started firing.");
        _deliveryAttempts = meter.CreateCounter<long>("okapi.outbox.attempts", "{attempt}", "Attempts to send a delivery of the outbox, by channel kind.");
        _deliveryFailures = meter.CreateCounter<long>("okapi.outbox.failures", "{attempt}", "Attempts to send a delivery that failed, by channel kind.");
        meter.CreateObservableGauge("okapi.outbox.pending", () => PendingDeliveries(scopes, logger), "{delivery}",
            "Deliveries waiting in the outbox to be sent or retried, across organisations (read from the database when collected).");
        _jobRuns = meter.CreateCounter<long>("okapi.job.runs", "{run}", "Runs of scheduled jobs, by kind, whatever their outcome.");
        _jobFailures = meter.CreateCounter<long>("okapi.job.failures", "{run}", "Runs of scheduled jobs that failed, by kind.");
        _jobDuration = meter.CreateHistogram("okapi.job.duration", "s", "How long a run of a scheduled job took, by kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
    }

    /// <summary>A group commit stored <paramref name="values"/> values in <paramref name="elapsed"/>.</summary>
    public void Committed(int values, TimeSpan elapsed)
    {
        _valuesIngested.Add(values);
        _batchValues.Record(values);
        _commitDuration.Record(elapsed.TotalSeconds);
    }

    public void AlertsEvaluated(TimeSpan elapsed, int firings)
    {
        _alertEvaluation.Record(elapsed.TotalSeconds);
        if (firings > 0)
        {
            _alertFirings.Add(firings);
        }
    }

    public void DeliveryAttempted(ChannelKind? channel, bool failed)
    {
        var kind = new KeyValuePair<string, object?>("okapi.channel.kind", ChannelLabel(channel));
        _deliveryAttempts.Add(1, kind);
        if (failed)
        {
            _deliveryFailures.Add(1, kind);
        }
    }

    public void JobRan(string kind, TimeSpan elapsed, bool failed)
    {
        var tag = new KeyValuePair<string, object?>("okapi.job.kind", kind);
        _jobRuns.Add(1, tag);
        _jobDuration.Record(elapsed.TotalSeconds, tag);
        if (failed)
        {
            _jobFailures.Add(1, tag);
        }
    }

    // Interned labels: no string is made per attempt. A delivery without a channel is an email to one person.
    private static string ChannelLabel(ChannelKind? channel) => channel switch
    {
        null or ChannelKind.Email => "email",
        ChannelKind.Webhook => "webhook",
        ChannelKind.Slack => "slack",
        ChannelKind.Teams => "teams",
        _ => "other",
    };

    /// <summary>
    /// One count per collection (a scrape, an export), not per delivery; a database that cannot answer reports nothing
    /// rather than failing the whole collection.
    /// </summary>
    private static IEnumerable<Measurement<long>> PendingDeliveries(IServiceScopeFactory scopes, ILogger logger)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            return [new Measurement<long>(db.Deliveries.IgnoreQueryFilters().LongCount(d => d.State == DeliveryState.Pending))];
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The outbox's pending deliveries could not be counted.");
            return [];
        }
    }
}
