using System.ComponentModel.DataAnnotations;
using Okapi.Core.Organisations;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

/// <summary>The organisation's settings.</summary>
/// <param name="Id">The organisation's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Slug">Its short name in URLs.</param>
/// <param name="TimeZone">The IANA time-zone id its calendar runs in, e.g. `Europe/Berlin`.</param>
/// <param name="FiscalYearStartMonth">The month the fiscal year starts in, 1 to 12.</param>
/// <param name="CheckInWeekday">The weekday of the weekly check-in reminder.</param>
/// <param name="CheckInHour">The hour of the weekly check-in reminder, 0 to 23, in its time zone.</param>
/// <param name="WeekStart">The day weeks start on.</param>
/// <param name="Vision">Its vision, if set.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="EmailDomains">The email domains the organisation owns: a first single sign-on with an email of one of them creates the person here.</param>
public sealed record OrganisationDto(Guid Id, string Name, string Slug, string TimeZone, int FiscalYearStartMonth, DayOfWeek CheckInWeekday, int CheckInHour, DayOfWeek WeekStart, string? Vision, int Version, IReadOnlyList<string> EmailDomains) : IHasVersion
{
    public static OrganisationDto From(Core.Organisations.Organisation o) =>
        new(o.Id, o.Name, o.Slug, o.TimeZone, o.FiscalYearStartMonth, o.CheckInWeekday, o.CheckInHour, o.WeekStart, o.Vision, o.Version, o.EmailDomains);
}

/// <summary>The organisation's settings, replaced as a whole by an admin; every field but `vision` and `emailDomains` is required.</summary>
/// <param name="Name">The organisation's name; at most 200 characters.</param>
/// <param name="TimeZone">The IANA time-zone id the organisation's calendar runs in, e.g. `Europe/Berlin`: periods, cycles, reminders and the digest follow it.</param>
/// <param name="FiscalYearStartMonth">The month the fiscal year starts in, 1 (January) to 12.</param>
/// <param name="CheckInWeekday">The weekday of the weekly check-in reminder, e.g. `monday`.</param>
/// <param name="CheckInHour">The hour of the weekly check-in reminder in the organisation's time zone, 0 to 23.</param>
/// <param name="WeekStart">The day weeks start on, for weekly KPI periods, e.g. `monday`.</param>
/// <param name="Vision">The organisation's vision, shown above its objectives; at most 4,000 characters.</param>
/// <param name="EmailDomains">
/// The email domains the organisation owns, e.g. `example.com`: a first single sign-on with an email of one of them
/// creates the person here. At most 20, none repeated or owned by another organisation. Left out, they stay as they are.
/// </param>
public sealed record OrganisationRequest(
    [property: Required, StringLength(Core.Organisations.Organisation.MaxNameLength)] string Name,
    [property: Required, StringLength(100)] string TimeZone,
    [property: Required, Range(1, 12)] int? FiscalYearStartMonth,
    [property: Required] DayOfWeek? CheckInWeekday,
    [property: Required, Range(0, 23)] int? CheckInHour,
    [property: Required] DayOfWeek? WeekStart,
    [property: StringLength(Core.Organisations.Organisation.MaxVisionLength)] string? Vision,
    List<string>? EmailDomains = null);

/// <summary>A member of a team.</summary>
/// <param name="PersonId">The person; in a request, an existing person, each at most once.</param>
/// <param name="IsLead">Whether the person leads the team: leads review the team's draft objectives. False by default.</param>
public sealed record TeamMemberDto(Guid PersonId, bool IsLead);

/// <summary>A team and its members, leads first.</summary>
/// <param name="Id">The team's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="ParentTeamId">The team it sits below; null for a top-level team.</param>
/// <param name="Mission">What the team is for.</param>
/// <param name="Members">Its members, leads first.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record TeamDto(Guid Id, string Name, Guid? ParentTeamId, string? Mission, IReadOnlyList<TeamMemberDto> Members, int Version, DateTime CreatedAt, DateTime UpdatedAt) : IHasVersion
{
    public static TeamDto From(Team t) => new(t.Id, t.Name, t.ParentTeamId, t.Mission,
        t.Members.OrderByDescending(m => m.IsLead).ThenBy(m => m.PersonId).Select(m => new TeamMemberDto(m.PersonId, m.IsLead)).ToList(),
        t.Version, t.CreatedAt, t.UpdatedAt);
}

/// <summary>A team to create or replace, with its members; an admin's task.</summary>
/// <param name="Name">The team's name; required, at most 200 characters.</param>
/// <param name="ParentTeamId">The team it sits below; it must exist, and a team cannot sit below itself or one of its own sub-teams. Left out, a top-level team.</param>
/// <param name="Mission">What the team is for; at most 4,000 characters.</param>
/// <param name="Members">The team's members, replacing the current ones: existing people, each at most once. Left out, none.</param>
public sealed record TeamRequest(
    [property: Required, StringLength(Team.MaxNameLength)] string Name,
    Guid? ParentTeamId,
    [property: StringLength(Team.MaxMissionLength)] string? Mission,
    List<TeamMemberDto>? Members);

