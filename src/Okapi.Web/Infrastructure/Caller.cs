using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// Who is calling, loaded once per request: their person, role, teams and (for a token) its scopes.
/// Access rules that every feature shares live here.
/// </summary>
public sealed class Caller
{
    public const string OrganisationClaim = "okapi:org";
    public const string ScopeClaim = "okapi:scope";

    public Guid PersonId { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string Name { get; private set; } = "";
    public Role Role { get; private set; }
    public IReadOnlySet<Guid> TeamIds { get; private set; } = new HashSet<Guid>();

    /// <summary>Scopes of the bearer token; null for a signed-in person (limited by role only).</summary>
    public IReadOnlySet<TokenScope>? Scopes { get; private set; }
    public bool IsAuthenticated { get; private set; }

    public bool IsAdmin => Role == Role.Admin && HasScope(TokenScope.Admin);
    public bool CanWrite => Role >= Role.Member && HasScope(TokenScope.Write);

    public bool HasScope(TokenScope scope) => Scopes is null || Scopes.Contains(TokenScope.Admin) || Scopes.Contains(scope) ||
        (scope == TokenScope.Read && Scopes.Contains(TokenScope.Write));

    /// <summary>Loads the caller from the authenticated principal and points the context at their organisation.</summary>
    public async Task<bool> LoadAsync(ClaimsPrincipal principal, OkapiDbContext db, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var personId) ||
            !Guid.TryParse(principal.FindFirstValue(OrganisationClaim), out var organisationId))
        {
            return false;
        }

        db.OrganisationId = organisationId;
        var person = await db.People.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new { p.Name, p.Role }).FirstOrDefaultAsync(ct);
        if (person is null)
        {
            return false;
        }

        PersonId = personId;
        OrganisationId = organisationId;
        Name = person.Name;
        Role = person.Role;
        TeamIds = (await db.TeamMemberships.Where(m => m.PersonId == personId).Select(m => m.TeamId).ToListAsync(ct)).ToHashSet();
        var scopes = principal.FindAll(ScopeClaim).Select(c => Enum.Parse<TokenScope>(c.Value)).ToHashSet();
        Scopes = principal.Identity?.AuthenticationType == BearerTokenHandler.SchemeName ? scopes : null;
        IsAuthenticated = true;
        db.ActorId = personId;
        db.ActorName = person.Name;
        return true;
    }

    /// <summary>
    /// Loads a person as the caller without a request (a signed-in person's rules, no token scopes), by the same code
    /// that loads a signed-in person: for work the app does on someone's behalf or as someone.
    /// </summary>
    public Task<bool> LoadAsync(Person person, OkapiDbContext db, CancellationToken ct) =>
        LoadAsync(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, person.Id.ToString()), new Claim(OrganisationClaim, person.OrganisationId.ToString())], "Okapi.System")), db, ct);

    /// <summary>Whether the caller may see an objective: public ones, and private ones of their team, their own, or as admin.</summary>
    public bool CanSee(Objective o) => o.IsVisibleTo(PersonId, Role, TeamIds);

    /// <summary>The objectives the caller may see, as a query (the same rule as <see cref="CanSee"/>).</summary>
    public IQueryable<Objective> Visible(IQueryable<Objective> objectives)
    {
        if (Role == Role.Admin)
        {
            return objectives;
        }

        var me = PersonId;
        var teams = TeamIds.ToList();
        return objectives.Where(o => o.Visibility == Visibility.Public || o.OwnerPersonId == me ||
            (o.OwnerTeamId != null && teams.Contains(o.OwnerTeamId.Value)));
    }

    /// <summary>Members edit what they or their teams own; admins edit everything.</summary>
    public bool CanEdit(Objective o) =>
        CanWrite && (Role == Role.Admin || o.OwnerPersonId == PersonId || (o.OwnerTeamId is { } team && TeamIds.Contains(team)));

    /// <summary>A key result's owner may check in on it and edit it even when the objective belongs to another team.</summary>
    public bool CanEdit(Objective o, KeyResult k) => CanEdit(o) || (CanWrite && k.OwnerPersonId == PersonId);

    /// <summary>KPIs follow the objectives' rule: public ones, and private ones of the caller's team, their own, or as admin.</summary>
    public bool CanSee(Kpi k) =>
        k.Visibility == Visibility.Public || Role == Role.Admin || k.OwnerPersonId == PersonId ||
        (k.OwnerTeamId is { } team && TeamIds.Contains(team));

    /// <summary>The KPIs the caller may see, as a query (the same rule as <see cref="CanSee(Kpi)"/>).</summary>
    public IQueryable<Kpi> Visible(IQueryable<Kpi> kpis)
    {
        if (Role == Role.Admin)
        {
            return kpis;
        }

        var me = PersonId;
        var teams = TeamIds.ToList();
        return kpis.Where(k => k.Visibility == Visibility.Public || k.OwnerPersonId == me ||
            (k.OwnerTeamId != null && teams.Contains(k.OwnerTeamId.Value)));
    }

    /// <summary>Members edit the KPIs they or their teams own (and their alert rules); admins edit every KPI.</summary>
    public bool CanEdit(Kpi k) =>
        CanWrite && (Role == Role.Admin || k.OwnerPersonId == PersonId || (k.OwnerTeamId is { } team && TeamIds.Contains(team)));

    /// <summary>
    /// Whether the caller may push values to a KPI: its editors, and <c>kpi:ingest</c> tokens of members, which may
    /// write values to any KPI they can see (an integration feeds many teams' KPIs) and nothing else.
    /// </summary>
    public bool CanIngest(Kpi k) =>
        CanSee(k) && (CanEdit(k) || (Role >= Role.Member && Scopes is not null && HasScope(TokenScope.KpiIngest)));
}
