using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Core.Tests.Scoring;

/// <summary>A 90-day cycle in UTC, so that "day 45" is exactly half time.</summary>
internal static class Windows
{
    public static readonly CycleWindow Quarter =
        new(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero));

    public static DateTimeOffset Day(double day) => Quarter.Start.AddDays(day);

    public static CheckIn CheckInOn(double day, double value, Confidence? confidence = null) =>
        new() { At = Day(day).UtcDateTime, Value = value, Confidence = confidence };
}
