using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Search;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Components.Ui;

/// <summary>Who is signed in to this browser tab, as the pages need it: the same <see cref="Core.Access.Actor"/> the services ask.</summary>
public sealed record Me(Actor Actor, string Name)
{
    public Guid PersonId => Actor.PersonId;
    public Guid OrganisationId => Actor.OrganisationId;
    public Role Role => Actor.Role;
    public IReadOnlySet<Guid> TeamIds => Actor.TeamIds;
    public bool IsAdmin => Actor.IsAdmin;
    public bool CanWrite => Actor.CanWrite;
}

/// <summary>
/// A page's way to the feature services. Each call runs in a fresh DI scope (its own DbContext and
/// <see cref="Caller"/>), because a circuit lives for minutes and a DbContext must not. The services are the
/// same ones the REST API calls, so the same rules apply in both.
/// </summary>
public sealed class OkapiSession(IServiceScopeFactory scopes, AuthenticationStateProvider authentication)
{
    private Me? _me;

    public async Task<Me> MeAsync()
    {
        if (_me is null)
        {
            await RunAsync<Caller, bool>(caller =>
            {
                _me = new Me(caller.Actor, caller.Name);
                return Task.FromResult(true);
            });
        }

        return _me!;
    }

    public async Task<T> RunAsync<TService, T>(Func<TService, Task<T>> action) where TService : notnull
    {
        var state = await authentication.GetAuthenticationStateAsync();
        await using var scope = scopes.CreateAsyncScope();
        var caller = scope.ServiceProvider.GetRequiredService<Caller>();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        if (!await caller.LoadAsync(state.User, db, CancellationToken.None))
        {
            throw new UnauthorizedAccessException("The session has ended: sign in again.");
        }

        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Every item of a paged list, page by page at the largest page size, for pages that show them all.</summary>
    public async Task<List<T>> ListAllAsync<TService, T>(Func<TService, PageRequest, Task<Page<T>>> list) where TService : notnull
    {
        var all = new List<T>();
        for (var number = 1; ; number++)
        {
            var page = await RunAsync<TService, Page<T>>(s => list(s, new PageRequest(number, PageRequest.MaxPageSize)));
            all.AddRange(page.Items);
            if (all.Count >= page.Total || page.Items.Count == 0)
            {
                return all;
            }
        }
    }

    /// <summary>Reads straight from the organisation's data, for look-ups that no feature service owns (names, pickers).</summary>
    public Task<T> QueryAsync<T>(Func<OkapiDbContext, Task<T>> query) => RunAsync(query);

    /// <summary>
    /// The organisation's time zone and cycles: a handful of rows whatever its size. Names of teams and people are not
    /// in it; a page adds those it shows with <see cref="NamesAsync"/>, and pickers search with <see cref="FindAsync"/>.
    /// </summary>
    public async Task<OrgDirectory> DirectoryAsync() => await QueryAsync(async db => new OrgDirectory(
        await db.Organisations.AsNoTracking().Where(o => o.Id == db.OrganisationId).Select(o => o.TimeZone).FirstAsync(),
        await db.Cycles.AsNoTracking().OrderByDescending(c => c.Start).ToListAsync(),
        new Dictionary<Guid, string>()));

    /// <summary>The names of the given teams, people and KPIs the caller may see (ids of any kind), in one statement.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IEnumerable<Guid?> ids)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        return await RunAsync<IServiceProvider, Dictionary<Guid, string>>(async services =>
        {
            var db = services.GetRequiredService<OkapiDbContext>();
            var caller = services.GetRequiredService<Caller>();
            return await db.Teams.AsNoTracking().Where(t => wanted.Contains(t.Id)).Select(t => new { t.Id, t.Name })
                .Concat(db.People.AsNoTracking().Where(p => wanted.Contains(p.Id)).Select(p => new { p.Id, p.Name }))
                .Concat(caller.Visible(db.Kpis.AsNoTracking()).Where(k => wanted.Contains(k.Id)).Select(k => new { k.Id, k.Name }))
                .ToDictionaryAsync(e => e.Id, e => e.Name);
        });
    }

    /// <summary>Teams or people whose name contains <paramref name="text"/>, at most <paramref name="limit"/>: what a picker offers.</summary>
    public async Task<IReadOnlyList<DirectoryEntry>> FindAsync(DirectoryKind kind, string? text, int limit)
    {
        var hits = await RunAsync<SearchService, IReadOnlyList<SearchHit>>(s => kind == DirectoryKind.Team
            ? s.TeamsAsync(text, limit, CancellationToken.None)
            : s.PeopleAsync(text, limit, CancellationToken.None));
        return hits.Select(h => new DirectoryEntry(h.Id, h.Title)).ToList();
    }
}

public enum DirectoryKind
{
    Team,
    Person,
}

public sealed record DirectoryEntry(Guid Id, string Name);

/// <summary>
/// The organisation's time zone and cycles, and the names of the teams, people and KPIs a page shows (never all of them: an
/// organisation may have thousands).
/// </summary>
public sealed record OrgDirectory(string TimeZone, IReadOnlyList<Cycle> Cycles, IReadOnlyDictionary<Guid, string> Names)
{
    public string TeamName(Guid? id) => Name(id);

    public string PersonName(Guid? id) => Name(id);

    public string KpiName(Guid? id) => Name(id);

    public Cycle? CurrentCycle => Cycles.FirstOrDefault(c => c.State == CycleState.Active) ?? Cycles.FirstOrDefault();

    public TimeZoneInfo Zone => Organisation.ZoneOf(TimeZone);

    /// <summary>This directory with more names; a name already known is replaced by the newer one.</summary>
    public OrgDirectory With(IReadOnlyDictionary<Guid, string> names)
    {
        if (names.Count == 0)
        {
            return this;
        }

        var merged = new Dictionary<Guid, string>(Names);
        foreach (var (id, name) in names)
        {
            merged[id] = name;
        }

        return this with { Names = merged };
    }

    private string Name(Guid? id) => id is { } known && Names.TryGetValue(known, out var name) ? name : "";
}
