namespace Okapi.Core;

/// <summary>
/// The dates Okapi works with, wherever they come from (a query's range, a cycle, a check-in). Far outside them a
/// date is a mistake, and near the ends of what .NET can represent the organisation's calendar cannot step a period
/// back or forth or move between time zones: such a date is refused rather than computed with.
/// </summary>
public static class SupportedDates
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    public static readonly DateOnly Latest = new(2999, 12, 31);

    public static string Message => $"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.";

    public static bool Contains(DateOnly date) => date >= Earliest && date <= Latest;

    /// <summary>Compared by the date the instant has where it was written, so that its offset cannot move it out of range.</summary>
    public static bool Contains(DateTimeOffset instant) => Contains(DateOnly.FromDateTime(instant.DateTime)) && Contains(DateOnly.FromDateTime(instant.UtcDateTime));

    public static bool Contains(DateTime instant) => Contains(DateOnly.FromDateTime(instant));

    /// <summary>Whether <paramref name="value"/> is a date or instant outside the supported dates (null and other types are not).</summary>
    public static bool IsOutside(object? value) => value switch
    {
        DateOnly date => !Contains(date),
        DateTimeOffset instant => !Contains(instant),
        DateTime instant => !Contains(instant),
        _ => false,
    };
}
