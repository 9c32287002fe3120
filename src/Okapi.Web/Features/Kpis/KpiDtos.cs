using System.ComponentModel.DataAnnotations;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

/// <summary>
/// A KPI to create or replace: every field is sent, and a field left out takes its default (on a replace too), except
/// `key`, which a replace keeps when it is left out.
/// </summary>
/// <param name="Name">The KPI's display name; required, at most 200 characters.</param>
/// <param name="Key">
/// The stable slug that integrations push values to: lowercase letters and digits separated by single hyphens, at most
/// 64 characters, unique. Left out on create, it is made from the name (with a number appended if taken); left out on
/// a replace, the current key stays.
/// </param>
/// <param name="Description">What the KPI measures and why, in Markdown; at most 20,000 characters.</param>
/// <param name="OwnerTeamId">The team that owns the KPI. A KPI needs an owner team or an owner person (or both), and members may only give it to their own teams.</param>
/// <param name="OwnerPersonId">The person who owns the KPI. A KPI needs an owner team or an owner person (or both).</param>
/// <param name="Unit">The unit its values are in, shown beside them, e.g. `%` or `EUR`; at most 40 characters.</param>
/// <param name="Direction">
/// Which side of the value is bad: `higherIsBetter` (the default), `lowerIsBetter` or `withinBand`. It decides which
/// thresholds the KPI accepts.
/// </param>
/// <param name="Cadence">How often the KPI is expected to get a value and how long its periods are: `daily`, `weekly` (the default) or `monthly`. Without a value for two cadences the KPI is stale.</param>
/// <param name="Aggregation">How the values of one period become the period's value: `last` (the default), `sum`, `average`, `min`, `max` or `count`.</param>
/// <param name="WarningLower">Warning when the period's value is below this. Refused for a lower-is-better KPI; must be at least `criticalLower`.</param>
/// <param name="WarningUpper">Warning when the period's value is above this. Refused for a higher-is-better KPI; must be at most `criticalUpper`.</param>
/// <param name="CriticalLower">Critical when the period's value is below this. Refused for a lower-is-better KPI; must be at most `warningLower`.</param>
/// <param name="CriticalUpper">
/// Critical when the period's value is above this. Refused for a higher-is-better KPI; must be at least
/// `warningUpper`. Within a band, every lower threshold must be at most every upper one.
/// </param>
/// <param name="Target">The value the KPI aims at, in its unit; attainment is measured against it in the KPI's direction. Optional; a finite number.</param>
/// <param name="Tags">Free tags to filter by: at most 20, each at most 40 characters; blanks are dropped, duplicates kept once.</param>
/// <param name="Visibility">Who may see the KPI: `public` (the default), everyone in the organisation; `private`, only its owner person, its owner team's members and admins.</param>
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
/// A KPI with what is computed about it now: `current` is the latest period's value (the one thresholds, target and
/// linked key results use), `change` the period-over-period change of it.
/// </summary>
/// <param name="Id">The KPI's id.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Key">The stable slug integrations push values to.</param>
/// <param name="Description">What it measures, in Markdown.</param>
/// <param name="OwnerTeamId">The team that owns it, if any.</param>
/// <param name="OwnerPersonId">The person who owns it, if any.</param>
/// <param name="Unit">The unit of its values, if any.</param>
/// <param name="Direction">Which side is bad: `higherIsBetter`, `lowerIsBetter` or `withinBand`.</param>
/// <param name="Cadence">How often it expects a value, and its period length: `daily`, `weekly` or `monthly`.</param>
/// <param name="Aggregation">How a period's values become its value: `last`, `sum`, `average`, `min`, `max` or `count`.</param>
/// <param name="WarningLower">Warning below this value, if set.</param>
/// <param name="WarningUpper">Warning above this value, if set.</param>
/// <param name="CriticalLower">Critical below this value, if set.</param>
/// <param name="CriticalUpper">Critical above this value, if set.</param>
/// <param name="Target">The value it aims at, if set.</param>
/// <param name="Tags">Its free tags.</param>
/// <param name="Visibility">`public` (everyone in the organisation) or `private` (its owners and admins).</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="Health">`ok`, `warning` or `critical` from the thresholds; `stale` without a value for two cadences; `unknown` without values.</param>
/// <param name="Current">The latest period's value; null without values.</param>
/// <param name="CurrentPeriodStart">The first day of the latest period, in the organisation's calendar.</param>
/// <param name="LatestAt">When the newest value was measured.</param>
/// <param name="Change">Relative change of the latest period against the one right before it (0.1 is a 10 % rise); null without that period or when it was 0.</param>
/// <param name="Attainment">How close `current` is to the target in the KPI's direction (1 is on it, 1.2 is 20 % better); null without a target.</param>
/// <param name="OnTarget">Whether attainment is 0.9 or more.</param>
/// <param name="OpenAlerts">How many of its alerts are pending or firing.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="CanEdit">Whether the caller may edit it now (never while it is archived).</param>
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

    /// <summary>The newest single value (at `latestAt`), unlike `current` not aggregated.</summary>
    public double? LatestValue { get; init; }

    /// <summary>The previous period's value that `change` compares with; null when there is no change.</summary>
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
/// <param name="Kpi">The KPI.</param>
/// <param name="Sparkline">Its latest period values, oldest first, at most 12.</param>
public sealed record KpiTileDto(KpiDto Kpi, IReadOnlyList<double> Sparkline);

