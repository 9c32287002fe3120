namespace Okapi.Core.Kpis;

/// <summary>Which side of a KPI's value is bad.</summary>
public enum KpiDirection
{
    HigherIsBetter,
    LowerIsBetter,
    WithinBand,
}

/// <summary>How often a KPI is expected to get a value, and the length of its periods.</summary>
public enum Cadence
{
    Daily,
    Weekly,
    Monthly,
}

/// <summary>How the values that fall into one period become that period's value.</summary>
public enum PeriodAggregation
{
    Last,
    Sum,
    Average,
    Min,
    Max,
    Count,
}

/// <summary>A KPI's state at one instant, from best to least known.</summary>
public enum KpiHealth
{
    Ok,
    Warning,
    Critical,
    Stale,
    Unknown,
}

/// <summary>One point of a KPI's time series, as the formulas need it.</summary>
public readonly record struct KpiReading(DateTimeOffset At, double Value);
