using Microsoft.EntityFrameworkCore;
using Okapi.Core.Okrs;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Lint;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Reports;

/// <summary>
/// A cycle's report, for the API, the report page, the exports and presentation mode alike. A team's report holds
/// the objectives the team owns (not its sub-teams', which have their own reports); the company's holds every
/// objective of the cycle. Drafts and objectives in review are left out: they are not commitments yet. Private
/// objectives appear only to those who may see them.
/// </summary>
public sealed class ReportService(OkapiDbContext db, Caller caller, OkrScoring scoring, LintService lint, TimeProvider clock)
{
    /// <summary>
    /// The report with its objectives a page at a time: the company's first page when no page is asked for, a team's
    /// objectives all at once (a team has few). Distribution, progress, participation and the teams' rows cover every
    /// objective of the report whatever the page.
    /// </summary>
    public Task<Outcome<CycleReportDto>> ReportAsync(Guid cycleId, Guid? teamId, ReportPaging? page, CancellationToken ct) =>
        BuildAsync(cycleId, teamId, page ?? (teamId is null ? ReportPaging.First : null), rowsOnly: false, ct);

    /// <summary>
    /// The report's objectives and key results without the charts, participation and findings: what an export writes.
    /// </summary>
    public Task<Outcome<CycleReportDto>> RowsAsync(Guid cycleId, Guid? teamId, CancellationToken ct) =>
        BuildAsync(cycleId, teamId, page: null, rowsOnly: true, ct);

    /// <summary>
    /// The objectives that roll up into these (aligned to them or to one of their key results, with the rolls-up flag),
    /// with their status and grade, for presentation mode: a parent's slide shows what it is made of. Drafts and
    /// objectives in review are left out, as in the report, and so is what the caller may not see.
    /// </summary>
    public async Task<IReadOnlyList<ReportChildDto>> ChildrenAsync(IReadOnlyCollection<Guid> parentIds, CancellationToken ct)
    {
        var ids = parentIds.ToList();
        var parentKeyResults = await db.KeyResults.AsNoTracking().Where(k => ids.Contains(k.ObjectiveId))
            .Select(k => new { k.Id, k.ObjectiveId, k.Title }).ToDictionaryAsync(k => k.Id, ct);
        var keyResultIds = parentKeyResults.Keys.ToList();
        // Two lookups by index, by parent objective and by parent key result, rather than one over every link.
        var links = await db.ObjectiveLinks.AsNoTracking()
            .Where(l => l.RollsUp && l.ParentObjectiveId != null && ids.Contains(l.ParentObjectiveId.Value)).ToListAsync(ct);
        links.AddRange(await db.ObjectiveLinks.AsNoTracking()
            .Where(l => l.RollsUp && l.ParentKeyResultId != null && keyResultIds.Contains(l.ParentKeyResultId.Value)).ToListAsync(ct));
        var childIds = links.Select(l => l.ChildObjectiveId).Distinct().ToList();
        var children = await caller.Visible(db.Objectives.AsNoTracking()).InUse()
            .Where(o => childIds.Contains(o.Id) && o.State != ObjectiveState.Draft && o.State != ObjectiveState.InReview).ToListAsync(ct);
        if (children.Count == 0)
        {
            return [];
        }

        var scored = await scoring.ScoreAsync(children, ct);
        var names = await NamesAsync(children, [], [], ct);
        var byId = children.ToDictionary(o => o.Id);
        return links.Where(l => byId.ContainsKey(l.ChildObjectiveId)).Select(l =>
        {
            var o = byId[l.ChildObjectiveId];
            var score = scored.Objectives[o.Id];
            var through = l.ParentKeyResultId is { } kr ? parentKeyResults[kr] : null;
            var grade = LiveGrade(o, score.Progress);
            return new ReportChildDto(o.Id, l.ParentObjectiveId ?? through!.ObjectiveId, o.Title, names.Owner(o.OwnerTeamId, o.OwnerPersonId), score.Progress,
                Grades.StatusAt(scored.Windows[o.CycleId], scored.Now, score.Forecast), grade, Grades.Colour(grade), through?.Title);
        }).OrderBy(c => c.Title, StringComparer.Ordinal).ToList();
    }

