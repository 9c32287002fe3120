using System.Text.RegularExpressions;
using Okapi.Core.Okrs;

namespace Okapi.Core.Kpis;

/// <summary>A continuously tracked metric. Health, period values and target attainment live here, in one place.</summary>
public sealed partial class Kpi : Entity
{
    public const int MaxNameLength = 200;
    public const int MaxKeyLength = 64;
    public const int MaxDescriptionLength = 20_000;
    public const int MaxUnitLength = 40;
    public const int MaxTags = 20;
    public const int MaxTagLength = 40;

    /// <summary>How many cadence lengths may pass without a value before the KPI is stale.</summary>
    public const int StaleAfterCadences = 2;

    /// <summary>
    /// The KPI's compact number, unique across the database and given when it is first saved: the value table is keyed
    /// by it rather than by the 16-byte id, which halves the bytes of millions of rows and of their index.
    /// </summary>
    public long Number { get; set; }

    public required string Name { get; set; }

    /// <summary>Stable slug that integrations push values to; unlike the name it does not change.</summary>
    public required string Key { get; set; }
    public string? Description { get; set; }
    public Guid? OwnerTeamId { get; set; }
    public Guid? OwnerPersonId { get; set; }
    public string? Unit { get; set; }
    public KpiDirection Direction { get; set; } = KpiDirection.HigherIsBetter;
    public Cadence Cadence { get; set; } = Cadence.Weekly;
    public PeriodAggregation Aggregation { get; set; } = PeriodAggregation.Last;

    // Flat columns rather than an owned type keep the table plain and each bound independently nullable.
    public double? WarningLower { get; set; }
    public double? WarningUpper { get; set; }
    public double? CriticalLower { get; set; }
    public double? CriticalUpper { get; set; }
    public double? Target { get; set; }
    public List<string> Tags { get; set; } = [];
    public Visibility Visibility { get; set; } = Visibility.Public;

    /// <summary>
    /// When the KPI was archived (UTC), or null while it is in use. An archived KPI keeps its values, rules and
    /// sources, is read-only, is left out of lists, takes no values, and its rules and pulls rest until it is restored.
    /// </summary>
    public DateTime? ArchivedAt { get; set; }

    public bool IsArchived => ArchivedAt is not null;

    /// <summary>Why the KPI, its values, alert rules and pull sources may not change, or null when they may.</summary>
    public string? WhyReadOnly => IsArchived ? "The KPI is archived; restore it first to change it." : null;

    /// <summary>Why the KPI may not be archived now, or null when it may.</summary>
    public string? WhyNotArchive => IsArchived ? "The KPI is already archived." : null;

    /// <summary>Why the KPI may not be restored now, or null when it may.</summary>
    public string? WhyNotRestore => IsArchived ? null : "The KPI is not archived.";

    /// <summary>Archives the KPI at <paramref name="now"/> (UTC), if <see cref="WhyNotArchive"/> allows it.</summary>
    public void Archive(DateTime now)
    {
        if (WhyNotArchive is { } why)
        {
            throw new InvalidOperationException(why);
        }

        ArchivedAt = now;
    }

    /// <summary>Restores the archived KPI as it was, if <see cref="WhyNotRestore"/> allows it.</summary>
    public void Restore()
    {
        if (WhyNotRestore is { } why)
        {
            throw new InvalidOperationException(why);
        }

        ArchivedAt = null;
    }

    /// <summary>The newest value's instant and value, kept by ingestion so that lists need not scan the series.</summary>
    public DateTime? LatestAt { get; set; }
    public double? LatestValue { get; set; }

    /// <summary>
    /// The first date and the value of the period that holds the newest value, and the value of the period right
    /// before it (null when that one holds no value): kept with the day rollups so that lists and metrics read one
    /// row per KPI. See <see cref="KeepCurrentPeriods"/>.
    /// </summary>
    public DateOnly? CurrentPeriodStart { get; set; }
    public double? CurrentPeriodValue { get; set; }
    public double? PreviousPeriodValue { get; set; }

    /// <summary>Period-over-period change of the current period, from the kept figures.</summary>
    public double? CurrentChange => CurrentPeriodValue is { } current && PreviousPeriodValue is { } previous ? KpiPeriod.Change(previous, current) : null;

    /// <summary>The four bounds as one value; read-only so that a mapper does not take it for a column.</summary>
    public KpiThresholds Thresholds => new(WarningLower, WarningUpper, CriticalLower, CriticalUpper);

    public bool HasThresholds => WarningLower is not null || WarningUpper is not null || CriticalLower is not null || CriticalUpper is not null;

