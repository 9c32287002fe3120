using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Access;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Access;

/// <summary>
/// Who is calling, loaded once per request as an <see cref="Core.Access.Actor"/>: their person, role, teams and (for a
/// token) its scopes. The rules are the actor's; the members here hand the questions the services ask on to it.
/// Without a <see cref="CallerCache"/> (work outside a request) every load reads the database.
/// </summary>
public sealed class Caller(CallerCache? cache = null)
{
    public const string OrganisationClaim = "okapi:org";
    public const string ScopeClaim = "okapi:scope";

    private Actor? _actor;

    /// <summary>The caller's rules; only a loaded caller has them.</summary>
    public Actor Actor => _actor ?? throw new InvalidOperationException("The caller is not loaded.");

    public Guid PersonId => _actor?.PersonId ?? Guid.Empty;
    public string Name { get; private set; } = "";
    public Role Role => _actor?.Role ?? Role.Viewer;
    public IReadOnlySet<Guid> TeamIds => _actor?.TeamIds ?? new HashSet<Guid>();

    /// <summary>Scopes of the bearer token; null for a signed-in person (limited by role only).</summary>
    public IReadOnlySet<TokenScope>? Scopes => _actor?.Scopes;
    public bool IsAuthenticated => _actor is not null;

    public bool IsAdmin => Actor.IsAdmin;
    public bool CanWrite => Actor.CanWrite;

    /// <summary>Loads the caller from the authenticated principal and points the context at their organisation.</summary>
    public async Task<bool> LoadAsync(ClaimsPrincipal principal, OkapiDbContext db, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var personId) ||
            !Guid.TryParse(principal.FindFirstValue(OrganisationClaim), out var organisationId))
        {
            return false;
        }

        db.OrganisationId = organisationId;
        var person = cache is null ? await ReadAsync(db, personId, ct) : await cache.PersonAsync(organisationId, personId, () => ReadAsync(db, personId, ct));
        if (person is null)
        {
            return false;
        }

        var scopes = principal.Identity?.AuthenticationType == BearerTokenHandler.SchemeName
            ? principal.FindAll(ScopeClaim).Select(c => Enum.Parse<TokenScope>(c.Value))
            : null;
        _actor = new Actor(personId, organisationId, person.Role, person.TeamIds, person.LedTeamIds, scopes);
        Name = person.Name;
        db.ActorId = personId;
        db.ActorName = person.Name;
        return true;
    }

    /// <summary>The person's name, role and teams; null when the person is not in the context's organisation.</summary>
    private static async Task<CachedPerson?> ReadAsync(OkapiDbContext db, Guid personId, CancellationToken ct)
    {
        var person = await db.People.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new { p.Name, p.Role }).FirstOrDefaultAsync(ct);
        if (person is null)
        {
            return null;
        }

        var memberships = await db.TeamMemberships.Where(m => m.PersonId == personId).Select(m => new { m.TeamId, m.IsLead }).ToListAsync(ct);
        return new CachedPerson(person.Name, person.Role,
            memberships.Select(m => m.TeamId).ToList(), memberships.Where(m => m.IsLead).Select(m => m.TeamId).ToList());
    }

    /// <summary>
    /// Loads a person as the caller without a request (a signed-in person's rules, no token scopes), by the same code
    /// that loads a signed-in person: for work the app does on someone's behalf or as someone.
    /// </summary>
    public Task<bool> LoadAsync(Person person, OkapiDbContext db, CancellationToken ct) =>
        LoadAsync(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, person.Id.ToString()), new Claim(OrganisationClaim, person.OrganisationId.ToString())], "Okapi.System")), db, ct);

    public bool CanSee(Objective o) => Actor.MaySee(o);

    /// <summary>The objectives the caller may see, as a query (the same rule as <see cref="CanSee(Objective)"/>).</summary>
    public IQueryable<Objective> Visible(IQueryable<Objective> objectives) => objectives.Where(Actor.SeesObjective);

    public bool CanEdit(Objective o) => Actor.MayEdit(o);

    public bool CanEdit(Objective o, KeyResult k) => Actor.MayEdit(o, k);

    public bool CanSee(Kpi k) => Actor.MaySee(k);

    /// <summary>The KPIs the caller may see, as a query (the same rule as <see cref="CanSee(Kpi)"/>).</summary>
    public IQueryable<Kpi> Visible(IQueryable<Kpi> kpis) => kpis.Where(Actor.SeesKpi);

    public bool CanEdit(Kpi k) => Actor.MayEdit(k);

    public bool CanIngest(Kpi k) => Actor.MayIngest(k);
}
