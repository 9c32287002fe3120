namespace Okapi.Core.Alerts;

/// <summary>What an alert rule watches: `threshold` (the KPI's health reaches the rule's level), `change` (a rise or drop against a baseline) or `noData` (no value for a number of cadence periods).</summary>
public enum AlertRuleKind
{
    /// <summary>The KPI's health reaches the rule's level (warning or critical).</summary>
    Threshold,

    /// <summary>A rise or drop of at least X % against the previous period or the trailing average of N periods.</summary>
    Change,

    /// <summary>No value for N × the KPI's cadence.</summary>
    NoData,
}

/// <summary>How serious an alert rule's alerts are: `info`, `warning` or `critical`.</summary>
public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>Which change a change rule alerts on: `rise`, `drop` or `either`.</summary>
public enum ChangeDirection
{
    Rise,
    Drop,
    Either,
}

/// <summary>What a change rule compares the latest period with: `previousPeriod`, or `trailingAverage` of several periods.</summary>
public enum ChangeBaseline
{
    PreviousPeriod,
    TrailingAverage,
}

/// <summary>When a KPI needs attention, and whom to tell.</summary>
public sealed class AlertRule : Entity
{
    public const int MaxNameLength = 200;

    public Guid KpiId { get; set; }
    public required string Name { get; set; }
    public AlertRuleKind Kind { get; set; } = AlertRuleKind.Threshold;
    public AlertSeverity Severity { get; set; } = AlertSeverity.Warning;

    /// <summary>Threshold rules: the health that fires, warning (warning or critical) or critical only.</summary>
    public Kpis.KpiHealth ThresholdLevel { get; set; } = Kpis.KpiHealth.Critical;

    /// <summary>Change rules: the relative change that fires, in percent (20 = 20 %).</summary>
    public double? ChangePercent { get; set; }
    public ChangeDirection ChangeDirection { get; set; } = ChangeDirection.Drop;
    public ChangeBaseline ChangeBaseline { get; set; } = ChangeBaseline.PreviousPeriod;

    /// <summary>Change rules with a trailing average: how many periods before the last one are averaged.</summary>
    public int WindowPeriods { get; set; } = 4;

    /// <summary>No-data rules: how many cadence lengths without a value fire.</summary>
    public int NoDataCadences { get; set; } = 2;

    /// <summary>How long the condition must hold before the alert fires ("for" in Prometheus and Grafana); 0 fires at once.</summary>
    public int PendingSeconds { get; set; }

    /// <summary>While firing, notify again this often; null notifies once per transition.</summary>
    public int? RepeatMinutes { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>The channels notified of this rule's transitions.</summary>
    public List<Guid> ChannelIds { get; set; } = [];
}
