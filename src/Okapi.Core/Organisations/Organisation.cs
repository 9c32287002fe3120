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

    public TimeZoneInfo FindTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public static bool IsKnownTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
