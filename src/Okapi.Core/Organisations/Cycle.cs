using Okapi.Core.Okrs;

namespace Okapi.Core.Organisations;

/// <summary>A cycle's length: `quarter`, `year` or `custom`.</summary>
public enum CycleKind
{
    Quarter,
    Year,
    Custom,
}

/// <summary>A cycle's state: `planning`, `active` or `closed`.</summary>
public enum CycleState
{
    Planning,
    Active,
    Closed,
}

/// <summary>A time box for OKRs; start and end are dates in the organisation's time zone, both inclusive.</summary>
public sealed class Cycle : Entity
{
    public required string Name { get; set; }
    public DateOnly Start { get; set; }
    public DateOnly End { get; set; }
    public CycleKind Kind { get; set; } = CycleKind.Quarter;
    public CycleState State { get; set; } = CycleState.Planning;
    public Guid? ParentCycleId { get; set; }

    /// <summary>Stable key in exported documents, unique in the organisation; null until exported or imported.</summary>
    public string? Key { get; set; }

    /// <summary>The calendar quarter that holds <paramref name="date"/>, named like "2027 Q1", as a cycle.</summary>
    public static Cycle Quarter(DateOnly date)
    {
        var start = new DateOnly(date.Year, (date.Month - 1) / 3 * 3 + 1, 1);
        return new Cycle { Name = $"{start.Year} Q{(start.Month - 1) / 3 + 1}", Start = start, End = start.AddMonths(3).AddDays(-1), Kind = CycleKind.Quarter };
    }

    /// <summary>The calendar quarter after <paramref name="after"/> (the last day of the latest cycle), as a cycle to plan.</summary>
    public static Cycle NextQuarter(DateOnly after)
    {
        var day = after.AddDays(1);
        var quarter = Quarter(day);
        // A latest cycle that ends mid-quarter is followed by the next whole quarter, never by a partial one.
        return quarter.Start == day ? quarter : Quarter(quarter.End.AddDays(1));
    }

    /// <summary>The calendar year after <paramref name="after"/>, as a cycle to plan.</summary>
    public static Cycle NextYear(DateOnly after)
    {
        var day = after.AddDays(1);
        var year = day is { Month: 1, Day: 1 } ? day.Year : day.Year + 1;
        return new Cycle { Name = $"{year}", Start = new DateOnly(year, 1, 1), End = new DateOnly(year, 12, 31), Kind = CycleKind.Year };
    }

    public const int MaxNameLength = 100;

    /// <summary>
    /// The rules a cycle must satisfy, for the API, the pages and the importer: its dates, its kind and state, and that
    /// it lies within <paramref name="parent"/> when nested. Whether the parent exists needs the database.
    /// </summary>
    public ValidationErrors Validate(Cycle? parent = null) => new ValidationErrors()
        .Text(Name, "name", MaxNameLength)
        .Require(End >= Start, "end", "must not be before start.")
        .Require(Start.Year is >= 2000 and <= 2200, "start", "must be between the years 2000 and 2200.")
        .Require(End.DayNumber - Start.DayNumber <= 3 * 366, "end", "a cycle spans at most three years.")
        .Require(Enum.IsDefined(Kind), "kind", "must be quarter, year or custom.")
        .Require(Enum.IsDefined(State), "state", "must be planning, active or closed.")
        .Require(parent is null || parent.Id == Id || (parent.Start <= Start && parent.End >= End), "parentCycleId", "A nested cycle lies within its parent.");

    /// <summary>
    /// Why the cycle may not be closed for <paramref name="teamId"/> (null: for the company), or null when it may:
    /// a closed cycle is closed for everyone, and each scope closes once (<paramref name="closedBefore"/>, which needs the database).
    /// </summary>
    public string? WhyNotClose(Guid? teamId, bool closedBefore) =>
        State != CycleState.Closed && !closedBefore ? null
        : teamId is null ? "The cycle is already closed."
        : "The cycle is already closed for this team.";

    /// <summary>
    /// Why no objective may be added to the cycle (created in it or moved into it) for an owner team whose close
    /// <paramref name="closedForTeam"/> says happened (which needs the database), or null when one may: the company's
    /// close closes the cycle for everyone, a team's close for that team's objectives.
    /// </summary>
    public string? WhyClosedForObjectives(bool closedForTeam) =>
        State == CycleState.Closed ? $"The cycle {Name} is closed; its objectives are read-only."
        : closedForTeam ? $"The cycle {Name} is closed for this team; its objectives are read-only."
        : null;

    /// <summary>
    /// Closes the cycle for <paramref name="teamId"/>, or with no team for the company, which closes the cycle itself.
    /// The close's grades and snapshot follow on the returned <see cref="CycleClosing"/>.
    /// </summary>
    public CycleClosing Close(Guid? teamId, bool closedBefore, DateTime now, Guid? closedById, string? closedByName)
    {
        if (WhyNotClose(teamId, closedBefore) is { } why)
        {
            throw new InvalidOperationException(why);
        }

        if (teamId is null)
        {
            State = CycleState.Closed;
        }

        return new CycleClosing
        {
            OrganisationId = OrganisationId,
            CycleId = Id,
            TeamId = teamId,
            ClosedAt = now,
            ClosedById = closedById,
            ClosedByName = closedByName,
        };
    }

    /// <summary>The cycle as instants: from the start of its first day to the end of its last day, in <paramref name="zone"/>.</summary>
    public CycleWindow Window(TimeZoneInfo zone) => CycleWindow.FromDates(Start, End, zone);
}

/// <summary>A half-open interval of time [Start, End) over which pace and forecasts are computed.</summary>
public readonly record struct CycleWindow(DateTimeOffset Start, DateTimeOffset End)
{
    public static CycleWindow FromDates(DateOnly start, DateOnly end, TimeZoneInfo zone) =>
        new(StartOfDay(start, zone), StartOfDay(end.AddDays(1), zone));

    /// <summary>
    /// The date in <paramref name="zone"/> at the instant <paramref name="at"/>: the organisation's "today" when
    /// <paramref name="at"/> is now. The inverse of <see cref="StartOfDay"/>.
    /// </summary>
    public static DateOnly DateOf(DateTimeOffset at, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    public static DateTimeOffset StartOfDay(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A day that starts inside a daylight-saving gap starts at the first valid instant after it.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        // Where clocks go back at midnight, the day starts at the first of the two midnights (the larger offset).
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    public TimeSpan Length => End - Start;

    public bool Contains(DateTimeOffset t) => t >= Start && t < End;
}