    /// <summary>
    /// How long a value stays fresh: <see cref="StaleAfterCadences"/> × the cadence. A month counts as 31 days,
    /// the longest calendar month, so a monthly KPI is never stale early and staleness needs no time zone.
    /// </summary>
    public TimeSpan StaleAfter => StaleAfterCadences * Cadence switch
    {
        Cadence.Daily => TimeSpan.FromDays(1),
        Cadence.Weekly => TimeSpan.FromDays(7),
        Cadence.Monthly => TimeSpan.FromDays(31),
        _ => throw new InvalidOperationException($"Unknown cadence {Cadence}."),
    };

    /// <summary>
    /// Health at <paramref name="now"/> from the latest reading: unknown without one, stale once it is older than
    /// <see cref="StaleAfter"/>, else what the thresholds say of its value. The reading's value should be in the
    /// terms the thresholds are set in, e.g. the latest period value of a KPI aggregated by sum.
    /// </summary>
    public KpiHealth Health(KpiReading? latest, DateTimeOffset now)
    {
        if (latest is not { } reading || !double.IsFinite(reading.Value))
        {
            return KpiHealth.Unknown;
        }

        if (now - reading.At > StaleAfter)
        {
            return KpiHealth.Stale;
        }

        return Thresholds.Classify(reading.Value, Direction);
    }

    /// <summary>The readings bucketed into this KPI's periods by its cadence and aggregated by its aggregation.</summary>
    public IReadOnlyList<KpiPeriod> Periods(IEnumerable<KpiReading> readings, PeriodCalendar calendar) =>
        calendar.Aggregate(readings, Cadence, Aggregation);

    /// <summary>The periods made of these day summaries, as <see cref="Periods"/> makes them of readings.</summary>
    public IReadOnlyList<KpiPeriod> PeriodsFromDays(IEnumerable<KpiDay> days, PeriodCalendar calendar) =>
        calendar.AggregateDays(days, Cadence, Aggregation);

    /// <summary>
    /// Keeps the current period's figures from this KPI's periods up to the one holding its newest value (oldest
    /// first; only the last two matter). No periods clear them.
    /// </summary>
    public void KeepCurrentPeriods(IReadOnlyList<KpiPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        var current = periods.Count > 0 ? periods[^1] : null;
        var previous = periods.Count > 1 && periods[^2].End == current!.Start ? periods[^2] : null;
        CurrentPeriodStart = current?.Start;
        CurrentPeriodValue = current?.Value;
        PreviousPeriodValue = previous?.Value;
    }

    /// <summary>Attainment of <paramref name="value"/> against the target; null without a target.</summary>
    public TargetAttainment? Attainment(double value) => TargetAttainment.Of(value, Target, Direction);

    /// <summary>The rules a KPI must satisfy, shared by the API and the UI.</summary>
    public ValidationErrors Validate()
    {
        var errors = new ValidationErrors()
            .Text(Name, "name", MaxNameLength)
            .Text(Key, "key", MaxKeyLength)
            .Text(Description, "description", MaxDescriptionLength, required: false)
            .Text(Unit, "unit", MaxUnitLength, required: false)
            .Require(OwnerTeamId is not null || OwnerPersonId is not null, "owner", "an owner team or an owner person is required.")
            .Require(Enum.IsDefined(Direction), "direction", "is not a known direction.")
            .Require(Enum.IsDefined(Cadence), "cadence", "is not a known cadence.")
            .Require(Enum.IsDefined(Aggregation), "aggregation", "is not a known aggregation.")
            .Require(Enum.IsDefined(Visibility), "visibility", "is not a known visibility.")
            .Finite(Target, "target")
            .Require(Tags.Count <= MaxTags, "tags", $"at most {MaxTags} tags.");
        if (!string.IsNullOrWhiteSpace(Key))
        {
            errors.Require(KeyPattern().IsMatch(Key), "key", "must be lowercase letters and digits separated by single hyphens, e.g. 'weekly-leads'.");
        }

        foreach (var tag in Tags)
        {
            errors.Text(tag, "tags", MaxTagLength);
        }

        Thresholds.Validate(Direction, errors);
        return errors;
    }

    [GeneratedRegex(@"^[a-z0-9]+(?:-[a-z0-9]+)*\z")]
    private static partial Regex KeyPattern();
}

/// <summary>Which KPIs a list shows: those in use, or when asked for only the archived ones, never both mixed.</summary>
public static class KpiQueries
{
    public static IQueryable<Kpi> InUse(this IQueryable<Kpi> kpis) => kpis.Where(k => k.ArchivedAt == null);

    public static IQueryable<Kpi> Archived(this IQueryable<Kpi> kpis, bool archived) =>
        archived ? kpis.Where(k => k.ArchivedAt != null) : kpis.InUse();
}