    /// <summary>What the summary needs of an objective: owner, order, progress and grades, from slim rows.</summary>
    private sealed record Entry(Guid Id, Objective Objective, Snapshot? Frozen, Guid? OwnerTeamId, string Title, double Progress, double Grade, IEnumerable<double> KeyResultGrades);

    private async Task<Outcome<CycleReportDto>> BuildAsync(Guid cycleId, Guid? teamId, ReportPaging? page, bool rowsOnly, CancellationToken ct)
    {
        var cycle = await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cycleId, ct);
        if (cycle is null)
        {
            return Failure.NotFound;
        }

        var team = teamId is null ? null : await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == teamId, ct);
        if (teamId is not null && team is null)
        {
            return Failure.NotFound;
        }

        var now = clock.GetUtcNow();
        var closings = await db.CycleClosings.AsNoTracking().Where(c => c.CycleId == cycleId).OrderBy(c => c.ClosedAt).ToListAsync(ct);
        // A team's report is frozen by the team's close, or by the company's, which closes the whole cycle.
        var scopeClosing = closings.LastOrDefault(c => teamId is not null && c.TeamId == teamId) ?? closings.LastOrDefault(c => c.TeamId is null);
        var snapshot = await SnapshotAsync(cycleId, teamId, closings, ct);
        var asOf = scopeClosing is null ? now : Min(new DateTimeOffset(scopeClosing.ClosedAt), now);

        IQueryable<Objective> inReport;
        if (scopeClosing is not null)
        {
            // Closed: the objectives are those of the snapshot, whatever was added, moved or archived since.
            var inScope = snapshot.Values.Select(s => s.Objective).Where(s => teamId is null || s.OwnerTeamId == teamId).Select(s => s.ObjectiveId).ToList();
            inReport = caller.Visible(db.Objectives.AsNoTracking()).Where(o => inScope.Contains(o.Id));
        }
        else
        {
            inReport = caller.Visible(db.Objectives.AsNoTracking()).InUse()
                .Where(o => o.CycleId == cycleId && o.State != ObjectiveState.Draft && o.State != ObjectiveState.InReview)
                .Where(o => teamId == null || o.OwnerTeamId == teamId);
        }

        var objectives = await inReport.ToListAsync(ct);
        // The ids go as one parameter (a JSON or array value), which the planner joins on the key results' index.
        var objectiveIds = objectives.Select(o => o.Id).ToList();
        var keyResults = await db.KeyResults.AsNoTracking().Where(k => objectiveIds.Contains(k.ObjectiveId)).ToListAsync(ct);
        var byObjective = keyResults.ToLookup(k => k.ObjectiveId);
        var entries = await EntriesAsync(objectives, byObjective, inReport, snapshot, ct);
        var teamNames = await TeamNamesAsync(entries, ct);
        entries = [.. entries.OrderBy(e => e.Frozen?.Objective.Position ?? int.MaxValue)
            .ThenBy(e => e.OwnerTeamId is { } t ? teamNames.GetValueOrDefault(t, "") : "").ThenBy(e => e.Title, StringComparer.Ordinal)];

        var shown = page is { } p ? entries.Skip((p.Number - 1) * p.Size).Take(p.Size).ToList() : entries;
        var rows = await RowsOfAsync(shown, byObjective, asOf, ct);
        var distribution = GradeDistributionDto.From(GradeDistribution.Of(entries.SelectMany(e => e.KeyResultGrades)));
        var (pageNumber, pageSize) = page is { } q ? (q.Number, q.Size) : (1, entries.Count);
        if (rowsOnly)
        {
            return new CycleReportDto(cycle.Id, cycle.Name, cycle.Start, cycle.End, cycle.State,
                teamId, team?.Name ?? "Company", scopeClosing is not null, scopeClosing?.ClosedAt, asOf,
                rows, entries.Count, pageNumber, pageSize, [], distribution, [], [], [], 0);
        }

        var teams = entries.Where(e => e.OwnerTeamId is not null).GroupBy(e => e.OwnerTeamId!.Value)
            .Select(g => new ReportTeamDto(g.Key, teamNames.GetValueOrDefault(g.Key, ""), g.Count(), g.Average(e => e.Progress), g.Average(e => e.Grade)))
            .OrderBy(t => t.TeamName, StringComparer.Ordinal).ToList();

        // The history needs only each check-in's instant and value (and who owns the key result): no notes, no tracking.
        var until = asOf.UtcDateTime;
        var keyResultIds = keyResults.Select(k => k.Id).ToList();
        var checkIns = (await db.CheckIns.AsNoTracking()
            .Where(c => keyResultIds.Contains(c.KeyResultId) && c.At <= until)
            .Select(c => new CheckIn { Id = c.Id, KeyResultId = c.KeyResultId, At = c.At, Value = c.Value })
            .ToListAsync(ct)).ToLookup(c => c.KeyResultId);
        var histories = keyResults.ToDictionary(k => k.Id, k => new KeyResultHistory(k, checkIns[k.Id].ToList()));
        var historiesOf = entries.Where(e => byObjective[e.Id].Any())
            .Select(e => (e.Id, KeyResults: (IReadOnlyCollection<KeyResultHistory>)byObjective[e.Id].Select(k => histories[k.Id]).ToList())).ToList();
        var window = cycle.Window(await scoring.TimeZoneAsync(ct));
        var weeks = CycleHistory.Weeks(window, asOf);
        // The company's report draws the overall line only: a line per objective of the whole company is noise, and heavy.
        var perObjective = teamId is not null;
        var progress = weeks.Select(w => new ProgressWeekDto(w.Number, w.Start, w.End, w.AsOf,
            CycleHistory.OverallAt(historiesOf.Select(h => h.KeyResults), w.AsOf),
            perObjective ? historiesOf.Select(h => new ObjectiveProgressDto(h.Id, CycleHistory.ProgressAt(h.KeyResults, w.AsOf))).ToList() : [])).ToList();
        var participation = CycleHistory.Participation(weeks, histories.Values.ToList()).Select(ParticipationWeekDto.From).ToList();
        var findings = (await lint.LintAsync(new LintFilter(cycleId, teamId, null), ct)).Value ?? [];

        return new CycleReportDto(cycle.Id, cycle.Name, cycle.Start, cycle.End, cycle.State,
            teamId, team?.Name ?? "Company", scopeClosing is not null, scopeClosing?.ClosedAt, asOf,
            rows, entries.Count, pageNumber, pageSize, teams, distribution, progress, participation,
            [.. findings.Take(CycleReportDto.MaxFindings)], findings.Count);
    }

    /// <summary>
    /// Every objective's progress and grades for the summary, from the key results' stored values: no check-ins, no
    /// forecasts. An objective without key results rolls up from the report's objectives aligned under it.
    /// </summary>
    private async Task<List<Entry>> EntriesAsync(List<Objective> objectives, ILookup<Guid, KeyResult> byObjective,
        IQueryable<Objective> inReport, Dictionary<Guid, Snapshot> snapshot, CancellationToken ct)
    {
        var links = await db.ObjectiveLinks.AsNoTracking()
            .Where(l => l.RollsUp && l.ParentObjectiveId != null && inReport.Select(o => o.Id).Contains(l.ParentObjectiveId.Value))
            .ToListAsync(ct);
        var ids = objectives.Select(o => o.Id).ToHashSet();
        var own = objectives.ToDictionary(o => o.Id, o => byObjective[o.Id].Any()
            ? new Score(AlignmentGraph.WeightedMean(byObjective[o.Id].Select(k => (k.Progress(), k.Weight))), 0)
            : (Score?)null);
        var graph = new AlignmentGraph(own, links.Where(l => ids.Contains(l.ChildObjectiveId))
            .Select(l => new AlignmentEdge(l.ChildObjectiveId, l.ParentObjectiveId!.Value, l.Weight, l.RollsUp)));
        return objectives.Select(o => snapshot.TryGetValue(o.Id, out var frozen)
            ? new Entry(o.Id, o, frozen, frozen.Objective.OwnerTeamId, frozen.Objective.Title, frozen.Objective.Progress, frozen.Objective.Grade, frozen.KeyResults.Select(k => k.Grade))
            : Live(o, graph.ScoreOf(o.Id).Progress)).ToList();

        Entry Live(Objective o, double progress) =>
            new(o.Id, o, null, o.OwnerTeamId, o.Title, progress, LiveGrade(o, progress), byObjective[o.Id].Select(Grades.Of));
    }

    private async Task<Dictionary<Guid, string>> TeamNamesAsync(List<Entry> entries, CancellationToken ct)
    {
        var teamIds = entries.Select(e => e.OwnerTeamId).OfType<Guid>().Distinct().ToList();
        return await db.Teams.AsNoTracking().Where(t => teamIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
    }

    /// <summary>The full rows (scores with forecasts, owners, notes) of the objectives shown, and only of those.</summary>
    private async Task<List<ReportObjectiveDto>> RowsOfAsync(List<Entry> shown, ILookup<Guid, KeyResult> byObjective, DateTimeOffset asOf, CancellationToken ct)
    {
        var objectives = shown.Select(e => e.Objective).ToList();
        var scored = await scoring.ScoreAsync(shown.Where(e => e.Frozen is null).Select(e => e.Objective).ToList(), ct);
        var keyResults = shown.SelectMany(e => byObjective[e.Id]).ToList();
        var notes = await LatestNotesAsync(keyResults.Select(k => k.Id).ToList(), asOf, ct);
        var snapshot = shown.Where(e => e.Frozen is not null).ToDictionary(e => e.Id, e => e.Frozen!);
        var names = await NamesAsync(objectives, keyResults, snapshot, ct);
        return shown.Select(e =>
        {
            var own = byObjective[e.Id].ToDictionary(k => k.Id, k => notes.GetValueOrDefault(k.Id));
            return e.Frozen is { } frozen ? FrozenRow(frozen, own, names) : LiveRow(e.Objective, scored, scored.Windows[e.Objective.CycleId], own, names);
        }).ToList();
    }

    private static double LiveGrade(Objective objective, double progress) => objective.FinalGrade ?? Grades.Grade(progress);

    /// <summary>Each key result's latest check-in note until <paramref name="asOf"/>, found by the database.</summary>
    private async Task<Dictionary<Guid, (string? Text, DateTime? At)>> LatestNotesAsync(List<Guid> krIds, DateTimeOffset asOf, CancellationToken ct)
    {
        var until = asOf.UtcDateTime;
        var latest = await db.CheckIns.AsNoTracking()
            .Where(c => krIds.Contains(c.KeyResultId) && c.Note != null && c.Note.Trim() != "" && c.At <= until)
            .GroupBy(c => c.KeyResultId)
            .Select(g => g.OrderByDescending(c => c.At).Select(c => new { c.KeyResultId, c.Note, c.At }).First())
            .ToListAsync(ct);
        return latest.ToDictionary(n => n.KeyResultId, n => ((string?)n.Note, (DateTime?)n.At));
    }

    private sealed record Snapshot(ClosedScore Objective, IReadOnlyList<ClosedScore> KeyResults);

    /// <summary>Each objective's rows from the latest close that holds it (a team closed first, then the company).</summary>
    /// <remarks>
    /// A team's report needs the snapshots of the objectives it owns now or owned at a close, not the company's.
    /// </remarks>
    private async Task<Dictionary<Guid, Snapshot>> SnapshotAsync(Guid cycleId, Guid? teamId, List<CycleClosing> closings, CancellationToken ct)
    {
        if (closings.Count == 0)
        {
            return [];
        }

        var order = closings.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var scores = await db.ClosedScores.AsNoTracking()
            .Where(s => s.CycleId == cycleId && (teamId == null
                || db.Objectives.Any(o => o.Id == s.ObjectiveId && o.OwnerTeamId == teamId)
                || db.ClosedScores.Any(x => x.CycleId == cycleId && x.ObjectiveId == s.ObjectiveId && x.KeyResultId == null && x.OwnerTeamId == teamId)))
            .ToListAsync(ct);
        return scores.GroupBy(s => s.ObjectiveId)
            .Select(g => g.GroupBy(s => s.ClosingId).OrderBy(c => order.GetValueOrDefault(c.Key)).Last())
            .Select(rows => (Objective: rows.FirstOrDefault(s => s.KeyResultId is null), Rows: rows))
            .Where(x => x.Objective is not null)
            .ToDictionary(x => x.Objective!.ObjectiveId, x => new Snapshot(x.Objective!, x.Rows.Where(s => s.KeyResultId is not null).OrderBy(s => s.Position).ToList()));
    }

    private static ReportObjectiveDto FrozenRow(Snapshot snapshot, Dictionary<Guid, (string? Text, DateTime? At)> notes, Names names)
    {
        var o = snapshot.Objective;
        var krs = snapshot.KeyResults.Select(k =>
        {
            // Attainment is the Core formula applied to the values the close recorded.
            var asClosed = new KeyResult { Title = k.Title, Type = k.Type ?? KeyResultType.IncreaseTo, Start = k.Start ?? 0, Target = k.Target ?? 0, Current = k.Current };
            return new ReportKeyResultDto(k.KeyResultId!.Value, k.Title, k.OwnerPersonId, k.OwnerName ?? names.Person(k.OwnerPersonId),
                asClosed.Type, k.Unit, asClosed.Start, asClosed.Target, asClosed.CurrentValue, k.Weight,
                k.Progress, asClosed.Attainment(), null, null, k.Grade, Grades.Colour(k.Grade), k.OverrideReason,
                notes.GetValueOrDefault(k.KeyResultId!.Value).Text);
        }).ToList();
        var latest = Latest(notes);
        return new ReportObjectiveDto(o.ObjectiveId, o.Title, o.OwnerTeamId, o.OwnerPersonId,
            o.OwnerName ?? names.Owner(o.OwnerTeamId, o.OwnerPersonId), o.Progress, null, null, o.Grade, Grades.Colour(o.Grade),
            true, o.Retrospective, latest.Text, latest.At, krs);
    }

    private static ReportObjectiveDto LiveRow(Objective o, OkrScoring.Scored scored, Okapi.Core.Organisations.CycleWindow window,
        Dictionary<Guid, (string? Text, DateTime? At)> notes, Names names)
    {
        var score = scored.Objectives[o.Id];
        var krs = KeyResult.InOrder(scored.KeyResultsByObjective[o.Id]).Select(k =>
        {
            var s = scored.KeyResults[k.Id];
            return new ReportKeyResultDto(k.Id, k.Title, k.OwnerPersonId, names.Person(k.OwnerPersonId), k.Type, k.Unit,
                k.Start, k.Target, k.CurrentValue, k.Weight, s.Progress, s.Attainment, s.Status, s.Forecast.Value,
                s.Grade, s.GradeColour, k.GradeReason, notes.GetValueOrDefault(k.Id).Text);
        }).ToList();
        var grade = LiveGrade(o, score.Progress);
        var latest = Latest(notes);
        return new ReportObjectiveDto(o.Id, o.Title, o.OwnerTeamId, o.OwnerPersonId, names.Owner(o.OwnerTeamId, o.OwnerPersonId),
            score.Progress, score.Forecast, Grades.StatusAt(window, scored.Now, score.Forecast), grade, Grades.Colour(grade),
            false, o.Retrospective, latest.Text, latest.At, krs);
    }

    private static (string? Text, DateTime? At) Latest(Dictionary<Guid, (string? Text, DateTime? At)> notes) =>
        notes.Values.Where(n => n.Text is not null).OrderByDescending(n => n.At).FirstOrDefault();

    private sealed record Names(IReadOnlyDictionary<Guid, string> Teams, IReadOnlyDictionary<Guid, string> People)
    {
        public string Team(Guid? id) => id is { } t ? Teams.GetValueOrDefault(t, "") : "";

        public string Person(Guid? id) => id is { } p ? People.GetValueOrDefault(p, "") : "";

        public string Owner(Guid? team, Guid? person) => team is not null ? Team(team) : Person(person);
    }

    private async Task<Names> NamesAsync(List<Objective> objectives, List<KeyResult> keyResults, Dictionary<Guid, Snapshot> snapshot, CancellationToken ct)
    {
        var teamIds = objectives.Select(o => o.OwnerTeamId).Concat(snapshot.Values.Select(s => s.Objective.OwnerTeamId)).OfType<Guid>().Distinct().ToList();
        var personIds = objectives.Select(o => o.OwnerPersonId).Concat(keyResults.Select(k => k.OwnerPersonId))
            .Concat(snapshot.Values.SelectMany(s => s.KeyResults.Select(k => k.OwnerPersonId))).OfType<Guid>().Distinct().ToList();
        var teams = await db.Teams.AsNoTracking().Where(t => teamIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return new Names(teams, people);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
