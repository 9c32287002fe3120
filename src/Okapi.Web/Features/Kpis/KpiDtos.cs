using System.ComponentModel.DataAnnotations;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

public sealed record KpiRequest(
    [property: Required, StringLength(Kpi.MaxNameLength)] string Name,
    [property: StringLength(Kpi.MaxKeyLength)] string? Key,
    [property: StringLength(Kpi.MaxDescriptionLength)] string? Description,
    Guid? OwnerTeamId,
    Guid? OwnerPersonId,
    [property: StringLength(Kpi.MaxUnitLength)] string? Unit,
    KpiDirection? Direction,
    Cadence? Cadence,
    PeriodAggregation? Aggregation,
    double? WarningLower,
    double? WarningUpper,
    double? CriticalLower,
    double? CriticalUpper,
    double? Target,
    List<string>? Tags,
    Visibility? Visibility);

/// <summary>
/// A KPI with what is computed about it now: <see cref="Current"/> is the latest period's value (the one thresholds,
/// target and linked key results use), <see cref="Change"/> the period-over-period change of it.
/// </summary>
public sealed record KpiDto(
    Guid Id, string Name, string Key, string? Description, Guid? OwnerTeamId, Guid? OwnerPersonId, string? Unit,
    KpiDirection Direction, Cadence Cadence, PeriodAggregation Aggregation,
    double? WarningLower, double? WarningUpper, double? CriticalLower, double? CriticalUpper, double? Target,
    IReadOnlyList<string> Tags, Visibility Visibility, int Version,
    KpiHealth Health, double? Current, DateOnly? CurrentPeriodStart, DateTimeOffset? LatestAt, double? Change,
    double? Attainment, bool OnTarget, int OpenAlerts,
    DateTime CreatedAt, DateTime UpdatedAt, bool CanEdit) : IHasVersion
{
    /// <summary>When the KPI was archived; null while it is in use.</summary>
    public DateTime? ArchivedAt { get; init; }

    /// <summary>Whether the caller may restore the archived KPI now.</summary>
    public bool CanRestore { get; init; }

    /// <summary>The newest single value (at <see cref="LatestAt"/>), unlike <see cref="Current"/> not aggregated.</summary>
    public double? LatestValue { get; init; }

    /// <summary>The previous period's value that <see cref="Change"/> compares with; null when there is no change.</summary>
    public double? PreviousValue { get; init; }
}

/// <summary>
/// What a scrape of <c>/metrics/kpis</c> gives of one KPI: its labels (key, name, unit and owner team's name, null for a
/// KPI a person owns), its latest single value and when it was measured, its target and thresholds, and its health.
/// </summary>
public sealed record KpiMetricsDto(
    string Key, string Name, string? Unit, string? Team, double? LatestValue, DateTimeOffset? LatestAt,
    double? Target, double? WarningLower, double? WarningUpper, double? CriticalLower, double? CriticalUpper, KpiHealth Health);

/// <summary>A dashboard tile: the KPI and its recent period values, oldest first, for a sparkline.</summary>
public sealed record KpiTileDto(KpiDto Kpi, IReadOnlyList<double> Sparkline);

/// <param name="Archived">True lists only archived KPIs; otherwise they are left out.</param>
public sealed record KpiFilter(Guid? Team, string? Tag, EnumQuery<KpiHealth>? Health, string? Search, bool? Archived = null);

/// <summary>
/// A point of a chart: a value, or for a daily point (<see cref="KpiSeriesDto.Method"/> <c>daily</c>) the mean of a
/// day's values at the day's start with the day's <see cref="Min"/> and <see cref="Max"/> for a band.
/// </summary>
public sealed record KpiPointDto(DateTimeOffset At, double Value)
{
    public double? Min { get; init; }
    public double? Max { get; init; }
}

/// <summary>One period of a KPI: its local dates [Start, End), aggregated value, number of values and change against the period before.</summary>
public sealed record KpiPeriodDto(DateOnly Start, DateOnly End, DateTimeOffset StartUtc, double Value, int Count, double? Change, KpiHealth Health)
{
    /// <summary>The value of the period right before, that <see cref="Change"/> compares with; null when there is no change.</summary>
    public double? PreviousValue { get; init; }
}

/// <summary>
/// A range of a KPI's values for a chart: at most the asked number of points, downsampled when there are more
/// (<see cref="Method"/> says how: <c>raw</c>, <c>lttb</c>, or <c>daily</c> (one point per day from the day rollups, when the
/// range holds more values than a chart reads; <c>daily+lttb</c> when those days were downsampled too);
/// <see cref="RawCount"/> is how many values the range holds (for daily points, those of its whole days).
/// </summary>
public sealed record KpiSeriesDto(Guid KpiId, DateTimeOffset From, DateTimeOffset To, int RawCount, string Method, IReadOnlyList<KpiPointDto> Points);

/// <summary>One value to store: the instant (UTC if no offset is given) and a finite number.</summary>
public sealed record KpiValueInput(DateTimeOffset At, double Value);

/// <summary>What an ingestion stored: values written (new or replaced) across how many KPIs.</summary>
public sealed record IngestResultDto(int Accepted, int Kpis);
