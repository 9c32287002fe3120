namespace Okapi.Core.Kpis;

/// <summary>Where a KPI value came from.</summary>
public enum KpiValueSource
{
    Api,
    Upload,
    Pull,
    Manual,
    Demo,
}

/// <summary>
/// One point of a KPI's time series. At most one per KPI and instant: a second write at the same instant replaces
/// the value, which makes ingestion idempotent. Values belong to the organisation through their KPI, so they carry
/// no tenant column of their own (millions of rows, read only through a KPI the caller may see).
/// </summary>
public sealed class KpiValue
{
    /// <summary>The KPI's <see cref="Kpi.Number"/>.</summary>
    public long KpiNumber { get; set; }

    /// <summary>The instant the value is for, in UTC.</summary>
    public DateTime At { get; set; }
    public double Value { get; set; }
    public KpiValueSource Source { get; set; } = KpiValueSource.Api;

    /// <summary>The earliest and latest instants a value may carry; outside them a timestamp is surely a mistake.</summary>
    public static readonly DateTime EarliestAt = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>How far in the future a value may be (clock skew of the sender).</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(1);

    /// <summary>
    /// The rules every stored value meets, whichever way it arrives (the API, a bulk request, an upload, a pull):
    /// a storable number (<see cref="StorableNumber"/>) at an instant from <see cref="EarliestAt"/> to <see cref="MaxAhead"/> past
    /// <paramref name="now"/>. Errors go to <paramref name="errors"/> (a new list when null) under "value" and
    /// "at", prefixed by "<paramref name="row"/>." when a row is named.
    /// </summary>
    public static ValidationErrors Validate(DateTimeOffset at, double value, DateTimeOffset now, ValidationErrors? errors = null, string? row = null)
    {
        errors ??= new ValidationErrors();
        if (IsAcceptable(at, value, now))
        {
            return errors;
        }

        var prefix = row is null ? "" : $"{row}.";
        return errors
            .Finite(value, $"{prefix}value")
            .Require(!IsTooEarly(at), $"{prefix}at", TooEarly)
            .Require(!IsTooFarAhead(at, now), $"{prefix}at", TooFarAhead);
    }

    /// <summary>Whether <see cref="Validate"/> finds nothing wrong, without building its messages: bulk rows are checked by the million.</summary>
    public static bool IsAcceptable(DateTimeOffset at, double value, DateTimeOffset now) =>
        StorableNumber.IsStorable(value) && !IsTooEarly(at) && !IsTooFarAhead(at, now);

    private static bool IsTooEarly(DateTimeOffset at) => at.UtcDateTime < EarliestAt;

    private static bool IsTooFarAhead(DateTimeOffset at, DateTimeOffset now) => at > now + MaxAhead;

    private static readonly string TooEarly = $"must not be before {EarliestAt:yyyy-MM-dd}.";
    private static readonly string TooFarAhead = $"must not be more than {MaxAhead.TotalHours:0} hours in the future.";

    public KpiReading ToReading() => new(new DateTimeOffset(At), Value);
}