/// <param name="Archived">True lists only archived KPIs; otherwise they are left out.</param>
public sealed record KpiFilter(Guid? Team, string? Tag, EnumQuery<KpiHealth>? Health, string? Search, bool? Archived = null);

/// <summary>
/// A point of a chart: a value, or for a daily point (<see cref="KpiSeriesDto.Method"/> <c>daily</c>) the mean of a
/// day's values at the day's start with the day's <see cref="Min"/> and <see cref="Max"/> for a band.
/// </summary>
/// <param name="At">The point's instant; for a daily point, the day's start.</param>
/// <param name="Value">The value; for a daily point, the mean of the day's values.</param>
public sealed record KpiPointDto(DateTimeOffset At, double Value)
{
    /// <summary>For a daily point, the day's lowest value; null otherwise.</summary>
    public double? Min { get; init; }
    /// <summary>For a daily point, the day's highest value; null otherwise.</summary>
    public double? Max { get; init; }
}

/// <summary>One period of a KPI: its local dates [Start, End), aggregated value, number of values and change against the period before.</summary>
/// <param name="Start">The period's first day, in the organisation's time zone.</param>
/// <param name="End">The day after the period's last day (exclusive).</param>
/// <param name="StartUtc">The instant the period starts.</param>
/// <param name="Value">The period's values aggregated as the KPI's aggregation says.</param>
/// <param name="Count">How many values the period holds.</param>
/// <param name="Change">The relative change from the period right before (0.1 is +10 %); null for the first period, after a gap, or when the value before is 0.</param>
/// <param name="Health">The health of the period's value against the KPI's thresholds: `ok`, `warning`, `critical`, `stale` or `unknown`.</param>
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
/// <param name="KpiId">The KPI.</param>
/// <param name="From">The range's start.</param>
/// <param name="To">The range's end.</param>
/// <param name="RawCount">How many values the range holds (for daily points, those of its whole days).</param>
/// <param name="Method">How the points were made: `raw`, `lttb`, `daily` or `daily+lttb`.</param>
/// <param name="Points">The points, oldest first.</param>
public sealed record KpiSeriesDto(Guid KpiId, DateTimeOffset From, DateTimeOffset To, int RawCount, string Method, IReadOnlyList<KpiPointDto> Points);

/// <summary>One value to store: the instant (UTC if no offset is given) and a finite number.</summary>
/// <param name="At">The instant the value is for, ISO 8601 (UTC without an offset); now when left out. From the year 2000 to at most 24 hours ahead of the server's clock; a value at an instant the KPI already has replaces it.</param>
/// <param name="Value">The value in the KPI's unit: a finite number between -1e15 and 1e15.</param>
public sealed record KpiValueInput(DateTimeOffset At, double Value);

/// <summary>What an ingestion stored: values written (new or replaced) across how many KPIs.</summary>
/// <param name="Accepted">How many values were stored, new or replacing one at the same instant.</param>
/// <param name="Kpis">How many KPIs they went to.</param>
public sealed record IngestResultDto(int Accepted, int Kpis);
