using Microsoft.EntityFrameworkCore;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

/// <summary>
/// A cycle's alignment, read by neighbourhood: the top of the tree, or one objective with the objectives it is aligned
/// to and those aligned to it. Every objective comes with how many children the caller may see, so that a tree shows
/// an expander without loading them; a link to a key result counts as a link to its objective.
/// </summary>
public sealed class AlignmentService(OkapiDbContext db, Caller caller, ObjectiveService objectives)
{
    public const int DefaultDepth = 3;
    public const int DefaultRootDepth = 1;
    public const int MaxDepth = 4;
    public const int UnalignedPageSize = 50;

    /// <summary>
    /// Without <paramref name="root"/>: the roots of the cycle's tree (objectives aligned to nothing the caller sees in
    /// the cycle, the company's first) and <paramref name="depth"/> levels in all, roots included, with one page of the
    /// unaligned objectives. With it: that objective, the objectives it is aligned to, and <paramref name="depth"/>
    /// levels below it.
    /// </summary>
    public async Task<Outcome<AlignmentDto>> AlignmentAsync(Guid cycleId, Guid? root, int? depth, int? unalignedPage, CancellationToken ct)
    {
        var levels = Math.Clamp(depth ?? (root is null ? DefaultDepth : DefaultRootDepth), 1, MaxDepth);
        var tree = new Neighbourhood();
        IReadOnlyList<Objective> unaligned = [];
        var unalignedTotal = 0;
        if (root is { } rootId)
        {
            var objective = await InCycle(cycleId).FirstOrDefaultAsync(o => o.Id == rootId, ct);
            if (objective is null)
            {
                return Failure.NotFound;
            }

            tree.Start([objective]);
            foreach (var parent in await ParentsAsync(cycleId, rootId, ct))
            {
                tree.AddAbove(parent.Link, parent.ParentId!.Value, parent.Objective);
            }

            await ExpandAsync(cycleId, tree, levels, ct);
        }
        else
        {
            var companyTeamId = await db.Teams.Where(t => t.ParentTeamId == null).OrderBy(t => t.CreatedAt).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
            tree.Start(await RootsAsync(cycleId, companyTeamId, ct));
            await ExpandAsync(cycleId, tree, levels - 1, ct);
            var query = Unaligned(cycleId, companyTeamId);
            var page = Math.Clamp(unalignedPage ?? 1, 1, PageRequest.MaxPage);
            unaligned = await query.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).Skip((page - 1) * UnalignedPageSize).Take(UnalignedPageSize).ToListAsync(ct);
            // Usually they all fit on the first page, and counting them would read the cycle a second time.
            unalignedTotal = page == 1 && unaligned.Count < UnalignedPageSize ? unaligned.Count : await query.CountAsync(ct);
        }

        var all = tree.Objectives.Concat(unaligned.Where(o => !tree.Contains(o.Id))).ToList();
        var counts = await ChildCountsAsync(cycleId, all.Select(o => o.Id).Where(id => !tree.Expanded.Contains(id)).ToList(), ct);
        foreach (var (parentId, children) in tree.ChildrenOfExpanded())
        {
            counts[parentId] = children;
        }

