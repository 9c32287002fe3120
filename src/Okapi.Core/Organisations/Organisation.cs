namespace Okapi.Core.Organisations;

/// <summary>The tenant: every other row belongs to one organisation.</summary>
public sealed class Organisation : IVersioned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Slug { get; set; }

    /// <summary>IANA time-zone id; cycles, weeks and reminders are computed in it.</summary>
    public string TimeZone { get; set; } = "UTC";
    public int FiscalYearStartMonth { get; set; } = 1;
    public DayOfWeek CheckInWeekday { get; set; } = DayOfWeek.Monday;
    public int CheckInHour { get; set; } = 9;
    public DayOfWeek WeekStart { get; set; } = DayOfWeek.Monday;
    public string? Vision { get; set; }
    public int Version { get; set; } = 1;
    public DateTime CreatedAt { get; set; }

    /// <summary>The time zone cycles, weeks and periods are computed in; see <see cref="ZoneOf"/>.</summary>
    public TimeZoneInfo FindTimeZone() => ZoneOf(TimeZone);

    /// <summary>
    /// The zone of an IANA id, or UTC when the host does not know it. Saving an organisation checks the id, so an
    /// unknown one only comes from rows older than that check or from a host without that zone: computing in UTC
    /// then shifts dates by a few hours, where throwing would break every page, job and API call of the organisation.
    /// </summary>
    public static TimeZoneInfo ZoneOf(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    public static bool IsKnownTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    public const int MaxNameLength = 200;
    public const int MaxVisionLength = 4000;

    /// <summary>The rules the organisation's settings must satisfy, for the API, the pages and the importer.</summary>
    public ValidationErrors Validate() => new ValidationErrors()
        .Text(Name, "name", MaxNameLength)
        .Text(Vision, "vision", MaxVisionLength, required: false)
        .Require(IsKnownTimeZone(TimeZone ?? ""), "timeZone", "must be an IANA time-zone id such as Europe/Berlin.")
        .Require(FiscalYearStartMonth is >= 1 and <= 12, "fiscalYearStartMonth", "must be between 1 and 12.")
        .Require(Enum.IsDefined(CheckInWeekday), "checkInWeekday", "must be a day of the week.")
        .Require(CheckInHour is >= 0 and <= 23, "checkInHour", "must be between 0 and 23.")
        .Require(Enum.IsDefined(WeekStart), "weekStart", "must be a day of the week.");
}
