using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
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

    public async Task<OrgDirectory> DirectoryAsync() => await QueryAsync(async db => new OrgDirectory(
        await db.Organisations.AsNoTracking().Where(o => o.Id == db.OrganisationId).Select(o => o.TimeZone).FirstAsync(),
        await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new DirectoryEntry(t.Id, t.Name, t.ParentTeamId)).ToListAsync(),
        await db.People.AsNoTracking().OrderBy(p => p.Name).Select(p => new DirectoryEntry(p.Id, p.Name, null)).ToListAsync(),
        await db.Cycles.AsNoTracking().OrderByDescending(c => c.Start).ToListAsync()));
}

public sealed record DirectoryEntry(Guid Id, string Name, Guid? ParentId);

/// <summary>Names of teams and people and the cycles, for labels and pickers.</summary>
public sealed record OrgDirectory(string TimeZone, IReadOnlyList<DirectoryEntry> Teams, IReadOnlyList<DirectoryEntry> People, IReadOnlyList<Cycle> Cycles)
{
    public string TeamName(Guid? id) => Teams.FirstOrDefault(t => t.Id == id)?.Name ?? "";

    public string PersonName(Guid? id) => People.FirstOrDefault(p => p.Id == id)?.Name ?? "";

    public Cycle? CurrentCycle => Cycles.FirstOrDefault(c => c.State == CycleState.Active) ?? Cycles.FirstOrDefault();

    public DirectoryEntry? Company => Teams.FirstOrDefault(t => t.ParentId is null);

    public TimeZoneInfo Zone => Organisation.ZoneOf(TimeZone);
}
