using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Search;

/// <summary>What a search hit is: `objective`, `keyResult`, `team`, `person` or `kpi`.</summary>
public enum SearchKind
{
    Objective,
    KeyResult,
    Team,
    Person,
    Kpi,
}

/// <summary>One search result.</summary>
/// <param name="Kind">What was found: `objective`, `keyResult`, `team`, `person` or `kpi`.</param>
/// <param name="Id">Its id.</param>
/// <param name="Title">Its title or name.</param>
/// <param name="Context">A second line: a key result's objective title, a KPI's key, a team's mission or a person's email; none for an objective.</param>
/// <param name="Url">The app's page for it, a path such as `/objectives/{id}`.</param>
public sealed record SearchHit(SearchKind Kind, Guid Id, string Title, string? Context, string Url);

/// <summary>Finds objectives, key results, KPIs, teams and people by name; private objectives and KPIs stay hidden as everywhere.</summary>
public sealed class SearchService(OkapiDbContext db, Caller caller)
{
    public const int MaxPerKind = 8;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string? text, CancellationToken ct)
    {
        var q = Normalise(text);
        if (q.Length == 0)
        {
            return [];
        }

        var visible = caller.Visible(db.Objectives.AsNoTracking()).InUse();
        var objectives = await visible.Where(o => o.Title.ToLower().Contains(q))
            .OrderByDescending(o => o.CreatedAt).Take(MaxPerKind)
            .Select(o => new SearchHit(SearchKind.Objective, o.Id, o.Title, null, "/objectives/" + o.Id)).ToListAsync(ct);
        var keyResults = await db.KeyResults.AsNoTracking()
            .Where(k => k.Title.ToLower().Contains(q))
            .Join(visible, k => k.ObjectiveId, o => o.Id, (k, o) => new { k.Id, k.Title, ObjectiveId = o.Id, Objective = o.Title, o.CreatedAt })
            .OrderByDescending(k => k.CreatedAt).Take(MaxPerKind)
            .Select(k => new SearchHit(SearchKind.KeyResult, k.Id, k.Title, k.Objective, "/objectives/" + k.ObjectiveId)).ToListAsync(ct);
        var kpis = await caller.Visible(db.Kpis.AsNoTracking()).InUse()
            .Where(k => k.Name.ToLower().Contains(q) || k.Key.ToLower().Contains(q))
            .OrderBy(k => k.Name).Take(MaxPerKind)
            .Select(k => new SearchHit(SearchKind.Kpi, k.Id, k.Name, k.Key, "/kpis/" + k.Id)).ToListAsync(ct);
        var teams = await TeamsAsync(q, MaxPerKind, ct);
        var people = await PeopleAsync(q, MaxPerKind, ct);
        return [.. objectives, .. keyResults, .. kpis, .. teams, .. people];
    }

    /// <summary>
    /// The text to look for, trimmed and in lower case, without NUL characters: PostgreSQL refuses them in a text
    /// parameter, and no name can hold one there.
    /// </summary>
    private static string Normalise(string? text) => (text ?? "").Replace("\0", "", StringComparison.Ordinal).Trim().ToLowerInvariant();

    /// <summary>Teams whose name contains the text (all teams when it is empty), by name, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<SearchHit>> TeamsAsync(string? text, int limit, CancellationToken ct)
    {
        var q = Normalise(text);
        return await db.Teams.AsNoTracking().Where(t => q.Length == 0 || t.Name.ToLower().Contains(q)).OrderBy(t => t.Name).Take(limit)
            .Select(t => new SearchHit(SearchKind.Team, t.Id, t.Name, t.Mission, "/okrs/team/" + t.Id)).ToListAsync(ct);
    }

    /// <summary>People whose name or email contains the text (everyone when it is empty), by name, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<SearchHit>> PeopleAsync(string? text, int limit, CancellationToken ct)
    {
        var q = Normalise(text);
        return await db.People.AsNoTracking().Where(p => q.Length == 0 || p.Name.ToLower().Contains(q) || p.Email.ToLower().Contains(q)).OrderBy(p => p.Name).Take(limit)
            .Select(p => new SearchHit(SearchKind.Person, p.Id, p.Name, p.Email, "/okrs/person/" + p.Id)).ToListAsync(ct);
    }
}

public static class SearchApi
{
    public static RouteGroupBuilder MapSearchApi(this RouteGroupBuilder api)
    {
        api.MapGet("/search", Search).WithTags("Search").WithSummary("Find objectives, key results, KPIs, teams and people by name.").WithDescription("Only objectives and KPIs the caller may see; at most 8 hits of each kind. An empty q finds nothing.");
        return api;
    }

    public static async Task<Ok<IReadOnlyList<SearchHit>>> Search(string? q, SearchService search, CancellationToken ct) =>
        TypedResults.Ok(await search.SearchAsync(q, ct));
}