/// <summary>A person of the organisation.</summary>
/// <param name="Id">The person's id.</param>
/// <param name="Name">Their full name.</param>
/// <param name="Email">The email they sign in with and are notified at.</param>
/// <param name="Role">`admin`, `member` or `viewer`.</param>
/// <param name="TeamIds">The teams they are a member of.</param>
/// <param name="RemindersEnabled">Whether they get the weekly check-in reminder.</param>
/// <param name="DigestEnabled">Whether they get the weekly digest email.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record PersonDto(Guid Id, string Name, string Email, Role Role, IReadOnlyList<Guid> TeamIds, bool RemindersEnabled, bool DigestEnabled, int Version, DateTime CreatedAt, DateTime UpdatedAt) : IHasVersion;

/// <summary>A person to create or replace; an admin's task. The person signs in with the email.</summary>
/// <param name="Name">The person's full name; required, at most 200 characters.</param>
/// <param name="Email">The email the person signs in with and is notified at; required, at most 256 characters, not used by anyone else.</param>
/// <param name="Role">Required. `admin` manages the organisation, `member` writes OKRs and KPIs for themselves and their teams, `viewer` only reads. The organisation keeps at least one admin.</param>
/// <param name="RemindersEnabled">Whether the person gets the weekly check-in reminder; true for a new person, unchanged on a replace when left out.</param>
/// <param name="Password">
/// A password to sign in with, 10 to 200 characters; set or replaced when given, unchanged when left out. Refused when
/// passwords are switched off for single sign-on.
/// </param>
/// <param name="DigestEnabled">Whether the person gets the weekly digest email; true for a new person, unchanged on a replace when left out.</param>
public sealed record PersonRequest(
    [property: Required, StringLength(Person.MaxNameLength)] string Name,
    [property: Required, EmailAddress, StringLength(Person.MaxEmailLength)] string Email,
    [property: Required] Role? Role,
    bool? RemindersEnabled,
    [property: StringLength(200, MinimumLength = 8)] string? Password,
    bool? DigestEnabled = null);

/// <summary>A person's own notification settings: the weekly check-in reminders and the weekly digest; a null leaves one as it is.</summary>
/// <param name="RemindersEnabled">Whether to get the weekly check-in reminder; left out, unchanged.</param>
/// <param name="DigestEnabled">Whether to get the weekly digest email; left out, unchanged.</param>
public sealed record NotificationSettingsRequest(bool? RemindersEnabled, bool? DigestEnabled);

/// <summary>A cycle: the period objectives are set for.</summary>
/// <param name="Id">The cycle's id.</param>
/// <param name="Name">Its name, e.g. `2026 Q1`.</param>
/// <param name="Start">Its first day.</param>
/// <param name="End">Its last day.</param>
/// <param name="Kind">`quarter`, `year` or `custom`.</param>
/// <param name="State">`planning`, `active` or `closed` (by its company close).</param>
/// <param name="ParentCycleId">The cycle it lies within, if any.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record CycleDto(Guid Id, string Name, DateOnly Start, DateOnly End, CycleKind Kind, CycleState State, Guid? ParentCycleId, int Version, DateTime CreatedAt, DateTime UpdatedAt) : IHasVersion
{
    public static CycleDto From(Cycle c) => new(c.Id, c.Name, c.Start, c.End, c.Kind, c.State, c.ParentCycleId, c.Version, c.CreatedAt, c.UpdatedAt);
}

/// <summary>A cycle to create or replace: the period objectives are set for; an admin's task.</summary>
/// <param name="Name">The cycle's name, e.g. `2026 Q1`; required, at most 100 characters.</param>
/// <param name="Start">Required: the cycle's first day, as `yyyy-MM-dd`, in the years 2000 to 2200.</param>
/// <param name="End">Required: the cycle's last day, as `yyyy-MM-dd`; not before the start, and at most three years after it.</param>
/// <param name="Kind">Required: `quarter`, `year` or `custom`.</param>
/// <param name="State">
/// `planning` or `active`; left out, `planning` on create and unchanged on a replace. `closed` is refused: a cycle
/// closes through its company close, which records the grades.
/// </param>
/// <param name="ParentCycleId">The cycle this one lies within, e.g. the year of a quarter; it must exist and contain the dates.</param>
public sealed record CycleRequest(
    [property: Required, StringLength(Cycle.MaxNameLength)] string Name,
    [property: Required] DateOnly? Start,
    [property: Required] DateOnly? End,
    [property: Required] CycleKind? Kind,
    CycleState? State,
    Guid? ParentCycleId);
