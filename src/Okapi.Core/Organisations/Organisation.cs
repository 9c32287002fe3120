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

    /// <summary>
    /// The email domains the organisation owns (lower case, e.g. "example.com"): a first single sign-on with an email
    /// of one of them creates the person here. Each domain belongs to one organisation at most.
    /// </summary>
    public List<string> EmailDomains { get; set; } = [];
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
    public const int MaxEmailDomains = 20;
    public const int MaxEmailDomainLength = 253;

    /// <summary>The rules the organisation's settings must satisfy, for the API, the pages and the importer.</summary>
    public ValidationErrors Validate() => new ValidationErrors()
        .Text(Name, "name", MaxNameLength)
        .Text(Vision, "vision", MaxVisionLength, required: false)
        .Require(IsKnownTimeZone(TimeZone ?? ""), "timeZone", "must be an IANA time-zone id such as Europe/Berlin.")
        .Require(FiscalYearStartMonth is >= 1 and <= 12, "fiscalYearStartMonth", "must be between 1 and 12.")
        .Require(Enum.IsDefined(CheckInWeekday), "checkInWeekday", "must be a day of the week.")
        .Require(CheckInHour is >= 0 and <= 23, "checkInHour", "must be between 0 and 23.")
        .Require(Enum.IsDefined(WeekStart), "weekStart", "must be a day of the week.")
        .Require(EmailDomains.Count <= MaxEmailDomains, "emailDomains", $"must be at most {MaxEmailDomains} domains.")
        .Require(EmailDomains.All(IsEmailDomain), "emailDomains", "must be domain names such as example.com, without @ or spaces.")
        .Require(EmailDomains.Distinct().Count() == EmailDomains.Count, "emailDomains", "must not repeat a domain.");

    /// <summary>The domain of an email as organisations list it (lower case), or null when it has none.</summary>
    public static string? DomainOf(string? email) =>
        email?.Trim() is { } e && e.LastIndexOf('@') is var at and > 0 && at < e.Length - 1 ? NormaliseDomain(e[(at + 1)..]) : null;

    /// <summary>How domains are stored and compared: trimmed, lower case, without a trailing dot.</summary>
    public static string NormaliseDomain(string domain) => domain.Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>A host name of at least two labels of letters, digits and hyphens (after <see cref="NormaliseDomain"/>).</summary>
    public static bool IsEmailDomain(string domain) =>
        domain.Length is > 0 and <= MaxEmailDomainLength && domain == NormaliseDomain(domain)
        && domain.Split('.') is { Length: >= 2 } labels
        && labels.All(l => l.Length is > 0 and <= 63 && l[0] != '-' && l[^1] != '-' && l.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'));
}
