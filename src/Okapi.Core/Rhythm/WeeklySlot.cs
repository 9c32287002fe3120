using System.Globalization;
using Okapi.Core.Organisations;

namespace Okapi.Core.Rhythm;

/// <summary>One occurrence of scheduled work: its stable key (unique per organisation and kind) and when it is due.</summary>
public readonly record struct Occurrence(string Key, DateTimeOffset DueAt);

/// <summary>
/// A weekly slot in an organisation's time zone, such as "Mondays at 9:00 in Europe/Berlin": the check-in weekday
/// and hour. Occurrences are computed from the local calendar, so the slot stays at 9:00 local time across
/// daylight-saving changes (the week around a change is an hour shorter or longer in UTC).
/// </summary>
public sealed record WeeklySlot(DayOfWeek Weekday, int Hour, TimeZoneInfo Zone)
{
    /// <summary>The latest occurrence due at or before <paramref name="now"/>.</summary>
    public Occurrence LatestAtOrBefore(DateTimeOffset now)
    {
        var today = CycleWindow.DateOf(now, Zone);
        var day = today.AddDays(-(((int)today.DayOfWeek - (int)Weekday + 7) % 7));
        var due = At(day);
        if (due > now)
        {
            day = day.AddDays(-7);
            due = At(day);
        }

        return new Occurrence(KeyOf(day), due);
    }

    /// <summary>The first occurrence due after <paramref name="now"/>.</summary>
    public Occurrence NextAfter(DateTimeOffset now)
    {
        var latest = LatestAtOrBefore(now);
        var day = DateOnly.ParseExact(latest.Key[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(7);
        return new Occurrence(KeyOf(day), At(day));
    }

    /// <summary>
    /// The instant of the slot on a local date. An hour that does not exist that day (clocks go forward through it)
    /// is due when the gap ends; an hour that happens twice (clocks go back) is due the first time.
    /// </summary>
    public DateTimeOffset At(DateOnly day)
    {
        var local = day.ToDateTime(new TimeOnly(Math.Clamp(Hour, 0, 23), 0), DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
        {
            // The first valid minute after the gap, as an instant: the end of the gap in the offset before it.
            while (Zone.IsInvalidTime(local))
            {
                local = local.AddMinutes(1);
            }
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The occurrence key: the local date and hour of the slot, e.g. "2027-02-15T09".</summary>
    private string KeyOf(DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd}T{Math.Clamp(Hour, 0, 23):00}");
}
