using Microsoft.EntityFrameworkCore;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Okrs;

/// <summary>
/// Loads what the Core formulas need (cycles, key results, check-ins, alignment) for a set of objectives and
/// returns their computed scores. The formulas themselves live in Okapi.Core.
/// </summary>
public sealed class OkrScoring(OkapiDbContext db, Caller caller, TimeProvider clock)
{
    private const int MaxRollupDepth = 16;

    public sealed record Scored(
        IReadOnlyDictionary<Guid, Score> Objectives,
        IReadOnlyDictionary<Guid, KeyResultScore> KeyResults,
        ILookup<Guid, KeyResult> KeyResultsByObjective,
        IReadOnlyDictionary<Guid, CycleWindow> Windows,
        DateTimeOffset Now,
        IReadOnlyDictionary<Guid, Cycle> Cycles);

    public async Task<Scored> ScoreAsync(IReadOnlyCollection<Objective> objectives, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var zone = await TimeZoneAsync(ct);
        var all = objectives.ToDictionary(o => o.Id);
        var keyResults = new List<KeyResult>();
        var edges = new List<AlignmentEdge>();
        var pending = all.Keys.ToList();

        // Objectives without key results roll up from their children: load the graph below them, level by level.
        for (var depth = 0; pending.Count > 0 && depth < MaxRollupDepth; depth++)
        {
            var krs = await db.KeyResults.AsNoTracking().Where(k => pending.Contains(k.ObjectiveId)).ToListAsync(ct);
            keyResults.AddRange(krs);
            var withKrs = krs.Select(k => k.ObjectiveId).ToHashSet();
            var rollingUp = pending.Where(id => !withKrs.Contains(id)).ToList();
            if (rollingUp.Count == 0)
            {
                break;
            }

            var links = await db.ObjectiveLinks.AsNoTracking()
                .Where(l => l.ParentObjectiveId != null && rollingUp.Contains(l.ParentObjectiveId.Value) && l.RollsUp)
                .ToListAsync(ct);
            var newIds = links.Select(l => l.ChildObjectiveId).Where(id => !all.ContainsKey(id)).Distinct().ToList();
            // Only children the caller may see roll up, so that a private child's progress never shows through its parent.
            var children = await caller.Visible(db.Objectives.AsNoTracking()).Where(o => newIds.Contains(o.Id)).ToListAsync(ct);
            foreach (var child in children)
            {
                all[child.Id] = child;
            }

            edges.AddRange(links.Where(l => all.ContainsKey(l.ChildObjectiveId))
                .Select(l => new AlignmentEdge(l.ChildObjectiveId, l.ParentObjectiveId!.Value, l.Weight, l.RollsUp)));

            pending = children.Select(c => c.Id).ToList();
        }

        var cycleIds = all.Values.Select(o => o.CycleId).Distinct().ToList();
        var cycles = await db.Cycles.AsNoTracking().Where(c => cycleIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var windows = cycles.ToDictionary(c => c.Key, c => c.Value.Window(zone));
        var krIds = keyResults.Select(k => k.Id).ToList();
        // Scores need each check-in's instant, value and confidence; notes would only weigh on large reports.
        var checkIns = (krIds.Count == 0 ? [] : await db.CheckIns.AsNoTracking().Where(c => krIds.Contains(c.KeyResultId))
                .Select(c => new CheckIn { Id = c.Id, KeyResultId = c.KeyResultId, At = c.At, Value = c.Value, Confidence = c.Confidence, Source = c.Source })
                .ToListAsync(ct))
            .ToLookup(c => c.KeyResultId);

        var krScores = new Dictionary<Guid, KeyResultScore>();
        foreach (var kr in keyResults)
        {
            var window = windows[all[kr.ObjectiveId].CycleId];
            krScores[kr.Id] = KeyResultScore.Compute(kr, checkIns[kr.Id].ToList(), window, now);
        }

        var byObjective = keyResults.ToLookup(k => k.ObjectiveId);
        var own = all.Keys.ToDictionary(id => id, id => OwnScore(byObjective[id], krScores));
        var graph = new AlignmentGraph(own, edges, all.Values.Where(o => o.IsArchived).Select(o => o.Id));
        var scores = all.Keys.ToDictionary(id => id, graph.ScoreOf);
        return new Scored(scores, krScores, byObjective, windows, now, cycles);
    }

    /// <summary>Scores key results that are listed on their own (outside their objective), given their objectives; with the objectives' cycles.</summary>
    public async Task<(IReadOnlyDictionary<Guid, KeyResultScore> Scores, IReadOnlyDictionary<Guid, Cycle> Cycles)> ScoreKeyResultsAsync(
        IReadOnlyCollection<KeyResult> keyResults, IReadOnlyDictionary<Guid, Objective> objectives, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var zone = await TimeZoneAsync(ct);
        var cycleOf = objectives.Values.ToDictionary(o => o.Id, o => o.CycleId);
        var cycleIds = cycleOf.Values.Distinct().ToList();
        var cycles = await db.Cycles.AsNoTracking().Where(c => cycleIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var windows = cycles.ToDictionary(c => c.Key, c => c.Value.Window(zone));
        var krIds = keyResults.Select(k => k.Id).ToList();
        var checkIns = (await db.CheckIns.AsNoTracking().Where(c => krIds.Contains(c.KeyResultId)).ToListAsync(ct))
            .ToLookup(c => c.KeyResultId);
        return (keyResults.ToDictionary(k => k.Id, k => KeyResultScore.Compute(k, checkIns[k.Id].ToList(), windows[cycleOf[k.ObjectiveId]], now)), cycles);
    }

    public async Task<TimeZoneInfo> TimeZoneAsync(CancellationToken ct)
    {
        var id = await db.Organisations.Where(o => o.Id == db.OrganisationId).Select(o => o.TimeZone).FirstOrDefaultAsync(ct);
        return Core.Organisations.Organisation.ZoneOf(id);
    }

    private static Score? OwnScore(IEnumerable<KeyResult> keyResults, Dictionary<Guid, KeyResultScore> scores)
    {
        var list = keyResults.ToList();
        if (list.Count == 0)
        {
            return null;
        }

        return new Score(
            AlignmentGraph.WeightedMean(list.Select(k => (scores[k.Id].Progress, k.Weight))),
            AlignmentGraph.WeightedMean(list.Select(k => (scores[k.Id].Forecast.Value, k.Weight))));
    }
}
