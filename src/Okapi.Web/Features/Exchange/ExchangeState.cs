using Microsoft.EntityFrameworkCore;
using Okapi.Core.Exchange;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
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

    /// <summary>
    /// Links that are not among <see cref="Links"/>, as edges from child to parent objective: the rest of the alignment
    /// graph, which an import checks for loops without loading its rows.
    /// </summary>
    public List<AlignmentEdge> OtherEdges { get; init; } = [];

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

    /// <summary>
    /// What an import of a document needs, untracked: the rows the document names (people by email, KPIs and
    /// objectives by key, with the key results, links and check-ins of those objectives) and, for keys and loops, a
    /// compact view of the rest (every objective's key or title, every link's edge). Teams and cycles are few and
    /// load whole.
    /// </summary>
    public static async Task<ExchangeState> LoadForImportAsync(OkapiDbContext db, Caller caller, DocumentNames names, CancellationToken ct)
    {
        var emails = names.Emails.Select(e => e.ToLowerInvariant()).Distinct().ToList();
        var kpiKeys = names.Kpis.Distinct().ToList();
        var visible = caller.Visible(db.Objectives.AsNoTracking());
        var keyed = await visible.Select(o => new KeyedRow(o.Id, Guid.Empty, o.Key, o.Title, o.CreatedAt)).ToListAsync(ct);
        var objectiveKeys = new Dictionary<Guid, string>();
        Derive(keyed, objectiveKeys);
        var wanted = names.Objectives.ToHashSet(StringComparer.Ordinal);
        var ids = objectiveKeys.Where(k => wanted.Contains(k.Value)).Select(k => k.Key).ToList();

        var state = new ExchangeState
        {
            Organisation = await db.Organisations.FirstAsync(o => o.Id == db.OrganisationId, ct),
            People = await db.People.AsNoTracking().Where(p => emails.Contains(p.Email.ToLower())).ToListAsync(ct),
            Teams = await db.Teams.AsNoTracking().Include(t => t.Members).ToListAsync(ct),
            Cycles = await db.Cycles.AsNoTracking().ToListAsync(ct),
            Kpis = await caller.Visible(db.Kpis.AsNoTracking()).Where(k => kpiKeys.Contains(k.Key)).ToListAsync(ct),
            Objectives = await visible.Where(o => ids.Contains(o.Id)).ToListAsync(ct),
            KeyResults = await db.KeyResults.AsNoTracking().Where(k => ids.Contains(k.ObjectiveId)).ToListAsync(ct),
            Links = await db.ObjectiveLinks.AsNoTracking().Where(l => ids.Contains(l.ChildObjectiveId)).ToListAsync(ct),
            OtherEdges = (await db.ObjectiveLinks.AsNoTracking()
                    .Where(l => !ids.Contains(l.ChildObjectiveId) && visible.Any(o => o.Id == l.ChildObjectiveId))
                    .Select(l => new
                    {
                        l.ChildObjectiveId,
                        Parent = l.ParentObjectiveId ?? db.KeyResults.Where(k => k.Id == l.ParentKeyResultId).Select(k => (Guid?)k.ObjectiveId).FirstOrDefault(),
                    })
                    .ToListAsync(ct))
                .Where(l => l.Parent is not null).Select(l => new AlignmentEdge(l.ChildObjectiveId, l.Parent!.Value)).ToList(),
        };
        foreach (var (id, key) in objectiveKeys.Where(k => ids.Contains(k.Key)))
        {
            state.ObjectiveKeys[id] = key;
        }

        Derive(state.Teams.Select(t => new KeyedRow(t.Id, Guid.Empty, t.Key, t.Name, t.CreatedAt)), state.TeamKeys);
        Derive(state.Cycles.Select(c => new KeyedRow(c.Id, Guid.Empty, c.Key, c.Name, c.CreatedAt)), state.CycleKeys);
        DeriveKeyResultKeys(state);
        return state;
    }

    /// <summary>A row as its key is derived: its stored key, else the slug of its name, numbered in creation order.</summary>
    private readonly record struct KeyedRow(Guid Id, Guid Group, string? Key, string Name, DateTime CreatedAt);

    /// <summary>Creation order (then id) is the stable order in which equal names are numbered.</summary>
    public void DeriveKeys()
    {
        Derive(Teams.Select(t => new KeyedRow(t.Id, Guid.Empty, t.Key, t.Name, t.CreatedAt)), TeamKeys);
        Derive(Cycles.Select(c => new KeyedRow(c.Id, Guid.Empty, c.Key, c.Name, c.CreatedAt)), CycleKeys);
        Derive(Objectives.Select(o => new KeyedRow(o.Id, Guid.Empty, o.Key, o.Title, o.CreatedAt)), ObjectiveKeys);
        DeriveKeyResultKeys(this);
    }

    /// <summary>A key result's key is unique within its objective.</summary>
    private static void DeriveKeyResultKeys(ExchangeState state)
    {
        foreach (var group in state.KeyResults.Select(k => new KeyedRow(k.Id, k.ObjectiveId, k.Key, k.Title, k.CreatedAt)).GroupBy(k => k.Group))
        {
            Derive(group, state.KeyResultKeys);
        }
    }

    private static void Derive(IEnumerable<KeyedRow> rows, Dictionary<Guid, string> into)
    {
        foreach (var (row, key) in StableKeys.Assign(rows.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id), r => r.Key, r => KpiService.Slug(r.Name)))
        {
            into[row.Id] = key;
        }
    }
}

/// <summary>What a document names: the emails of people, the keys of KPIs and objectives it holds or refers to.</summary>
internal sealed record DocumentNames(IReadOnlyCollection<string> Emails, IReadOnlyCollection<string> Kpis, IReadOnlyCollection<string> Objectives)
{
    public static DocumentNames Of(OkrDocument document)
    {
        var emails = new List<string?>();
        emails.AddRange((document.People ?? []).Select(p => p.Email));
        emails.AddRange((document.Teams ?? []).SelectMany(t => t.Members ?? []).Select(m => m.Email));
        emails.AddRange((document.Kpis ?? []).Select(k => k.OwnerPerson));
        var objectives = document.Objectives ?? [];
        emails.AddRange(objectives.Select(o => o.OwnerPerson));
        var keyResults = objectives.SelectMany(o => o.KeyResults ?? []).ToList();
        emails.AddRange(keyResults.Select(k => k.Owner));
        emails.AddRange(keyResults.SelectMany(k => k.CheckIns ?? []).Select(c => c.Author));
        var kpis = (document.Kpis ?? []).Select(k => k.Key).Concat(keyResults.Select(k => k.Kpi).OfType<string>());
        var objectiveKeys = objectives.Select(o => o.Key)
            .Concat(objectives.SelectMany(o => o.Parents ?? []).Select(p => p.Objective))
            .Concat(objectives.Select(o => o.ContinuedFrom).OfType<string>());
        return new DocumentNames(
            emails.OfType<string>().Select(e => e.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            kpis.Distinct(StringComparer.Ordinal).ToList(),
            objectiveKeys.Distinct(StringComparer.Ordinal).ToList());
    }
}
