using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Exchange;

/// <summary>
/// Imports an OKRs-as-code document: checks all of it (schema, references within the document or the
/// organisation, the entities' own rules, loops in team, cycle and alignment trees) and either refuses it with every
/// error and its place, or applies it in one transaction and answers with the plan. Rows are matched by key (people
/// by email, check-ins by key result and instant); nothing the document leaves out is deleted.
/// </summary>
public sealed partial class ExchangeImport(OkapiDbContext db, Caller caller, TimeProvider clock)
{
    public const int MaxKeyLength = Objective.MaxKeyLength;

    /// <summary>Reads the document (YAML or JSON, as UTF-8) and imports it; a document that cannot be read is one error with its place.</summary>
    public async Task<Outcome<ImportResult>> ImportAsync(byte[] document, bool yaml, bool dryRun, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins import OKRs.");
        }

        var binder = new DocumentBinder();
        var (bound, error) = Read(document, yaml, binder);
        if (bound is null)
        {
            return new ImportResult(null, [error!]);
        }

        return await ImportAsync(bound, binder, dryRun, ct);
    }

    /// <summary>
    /// The document bound to its records, or why it cannot be. The tree is let go once bound (the binder keeps only
    /// places), so that a large document is not held twice while it is imported.
    /// </summary>
    private static (OkrDocument? Document, ExchangeError? Error) Read(byte[] document, bool yaml, DocumentBinder binder)
    {
        DocNode root;
        try
        {
            DocumentTree.RequireUtf8(document);
            root = yaml ? DocumentTree.ReadYaml(System.Text.Encoding.UTF8.GetString(document)) : DocumentTree.ReadJson(document);
        }
        catch (DocumentSyntaxException e)
        {
            return (null, e.Error);
        }

        return root is DocMap && binder.Bind<OkrDocument>(root) is { } bound
            ? (bound, null)
            : (null, new ExchangeError("", root.Line, root.Column, "The document must be a map with 'okapi: 1' and the sections people, teams, cycles, kpis and objectives."));
    }

    private async Task<Outcome<ImportResult>> ImportAsync(OkrDocument document, DocumentBinder binder, bool dryRun, CancellationToken ct)
    {
        var state = await ExchangeState.LoadForImportAsync(db, caller, DocumentNames.Of(document), ct);
        var run = new ImportRun(db, caller, binder, state, clock.GetUtcNow().UtcDateTime);
        if (binder.Places.PathOf(document) is var _ && document.Okapi != OkrDocument.CurrentVersion && !binder.Errors.Any(e => e.Path == "okapi"))
        {
            run.Error(document, "okapi", $"must be {OkrDocument.CurrentVersion}: the only version of the document format.");
        }

        // Rows are tracked one at a time while compared (see ImportRun.Compare): detecting changes over every tracked
        // row on each of those calls would cost the square of the document's size, so changes are detected per row.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await run.ApplyAsync(document, ct);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }

        var errors = binder.Errors.Concat(run.Errors).OrderBy(e => e.Line).ThenBy(e => e.Column).ToList();
        if (errors.Count > 0 || dryRun)
        {
            // Nothing of a refused document or a dry run may reach a later save on this context.
            db.ChangeTracker.Clear();
            return new ImportResult(errors.Count > 0 ? null : run.Plan.Build(dryRun: true), errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            db.AuditReason = AuditReason;
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            // New check-ins are most of a large document and nothing refers to them: they go in batches, so that the
            // change tracker never holds them all.
            foreach (var batch in run.NewCheckIns.Chunk(CheckInBatch))
            {
                db.CheckIns.AddRange(batch);
                db.AuditReason = AuditReason;
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return Failure.Conflict("The organisation changed while the document was imported (a key or an email is now taken). Nothing was imported; try again.");
        }

        await transaction.CommitAsync(ct);
        return new ImportResult(run.Plan.Build(dryRun: false), []);
    }

    private const string AuditReason = "Imported from an OKRs-as-code document.";
    private const int CheckInBatch = 2_000;

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\z")]
    internal static partial Regex KeyPattern();

    /// <summary>One import: the organisation as loaded, the rows the document names, and what was found wrong.</summary>
    private sealed class ImportRun(OkapiDbContext db, Caller caller, DocumentBinder binder, ExchangeState state, DateTime now)
    {
        public List<ExchangeError> Errors { get; } = [];
        public PlanBuilder Plan { get; } = new();

        /// <summary>Check-ins the document adds, saved after everything else (see <see cref="ImportAsync(OkrDocument, DocumentBinder, bool, CancellationToken)"/>).</summary>
        public List<CheckIn> NewCheckIns { get; } = [];

        private readonly Dictionary<string, Person> _people = state.People.GroupBy(p => p.Email, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Team> _teams = state.Teams.ToDictionary(t => state.TeamKeys[t.Id], StringComparer.Ordinal);
        private readonly Dictionary<string, Cycle> _cycles = state.Cycles.ToDictionary(c => state.CycleKeys[c.Id], StringComparer.Ordinal);
        private readonly Dictionary<string, Kpi> _kpis = state.Kpis.ToDictionary(k => k.Key, StringComparer.Ordinal);
        private readonly Dictionary<string, Objective> _objectives = state.Objectives.ToDictionary(o => state.ObjectiveKeys[o.Id], StringComparer.Ordinal);
        private readonly Dictionary<Guid, Dictionary<string, KeyResult>> _keyResults = state.KeyResults.GroupBy(k => k.ObjectiveId)
            .ToDictionary(g => g.Key, g => g.ToDictionary(k => state.KeyResultKeys[k.Id], StringComparer.Ordinal));
        private readonly List<ObjectiveLink> _links = state.Links;

        public void Error(object owner, string? field, string message) => Errors.Add(binder.Places.Error(owner, field, message));

        /// <summary>
        /// Stored rows load untracked; a row is tracked from just before it is compared, so that a change is saved and
        /// audited with its old value, and let go again (<see cref="Release"/>) when it turned out unchanged.
        /// </summary>
        private void Compare(object row) => db.Attach(row);

        /// <param name="principal">The row this one belongs to (a check-in's key result, a key result's objective), if tracked.</param>
        private void Release(object row, Guid? principal = null)
        {
            var entry = db.Entry(row);
            entry.DetectChanges();
            // Letting go of a row also lets go of the changed rows that belong to it (EF Core detaches dependents with
            // their principal), so a row whose own rows changed stays tracked until the save.
            if (entry.State == EntityState.Unchanged && !(entry.Property("Id").CurrentValue is Guid key && _holding.Contains(key)))
            {
                entry.State = EntityState.Detached;
            }
            else if (principal is { } id)
            {
                _holding.Add(id);
            }
        }

        private readonly HashSet<Guid> _holding = [];

        public async Task ApplyAsync(OkrDocument document, CancellationToken ct)
        {
            if (document.Organisation is { } organisation)
            {
                Organisation(organisation);
            }

            People(document.People ?? []);
            Teams(document.Teams ?? []);
            Cycles(document.Cycles ?? []);
            Kpis(document.Kpis ?? []);
            await ObjectivesAsync(document.Objectives ?? [], ct);
        }

        private void Organisation(OrganisationDoc d)
        {
            var o = state.Organisation;
            var changes = new Changes();
            changes.Set("name", o.Name, d.Name?.Trim(), v => o.Name = v);
            changes.Set("timeZone", o.TimeZone, d.TimeZone, v => o.TimeZone = v);
            changes.Value("fiscalYearStartMonth", o.FiscalYearStartMonth, d.FiscalYearStartMonth, v => o.FiscalYearStartMonth = v);
            changes.Value("weekStart", o.WeekStart, d.WeekStart, v => o.WeekStart = v);
            changes.Value("checkInWeekday", o.CheckInWeekday, d.CheckInWeekday, v => o.CheckInWeekday = v);
            changes.Value("checkInHour", o.CheckInHour, d.CheckInHour, v => o.CheckInHour = v);
            changes.Set("vision", o.Vision, d.Vision, v => o.Vision = v);
            Report(d, o.Validate());
            Plan.Record("organisation", "organisation", created: false, changes);
        }

        private void People(List<PersonDoc> people)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var d in people)
            {
                var email = d.Email.Trim();
                if (!seen.Add(email))
                {
                    Error(d, "email", $"'{email}' appears twice in people.");
                    continue;
                }

                var created = !_people.TryGetValue(email, out var person);
                if (person is null)
                {
                    // No account and no password: the person signs in once an admin sets one (or through single sign-on).
                    person = new Person { Name = d.Name.Trim(), Email = email, Role = Role.Member };
                    db.People.Add(person);
                    _people[email] = person;
                }
                else
                {
                    Compare(person);
                }

                var changes = new Changes();
                var p = person;
                changes.Set("name", p.Name, d.Name.Trim(), v => p.Name = v);
                changes.Value("role", p.Role, d.Role, v => p.Role = v);
                var errors = p.Validate()
                    .Require(!(p.Id == caller.PersonId && p.Role != Role.Admin), "role", "The importing admin cannot take away their own admin role.");
                Report(d, errors);
                Plan.Record("people", email, created, changes);
            }
        }

        private void Teams(List<TeamDoc> teams)
        {
            var rows = Rows(teams, t => t.Key, "teams", _teams, d => new Team { Name = d.Name.Trim(), Key = d.Key }, t => db.Teams.Add(t));
            foreach (var (d, team, created) in rows)
            {
                var changes = new Changes();
                changes.Set("key", team.Key, d.Key, v => team.Key = v);
                changes.Set("name", team.Name, d.Name.Trim(), v => team.Name = v);
                changes.Set("mission", team.Mission, d.Mission, v => team.Mission = v);
                if (d.Parent is { } parentKey)
                {
                    if (_teams.TryGetValue(parentKey, out var parent))
                    {
                        changes.Optional("parent", team.ParentTeamId, parent.Id, v => team.ParentTeamId = v);
                    }
                    else
                    {
                        Error(d, "parent", $"There is no team with the key '{parentKey}' in the document or the organisation.");
                    }
                }

                var members = d.Members ?? [];
                var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < members.Count; i++)
                {
                    var m = members[i];
                    if (!emails.Add(m.Email.Trim()))
                    {
                        Error(m, "email", $"'{m.Email}' appears twice in the team's members.");
                    }
                    else if (!_people.TryGetValue(m.Email.Trim(), out var person))
                    {
                        Error(m, "email", $"There is no person with the email '{m.Email}' in the document or the organisation.");
                    }
                    else if (team.Members.FirstOrDefault(x => x.PersonId == person.Id) is { } membership)
                    {
                        if (membership.IsLead != (m.Lead ?? false))
                        {
                            membership.IsLead = m.Lead ?? false;
                            changes.Mark("members");
                        }
                    }
                    else
                    {
                        team.Members.Add(new TeamMembership { TeamId = team.Id, PersonId = person.Id, IsLead = m.Lead ?? false });
                        changes.Mark("members");
                    }
                }

                Report(d, team.Validate());
                Plan.Record("teams", d.Key, created, changes);
            }

            var edges = state.Teams.Concat(rows.Select(r => r.Row)).Distinct().Where(t => t.ParentTeamId is not null)
                .Select(t => new AlignmentEdge(t.Id, t.ParentTeamId!.Value)).ToList();
            foreach (var (d, team, _) in rows.Where(r => r.Row.ParentTeamId is not null && r.Doc.Parent is not null))
            {
                if (AlignmentGraph.WouldCreateLoop(edges.Where(e => e.Child != team.Id), team.Id, team.ParentTeamId!.Value))
                {
                    Error(d, "parent", "A team cannot sit below itself: this parent closes a loop.");
                }
            }
        }

        private void Cycles(List<CycleDoc> cycles)
        {
            var rows = Rows(cycles, c => c.Key, "cycles", _cycles, d => new Cycle { Name = d.Name.Trim(), Key = d.Key }, c => db.Cycles.Add(c));
            var changesOf = new Dictionary<Cycle, Changes>();
            foreach (var (d, cycle, _) in rows)
            {
                var changes = changesOf[cycle] = new Changes();
                changes.Set("key", cycle.Key, d.Key, v => cycle.Key = v);
                changes.Set("name", cycle.Name, d.Name.Trim(), v => cycle.Name = v);
                changes.Value("start", cycle.Start, d.Start, v => cycle.Start = v);
                changes.Value("end", cycle.End, d.End, v => cycle.End = v);
                changes.Value("kind", cycle.Kind, d.Kind, v => cycle.Kind = v);
                changes.Value("state", cycle.State, d.State, v => cycle.State = v);
            }

            // Parents once every cycle has its dates, as a parent may come later in the document.
            foreach (var (d, cycle, created) in rows)
            {
                var changes = changesOf[cycle];
                Cycle? parent = null;
                if (d.Parent is { } parentKey && !_cycles.TryGetValue(parentKey, out parent))
                {
                    Error(d, "parent", $"There is no cycle with the key '{parentKey}' in the document or the organisation.");
                }
                else if (parent is not null)
                {
                    changes.Optional("parent", cycle.ParentCycleId, parent.Id, v => cycle.ParentCycleId = v);
                }

                Report(d, cycle.Validate(parent), new() { ["parentCycleId"] = "parent" });
                Plan.Record("cycles", d.Key, created, changes);
            }

            var edges = state.Cycles.Concat(rows.Select(r => r.Row)).Distinct().Where(c => c.ParentCycleId is not null)
                .Select(c => new AlignmentEdge(c.Id, c.ParentCycleId!.Value)).ToList();
            foreach (var (d, cycle, _) in rows.Where(r => r.Row.ParentCycleId is not null && r.Doc.Parent is not null))
            {
                if (AlignmentGraph.WouldCreateLoop(edges.Where(e => e.Child != cycle.Id), cycle.Id, cycle.ParentCycleId!.Value))
                {
                    Error(d, "parent", "A cycle cannot lie within itself: this parent closes a loop.");
                }
            }
        }

        private void Kpis(List<KpiDoc> kpis)
        {
            var rows = Rows(kpis, k => k.Key, "kpis", _kpis, d => new Kpi { Name = d.Name.Trim(), Key = d.Key }, k => db.Kpis.Add(k));
            foreach (var (d, kpi, created) in rows)
            {
                var changes = new Changes();
                changes.Set("name", kpi.Name, d.Name.Trim(), v => kpi.Name = v);
                changes.Set("description", kpi.Description, d.Description, v => kpi.Description = v);
                changes.Set("unit", kpi.Unit, d.Unit, v => kpi.Unit = v);
                changes.Value("direction", kpi.Direction, d.Direction, v => kpi.Direction = v);
                changes.Value("cadence", kpi.Cadence, d.Cadence, v => kpi.Cadence = v);
                changes.Value("aggregation", kpi.Aggregation, d.Aggregation, v => kpi.Aggregation = v);
                if (d.Thresholds is { } t)
                {
                    changes.Optional("thresholds", kpi.WarningLower, t.WarningLower, v => kpi.WarningLower = v);
                    changes.Optional("thresholds", kpi.WarningUpper, t.WarningUpper, v => kpi.WarningUpper = v);
                    changes.Optional("thresholds", kpi.CriticalLower, t.CriticalLower, v => kpi.CriticalLower = v);
                    changes.Optional("thresholds", kpi.CriticalUpper, t.CriticalUpper, v => kpi.CriticalUpper = v);
                }

                changes.Optional("target", kpi.Target, d.Target, v => kpi.Target = v);
                changes.List("tags", kpi.Tags, d.Tags?.Select(x => x.Trim()).ToList(), v => kpi.Tags = v);
                changes.Value("visibility", kpi.Visibility, d.Visibility, v => kpi.Visibility = v);
                if (TeamRef(d, "ownerTeam", d.OwnerTeam) is { } team)
                {
                    changes.Optional("ownerTeam", kpi.OwnerTeamId, team.Id, v => kpi.OwnerTeamId = v);
                }

                if (PersonRef(d, "ownerPerson", d.OwnerPerson) is { } person)
                {
                    changes.Optional("ownerPerson", kpi.OwnerPersonId, person.Id, v => kpi.OwnerPersonId = v);
                }

                Report(d, kpi.Validate(), new() { ["owner"] = "ownerTeam", ["warningLower"] = "thresholds", ["warningUpper"] = "thresholds", ["criticalLower"] = "thresholds", ["criticalUpper"] = "thresholds" });
                Plan.Record("kpis", d.Key, created, changes);
            }
        }

        private async Task ObjectivesAsync(List<ObjectiveDoc> objectives, CancellationToken ct)
        {
            var rows = Rows(objectives, o => o.Key, "objectives", _objectives,
                d => new Objective { Title = d.Title.Trim(), Key = d.Key, CycleId = _cycles.GetValueOrDefault(d.Cycle)?.Id ?? Guid.Empty },
                o => db.Objectives.Add(o));
            var krIds = rows.Where(r => !r.Created).SelectMany(r => _keyResults.TryGetValue(r.Row.Id, out var krs) ? krs.Values.ToList() : []).Select(k => k.Id).ToList();
            var checkIns = (await db.CheckIns.AsNoTracking().Where(c => krIds.Contains(c.KeyResultId)).ToListAsync(ct)).ToLookup(c => c.KeyResultId);
            foreach (var (d, objective, created) in rows)
            {
                var changes = new Changes();
                changes.Set("key", objective.Key, d.Key, v => objective.Key = v);
                changes.Set("title", objective.Title, d.Title.Trim(), v => objective.Title = v);
                changes.Set("description", objective.Description, d.Description, v => objective.Description = v);
                if (_cycles.TryGetValue(d.Cycle, out var cycle))
                {
                    changes.Value("cycle", objective.CycleId, cycle.Id, v => objective.CycleId = v);
                }
                else if (!binder.Faulty.Contains(d) || d.Cycle.Length > 0)
                {
                    Error(d, "cycle", $"There is no cycle with the key '{d.Cycle}' in the document or the organisation.");
                }

                if (TeamRef(d, "ownerTeam", d.OwnerTeam) is { } team)
                {
                    changes.Optional("ownerTeam", objective.OwnerTeamId, team.Id, v => objective.OwnerTeamId = v);
                }

                if (PersonRef(d, "ownerPerson", d.OwnerPerson) is { } person)
                {
                    changes.Optional("ownerPerson", objective.OwnerPersonId, person.Id, v => objective.OwnerPersonId = v);
                }

                changes.Value("state", objective.State, d.State, v => objective.State = v);
                changes.Value("visibility", objective.Visibility, d.Visibility, v => objective.Visibility = v);
                changes.List("tags", objective.Tags, d.Tags?.Select(t => t.Trim()).ToList(), v => objective.Tags = v);
                changes.Optional("finalGrade", objective.FinalGrade, d.FinalGrade, v => objective.FinalGrade = v);
                changes.Set("retrospective", objective.Retrospective, d.Retrospective, v => objective.Retrospective = v);
                if (d.ContinuedFrom is { } fromKey)
                {
                    if (_objectives.TryGetValue(fromKey, out var from) && from != objective)
                    {
                        changes.Optional("continuedFrom", objective.ContinuedFromId, from.Id, v => objective.ContinuedFromId = v);
                    }
                    else
                    {
                        Error(d, "continuedFrom", $"There is no other objective with the key '{fromKey}' in the document or the organisation.");
                    }
                }

                Report(d, objective.Validate(), new() { ["owner"] = "ownerTeam" });
                Plan.Record("objectives", d.Key, created, changes);
                KeyResults(d, objective, checkIns);
                Release(objective);
            }

            // Parents after every objective and key result of the document exists, so that they may point forward.
            foreach (var (d, objective, _) in rows)
            {
                Parents(d, objective);
            }

            Loops(rows);
        }

        private void KeyResults(ObjectiveDoc objectiveDoc, Objective objective, ILookup<Guid, CheckIn> stored)
        {
            if (!_keyResults.TryGetValue(objective.Id, out var existing))
            {
                _keyResults[objective.Id] = existing = new Dictionary<string, KeyResult>(StringComparer.Ordinal);
            }

            var rows = Rows(objectiveDoc.KeyResults ?? [], k => k.Key, $"{objectiveDoc.Key}/", existing,
                d => new KeyResult { Title = d.Title.Trim(), Key = d.Key, ObjectiveId = objective.Id },
                k => db.KeyResults.Add(k));
            foreach (var (d, kr, created) in rows)
            {
                var changes = new Changes();
                changes.Set("key", kr.Key, d.Key, v => kr.Key = v);
                changes.Set("title", kr.Title, d.Title.Trim(), v => kr.Title = v);
                if (PersonRef(d, "owner", d.Owner) is { } owner)
                {
                    changes.Optional("owner", kr.OwnerPersonId, owner.Id, v => kr.OwnerPersonId = v);
                }

                changes.Value("type", kr.Type, d.Type, v => kr.Type = v);
                changes.Set("unit", kr.Unit, d.Unit, v => kr.Unit = v);
                changes.Value("start", kr.Start, d.Start, v => kr.Start = v);
                changes.Value("target", kr.Target, d.Target, v => kr.Target = v);
                changes.Optional("commit", kr.Commit, d.Commit, v => kr.Commit = v);
                changes.Optional("stretch", kr.Stretch, d.Stretch, v => kr.Stretch = v);
                changes.Value("weight", kr.Weight, d.Weight, v => kr.Weight = v);
                changes.Value("updateRhythmDays", kr.UpdateRhythmDays, d.UpdateRhythmDays, v => kr.UpdateRhythmDays = v);
                changes.List("checklist", kr.Checklist, d.Checklist?.Select(i => new ChecklistItem(i.Title.Trim(), i.Done ?? false)).ToList(), v => kr.Checklist = v);
                if (d.Kpi is { } kpiKey)
                {
                    if (_kpis.TryGetValue(kpiKey, out var kpi))
                    {
                        changes.Optional("kpi", kr.KpiId, kpi.Id, v => kr.KpiId = v);
                    }
                    else
                    {
                        Error(d, "kpi", $"There is no KPI with the key '{kpiKey}' in the document or the organisation.");
                    }
                }

                changes.Optional("finalGrade", kr.FinalGrade, d.FinalGrade, v => kr.FinalGrade = v);
                changes.Set("gradeReason", kr.GradeReason, d.GradeReason, v => kr.GradeReason = v);
                Report(d, kr.Validate());
                var krKey = $"{objectiveDoc.Key}/{d.Key}";
                Plan.Record("keyResults", krKey, created, changes);
                CheckIns(d, kr, krKey, created ? [] : stored[kr.Id].ToDictionary(c => c.At));
                Release(kr, kr.ObjectiveId);
            }
        }

        /// <param name="stored">The key result's stored check-ins by instant; the new ones are added as they are made.</param>
        private void CheckIns(KeyResultDoc krDoc, KeyResult kr, string krKey, Dictionary<DateTime, CheckIn> stored)
        {
            var seen = new HashSet<DateTime>();
            var newest = stored.Values.MaxBy(c => c.At);
            foreach (var d in krDoc.CheckIns ?? [])
            {
                // PostgreSQL keeps microseconds: instants are compared at that precision on every provider.
                var at = new DateTime(d.At.Ticks - d.At.Ticks % 10, DateTimeKind.Utc);
                if (!seen.Add(at))
                {
                    Error(d, "at", "Two check-ins of one key result cannot share an instant.");
                    continue;
                }

                var created = !stored.TryGetValue(at, out var checkIn);
                if (checkIn is null)
                {
                    checkIn = kr.RecordCheckIn(d.Value, at, CheckInSource.Import, newest);
                    NewCheckIns.Add(checkIn);
                    stored[at] = checkIn;
                }

                // Check-ins are most of a large document and rarely change: a stored one is compared untracked and
                // tracked only to take its changes.
                var changes = new Changes(deferred: !created);
                var c = checkIn;
                changes.Value("value", c.Value, d.Value, v => kr.CorrectCheckIn(c, v, newest));
                changes.Optional("confidence", c.Confidence, d.Confidence, v => c.Confidence = v);
                changes.Set("note", c.Note, d.Note, v => c.Note = v);
                changes.Value("source", c.Source, d.Source, v => c.Source = v);
                if (PersonRef(d, "author", d.Author) is { } author)
                {
                    changes.Optional("author", c.AuthorId, author.Id, v => c.AuthorId = v);
                }

                if (!created && changes.Fields.Count > 0)
                {
                    Compare(c);
                    changes.Apply();
                    Release(c, c.KeyResultId);
                }

                // A stored check-in was valid when it was made; judged again by today's clock and rules it might not be,
                // and an export would then fail to re-import.
                if (created || changes.Fields.Count > 0)
                {
                    Report(d, c.Validate(now));
                }

                Plan.Record("checkIns", $"{krKey}@{((DocScalar)DocumentBinder.ToTree(at)).Text}", created, changes);

                if (newest is null || c.At >= newest.At)
                {
                    newest = c;
                }
            }
        }

        private void Parents(ObjectiveDoc d, Objective objective)
        {
            var parents = d.Parents ?? [];
            var changed = false;
            var seen = new HashSet<(Guid?, Guid?)>();
            foreach (var p in parents)
            {
                if (!_objectives.TryGetValue(p.Objective, out var parent))
                {
                    Error(p, "objective", $"There is no objective with the key '{p.Objective}' in the document or the organisation.");
                    continue;
                }

                KeyResult? parentKr = null;
                if (p.KeyResult is { } krKey && !(_keyResults.GetValueOrDefault(parent.Id)?.TryGetValue(krKey, out parentKr) ?? false))
                {
                    Error(p, "keyResult", $"The objective '{p.Objective}' has no key result with the key '{krKey}'.");
                    continue;
                }

                Guid? parentObjectiveId = parentKr is null ? parent.Id : null;
                Guid? parentKeyResultId = parentKr?.Id;
                if (!seen.Add((parentObjectiveId, parentKeyResultId)))
                {
                    Error(p, null, "The objective is aligned to this parent twice.");
                    continue;
                }

                var weight = p.Weight ?? 1;
                var link = _links.FirstOrDefault(l => l.ChildObjectiveId == objective.Id && l.ParentObjectiveId == parentObjectiveId && l.ParentKeyResultId == parentKeyResultId);
                if (link is null)
                {
                    link = new ObjectiveLink { ChildObjectiveId = objective.Id, ParentObjectiveId = parentObjectiveId, ParentKeyResultId = parentKeyResultId, Weight = weight, RollsUp = p.RollsUp ?? true };
                    Report(p, link.Validate());
                    db.ObjectiveLinks.Add(link);
                    _links.Add(link);
                    _linkDocs[link] = p;
                    changed = true;
                    continue;
                }

                _linkDocs[link] = p;
                Compare(link);
                if (link.Weight != weight || link.RollsUp != (p.RollsUp ?? link.RollsUp))
                {
                    link.Weight = weight;
                    link.RollsUp = p.RollsUp ?? link.RollsUp;
                    changed = true;
                }

                Report(p, link.Validate());
                Release(link);
            }

            if (changed)
            {
                Plan.AddField("objectives", d.Key, "parents");
            }
        }

        private readonly Dictionary<ObjectiveLink, ParentDoc> _linkDocs = new(ReferenceEqualityComparer.Instance);

        /// <summary>The alignment rule of the API: a link may not make an objective contribute to itself, directly or not.</summary>
        private void Loops(List<(ObjectiveDoc Doc, Objective Row, bool Created)> rows)
        {
            var objectiveOfKr = _keyResults.SelectMany(g => g.Value.Values).ToDictionary(k => k.Id, k => k.ObjectiveId);
            AlignmentEdge? Edge(ObjectiveLink l) =>
                l.ParentObjectiveId is { } p ? new AlignmentEdge(l.ChildObjectiveId, p)
                : l.ParentKeyResultId is { } k && objectiveOfKr.TryGetValue(k, out var o) ? new AlignmentEdge(l.ChildObjectiveId, o) : null;

            var edges = _links.Select(l => (Link: l, Edge: Edge(l))).Where(e => e.Edge is not null).ToList();
            var graph = AlignmentGraph.ParentsOf(edges.Select(e => e.Edge!.Value).Concat(state.OtherEdges));
            foreach (var (link, edge) in edges.Where(e => _linkDocs.ContainsKey(e.Link)))
            {
                if (AlignmentGraph.WouldCreateLoop(graph, edge!.Value.Child, edge.Value.Parent))
                {
                    Error(_linkDocs[link], "objective", "This link would close a loop: the parent already contributes to this objective.");
                }
            }
        }

        /// <summary>
        /// Matches each document row to a stored row by key (or makes a new one), refusing bad and repeated keys.
        /// New rows are made before any reference is resolved, so that references may point forward in the document.
        /// </summary>
        private List<(TDoc Doc, TRow Row, bool Created)> Rows<TDoc, TRow>(List<TDoc> docs, Func<TDoc, string> key, string kind,
            Dictionary<string, TRow> existing, Func<TDoc, TRow> create, Action<TRow> add) where TDoc : notnull where TRow : class
        {
            var rows = new List<(TDoc, TRow, bool)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var d in docs)
            {
                var k = key(d);
                if (k.Length == 0 && binder.Faulty.Contains(d))
                {
                    continue;
                }

                if (k.Length > MaxKeyLength || !KeyPattern().IsMatch(k))
                {
                    Error(d, "key", $"must be at most {MaxKeyLength} letters, digits, '.', '_' or '-', starting and ending with a letter or digit.");
                    continue;
                }

                if (!seen.Add(k))
                {
                    var where = kind.EndsWith('/') ? $"in the key results of '{kind.TrimEnd('/')}'" : $"in {kind}";
                    Error(d, "key", $"'{k}' appears twice {where}.");
                    continue;
                }

                var created = !existing.TryGetValue(k, out var row);
                if (row is null)
                {
                    row = create(d);
                    add(row);
                    existing[k] = row;
                }
                else
                {
                    Compare(row);
                }

                rows.Add((d, row, created));
            }

            return rows;
        }

        private Team? TeamRef(object owner, string field, string? key)
        {
            if (key is null)
            {
                return null;
            }

            if (_teams.TryGetValue(key, out var team))
            {
                return team;
            }

            Error(owner, field, $"There is no team with the key '{key}' in the document or the organisation.");
            return null;
        }

        private Person? PersonRef(object owner, string field, string? email)
        {
            if (email is null)
            {
                return null;
            }

            if (_people.TryGetValue(email.Trim(), out var person))
            {
                return person;
            }

            Error(owner, field, $"There is no person with the email '{email}' in the document or the organisation.");
            return null;
        }

        /// <summary>
        /// The entity's own rule violations, placed at the document field of the same name (or at a mapped one).
        /// A row whose fields already failed the schema is not checked again: one error per mistake.
        /// </summary>
        private void Report(object owner, ValidationErrors errors, Dictionary<string, string>? fieldOf = null)
        {
            if (errors.IsValid || binder.Faulty.Contains(owner))
            {
                return;
            }

            foreach (var (field, messages) in errors.ToDictionary())
            {
                foreach (var message in messages)
                {
                    Error(owner, fieldOf?.GetValueOrDefault(field) ?? field, message);
                }
            }
        }
    }
}
