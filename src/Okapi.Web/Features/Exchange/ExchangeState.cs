using Microsoft.EntityFrameworkCore;
using Okapi.Core.Exchange;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Exchange;

/// <summary>
/// The organisation's rows with the key each one goes by in a document: its stored key, or one derived from its
/// name. Export writes these keys; import matches the document's keys against them. Read-only by itself.
/// </summary>
internal sealed class ExchangeState
{
    public required Core.Organisations.Organisation Organisation { get; init; }
    public required List<Person> People { get; init; }
    public required List<Team> Teams { get; init; }
    public required List<Cycle> Cycles { get; init; }
    public required List<Kpi> Kpis { get; init; }
    public required List<Objective> Objectives { get; init; }
    public required List<KeyResult> KeyResults { get; init; }
    public required List<ObjectiveLink> Links { get; init; }

    public Dictionary<Guid, string> TeamKeys { get; } = [];
    public Dictionary<Guid, string> CycleKeys { get; } = [];
    public Dictionary<Guid, string> ObjectiveKeys { get; } = [];
    public Dictionary<Guid, string> KeyResultKeys { get; } = [];

    /// <param name="tracked">Import changes the loaded rows; export only reads them.</param>
    public static async Task<ExchangeState> LoadAsync(OkapiDbContext db, Caller caller, bool tracked, CancellationToken ct)
    {
        IQueryable<T> Q<T>(IQueryable<T> q) where T : class => tracked ? q : q.AsNoTracking();

        var objectives = await caller.Visible(Q(db.Objectives)).ToListAsync(ct);
        var objectiveIds = objectives.Select(o => o.Id).ToHashSet();
        var state = new ExchangeState
        {
            Organisation = await Q(db.Organisations).FirstAsync(o => o.Id == db.OrganisationId, ct),
            People = await Q(db.People).ToListAsync(ct),
            Teams = await Q(db.Teams).Include(t => t.Members).ToListAsync(ct),
            Cycles = await Q(db.Cycles).ToListAsync(ct),
            Kpis = await caller.Visible(Q(db.Kpis)).ToListAsync(ct),
            Objectives = objectives,
            KeyResults = (await Q(db.KeyResults).ToListAsync(ct)).Where(k => objectiveIds.Contains(k.ObjectiveId)).ToList(),
            Links = (await Q(db.ObjectiveLinks).ToListAsync(ct)).Where(l => objectiveIds.Contains(l.ChildObjectiveId)).ToList(),
        };
        state.DeriveKeys();
        return state;
    }

    /// <summary>Creation order (then id) is the stable order in which equal names are numbered.</summary>
    public void DeriveKeys()
    {
        Copy(StableKeys.Assign(Teams.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id), t => t.Key, t => KpiService.Slug(t.Name)), TeamKeys, t => t.Id);
        Copy(StableKeys.Assign(Cycles.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id), c => c.Key, c => KpiService.Slug(c.Name)), CycleKeys, c => c.Id);
        Copy(StableKeys.Assign(Objectives.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id), o => o.Key, o => KpiService.Slug(o.Title)), ObjectiveKeys, o => o.Id);
        foreach (var group in KeyResults.GroupBy(k => k.ObjectiveId))
        {
            Copy(StableKeys.Assign(group.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id), k => k.Key, k => KpiService.Slug(k.Title)), KeyResultKeys, k => k.Id);
        }
    }

    private static void Copy<T>(Dictionary<T, string> keys, Dictionary<Guid, string> into, Func<T, Guid> id) where T : notnull
    {
        foreach (var (row, key) in keys)
        {
            into[id(row)] = key;
        }
    }
}
