using System.ComponentModel.DataAnnotations;
using Okapi.Core.Organisations;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

/// <param name="EmailDomains">The email domains the organisation owns: a first single sign-on with an email of one of them creates the person here.</param>
public sealed record OrganisationDto(Guid Id, string Name, string Slug, string TimeZone, int FiscalYearStartMonth, DayOfWeek CheckInWeekday, int CheckInHour, DayOfWeek WeekStart, string? Vision, int Version, IReadOnlyList<string> EmailDomains) : IHasVersion
{
    public static OrganisationDto From(Core.Organisations.Organisation o) =>
        new(o.Id, o.Name, o.Slug, o.TimeZone, o.FiscalYearStartMonth, o.CheckInWeekday, o.CheckInHour, o.WeekStart, o.Vision, o.Version, o.EmailDomains);
}

public sealed record OrganisationRequest(
    [property: Required, StringLength(Core.Organisations.Organisation.MaxNameLength)] string Name,
    [property: Required, StringLength(100)] string TimeZone,
    [property: Required, Range(1, 12)] int? FiscalYearStartMonth,
    [property: Required] DayOfWeek? CheckInWeekday,
    [property: Required, Range(0, 23)] int? CheckInHour,
    [property: Required] DayOfWeek? WeekStart,
    [property: StringLength(Core.Organisations.Organisation.MaxVisionLength)] string? Vision,
    List<string>? EmailDomains = null);

public sealed record TeamMemberDto(Guid PersonId, bool IsLead);

public sealed record TeamDto(Guid Id, string Name, Guid? ParentTeamId, string? Mission, IReadOnlyList<TeamMemberDto> Members, int Version, DateTime CreatedAt, DateTime UpdatedAt) : IHasVersion
{
    public static TeamDto From(Team t) => new(t.Id, t.Name, t.ParentTeamId, t.Mission,
        t.Members.OrderByDescending(m => m.IsLead).ThenBy(m => m.PersonId).Select(m => new TeamMemberDto(m.PersonId, m.IsLead)).ToList(),
        t.Version, t.CreatedAt, t.UpdatedAt);
}

public sealed record TeamRequest(
    [property: Required, StringLength(Team.MaxNameLength)] string Name,
    Guid? ParentTeamId,
    [property: StringLength(Team.MaxMissionLength)] string? Mission,
    List<TeamMemberDto>? Members);

public sealed record PersonDto(Guid Id, string Name, string Email, Role Role, IReadOnlyList<Guid> TeamIds, bool RemindersEnabled, bool DigestEnabled, int Version, DateTime CreatedAt, DateTime UpdatedAt) : IHasVersion;

public sealed record PersonRequest(
    [property: Required, StringLength(Person.MaxNameLength)] string Name,
    [property: Required, EmailAddress, StringLength(Person.MaxEmailLength)] string Email,
    [property: Required] Role? Role,
    bool? RemindersEnabled,
    [property: StringLength(200, MinimumLength = 8)] string? Password,
    bool? DigestEnabled = null);

/// <summary>A person's own notification settings: the weekly check-in reminders and the weekly digest; a null leaves one as it is.</summary>
public sealed record NotificationSettingsRequest(bool? RemindersEnabled, bool? DigestEnabled);

public sealed record CycleDto(Guid Id, string Name, DateOnly Start, DateOnly End, CycleKind Kind, CycleState State, Guid? ParentCycleId, int Version, DateTime CreatedAt, DateTime UpdatedAt) : IHasVersion
{
    public static CycleDto From(Cycle c) => new(c.Id, c.Name, c.Start, c.End, c.Kind, c.State, c.ParentCycleId, c.Version, c.CreatedAt, c.UpdatedAt);
}

public sealed record CycleRequest(
    [property: Required, StringLength(Cycle.MaxNameLength)] string Name,
    [property: Required] DateOnly? Start,
    [property: Required] DateOnly? End,
    [property: Required] CycleKind? Kind,
    CycleState? State,
    Guid? ParentCycleId);