        return new AlignmentDto(
            await objectives.ToDtosAsync(all, ct),
            tree.Links.Select(l => new AlignmentEdgeDto(l.Link.ChildObjectiveId, l.ParentId, l.Link.ParentKeyResultId, l.Link.Weight, l.Link.RollsUp)).ToList(),
            unaligned.Select(o => o.Id).ToList(),
            tree.Roots,
            all.ToDictionary(o => o.Id, o => counts.GetValueOrDefault(o.Id)),
            unalignedTotal);
    }

    /// <summary>The cycle's objectives that the caller sees, archived ones left out.</summary>
    private IQueryable<Objective> InCycle(Guid cycleId) => caller.Visible(db.Objectives.AsNoTracking()).InUse().Where(o => o.CycleId == cycleId);

    /// <summary>Every link with the objective it points at, the objective of its key result when it points at one.</summary>
    private IQueryable<ResolvedLink> Links() =>
        from l in db.ObjectiveLinks.AsNoTracking()
        from k in db.KeyResults.Where(k => k.Id == l.ParentKeyResultId).DefaultIfEmpty()
        select new ResolvedLink { Link = l, ParentId = l.ParentObjectiveId ?? (Guid?)k!.ObjectiveId };

    /// <summary>
    /// The links to these objectives or to their key results: two lookups by index (by parent objective, and by key
    /// result through its objective), where one on the resolved parent would read every link of the organisation.
    /// </summary>
    private IQueryable<ResolvedLink> LinksTo(List<Guid> parentIds) =>
        (from l in db.ObjectiveLinks.AsNoTracking()
         where EF.Parameter(parentIds).Contains(l.ParentObjectiveId!.Value)
         select new ResolvedLink { Link = l, ParentId = l.ParentObjectiveId })
        .Concat(
            from k in db.KeyResults
            where EF.Parameter(parentIds).Contains(k.ObjectiveId)
            join l in db.ObjectiveLinks.AsNoTracking() on k.Id equals l.ParentKeyResultId
            select new ResolvedLink { Link = l, ParentId = k.ObjectiveId });

    /// <summary>
    /// Where the tree starts: objectives aligned to nothing the caller sees in the cycle, apart from the unaligned ones
    /// (outside the company level and aligned to nothing at all); the company's first.
    /// </summary>
    private async Task<List<Objective>> RootsAsync(Guid cycleId, Guid? companyTeamId, CancellationToken ct)
    {
        var visible = InCycle(cycleId);
        var links = Links();
        return await visible
            .Where(o => !links.Any(l => l.Link.ChildObjectiveId == o.Id && visible.Any(p => p.Id == l.ParentId)))
            .Where(o => o.OwnerTeamId == companyTeamId || db.ObjectiveLinks.Any(l => l.ChildObjectiveId == o.Id))
            .OrderBy(o => o.OwnerTeamId == companyTeamId ? 0 : 1).ThenBy(o => o.CreatedAt).ThenBy(o => o.Id)
            .ToListAsync(ct);
    }

    /// <summary>Objectives outside the company level that are aligned to nothing: those the alignment page asks to align.</summary>
    private IQueryable<Objective> Unaligned(Guid cycleId, Guid? companyTeamId) =>
        InCycle(cycleId).Where(o => o.OwnerTeamId != companyTeamId && !db.ObjectiveLinks.Any(l => l.ChildObjectiveId == o.Id));

    private async Task<List<Related>> ParentsAsync(Guid cycleId, Guid childId, CancellationToken ct) => await (
        from l in Links()
        where l.Link.ChildObjectiveId == childId
        join p in InCycle(cycleId) on l.ParentId equals p.Id
        orderby p.CreatedAt, p.Id
        select new Related { Link = l.Link, ParentId = l.ParentId, Objective = p }).ToListAsync(ct);

    /// <summary>Adds <paramref name="levels"/> levels of children below the newest level of <paramref name="tree"/>, one statement a level.</summary>
    private async Task ExpandAsync(Guid cycleId, Neighbourhood tree, int levels, CancellationToken ct)
    {
        for (var level = 0; level < levels && tree.Frontier.Count > 0; level++)
        {
            var parentIds = tree.Frontier.Select(o => o.Id).ToList();
            var children = await (
                from l in LinksTo(parentIds)
                join c in InCycle(cycleId) on l.Link.ChildObjectiveId equals c.Id
                orderby c.CreatedAt, c.Id
                select new Related { Link = l.Link, ParentId = l.ParentId, Objective = c }).ToListAsync(ct);
            tree.AddBelow(children.Select(c => (c.Link, c.ParentId!.Value, c.Objective)));
        }
    }

    /// <summary>How many objectives the caller sees in the cycle are aligned to each of these, directly or through a key result.</summary>
    private async Task<Dictionary<Guid, int>> ChildCountsAsync(Guid cycleId, List<Guid> parentIds, CancellationToken ct)
    {
        if (parentIds.Count == 0)
        {
            return [];
        }

        var counts = await (
            from l in LinksTo(parentIds)
            join c in InCycle(cycleId) on l.Link.ChildObjectiveId equals c.Id
            group c.Id by l.ParentId into g
            select new { ParentId = g.Key!.Value, Children = g.Distinct().Count() }).ToListAsync(ct);
        return counts.ToDictionary(c => c.ParentId, c => c.Children);
    }

    private sealed class ResolvedLink
    {
        public required ObjectiveLink Link { get; init; }
        public Guid? ParentId { get; init; }
    }

    /// <summary>A link with the objective at its other end (the parent when going up, the child when going down).</summary>
    private sealed class Related
    {
        public required ObjectiveLink Link { get; init; }
        public Guid? ParentId { get; init; }
        public required Objective Objective { get; init; }
    }

    /// <summary>The objectives loaded so far, level by level, and the links between them.</summary>
    private sealed class Neighbourhood
    {
        private readonly List<Objective> _objectives = [];
        private readonly HashSet<Guid> _ids = [];
        private readonly List<(ObjectiveLink Link, Guid ParentId)> _links = [];

        public IReadOnlyList<Guid> Roots { get; private set; } = [];
        public IReadOnlyList<Objective> Objectives => _objectives;
        public IReadOnlyList<(ObjectiveLink Link, Guid ParentId)> Links => _links;

        /// <summary>The newest level, whose children are not loaded yet.</summary>
        public List<Objective> Frontier { get; private set; } = [];

        /// <summary>The objectives whose children are all loaded.</summary>
        public HashSet<Guid> Expanded { get; } = [];

        public bool Contains(Guid id) => _ids.Contains(id);

        public void Start(IReadOnlyList<Objective> roots)
        {
            Roots = roots.Select(o => o.Id).ToList();
            Frontier = roots.Where(o => _ids.Add(o.Id)).ToList();
            _objectives.AddRange(Frontier);
        }

        public void AddAbove(ObjectiveLink link, Guid parentId, Objective parent)
        {
            if (_ids.Add(parent.Id))
            {
                _objectives.Add(parent);
            }

            _links.Add((link, parentId));
        }

        public void AddBelow(IEnumerable<(ObjectiveLink Link, Guid ParentId, Objective Child)> children)
        {
            Expanded.UnionWith(Frontier.Select(o => o.Id));
            var next = new List<Objective>();
            foreach (var (link, parentId, child) in children)
            {
                if (_ids.Add(child.Id))
                {
                    _objectives.Add(child);
                    next.Add(child);
                }

                _links.Add((link, parentId));
            }

            Frontier = next;
        }

        /// <summary>The number of distinct children of each expanded objective, from the links loaded.</summary>
        public IEnumerable<(Guid ParentId, int Children)> ChildrenOfExpanded()
        {
            var children = _links.ToLookup(l => l.ParentId, l => l.Link.ChildObjectiveId);
            return Expanded.Select(id => (id, children[id].Distinct().Count()));
        }
    }
}
