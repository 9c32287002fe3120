using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Access;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Kpis;

namespace Okapi.Reference;

/// <summary>
/// The reference organisation of PRODUCT.md §5 (or a linear fraction of it), written straight into a migrated database
/// beside any organisation already there. Every entity is an Okapi.Core object that passes its own validation; values
/// come from a fixed seed, so two runs at the same size and instant produce the same organisation (ids aside).
/// Past cycles are closed as Okapi closes them (Core's grading, close and snapshot), with every grade the proposed one.
/// </summary>
public sealed class ReferenceOrganisation(ReferenceSize size, DateTimeOffset now, TextWriter log)
{
    public const string Password = "Reference-Password-1";
    public const string MinuteKpiKey = "reference-minute";
    private const string TimeZone = "Europe/Berlin";
    private const int Seed = 20_27;
    private const int SignInMembers = 3;
    private const int SampleTeams = 300;

    private readonly Random _random = new(Seed);
    private readonly TimeZoneInfo _zone = Organisation.ZoneOf(TimeZone);
    private readonly Organisation _organisation = new() { Name = "Reference Corp", Slug = $"reference-{Guid.NewGuid():N}"[..30], TimeZone = TimeZone };
    private readonly List<Person> _people = [];
    private readonly List<Team> _teams = [];
    private readonly Dictionary<Guid, Team?> _parentOf = [];
    private readonly Dictionary<Guid, List<Person>> _membersOf = [];
    private readonly Dictionary<Guid, Team> _firstTeamOf = [];
    private readonly List<TeamMembership> _memberships = [];
    private readonly List<Cycle> _cycles = [];
    private readonly List<Objective> _objectives = [];
    private readonly List<KeyResult> _keyResults = [];
    private readonly Dictionary<Guid, List<KeyResult>> _keyResultsOf = [];
    private readonly List<ObjectiveLink> _links = [];
    private readonly List<CheckIn> _checkIns = [];
    private readonly List<CycleClosing> _closings = [];
    private readonly List<ClosedScore> _scores = [];
    private readonly List<Kpi> _kpis = [];
    private readonly List<double> _levels = [];
    private readonly List<AlertRule> _rules = [];
    private DateTime Now => now.UtcDateTime;

    /// <summary>Migrates the database, writes the organisation and refreshes the planner's statistics.</summary>
    public async Task<ReferenceFile> WriteAsync(OkapiDbContext db, CancellationToken ct = default)
    {
        var total = Stopwatch.StartNew();
        await db.Database.MigrateAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (db.Database.IsSqlite())
            {
                // Generated data can be generated again: a crash mid-way costs a rerun, not durability the app relies on.
                await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=OFF", ct);
            }

            await log.WriteLineAsync($"Building the organisation for {size.People:N0} people …");
            var stopwatch = Stopwatch.StartNew();
            BuildPeopleAndTeams();
            BuildCycles();
            BuildOkrs();
            ClosePastCycles();
            BuildKpis();
            var (file, accounts, tokens) = BuildAccess();
            await log.WriteLineAsync($"  built in memory in {stopwatch.Elapsed.TotalSeconds:0.0} s");

            var writer = BulkWriter.For(db, log);
            await writer.WriteAsync([_organisation], ct);
            await writer.WriteAsync(_people, ct);
            await writer.WriteAsync(accounts, ct);
            await writer.WriteAsync(_teams, ct);
            await writer.WriteAsync(_memberships, ct);
            await writer.WriteAsync(_cycles, ct);
            await writer.WriteAsync(_objectives, ct);
            await writer.WriteAsync(_keyResults, ct);
            await writer.WriteAsync(_links, ct);
            await writer.WriteAsync(_checkIns, ct);
            await writer.WriteAsync(_closings, ct);
            await writer.WriteAsync(_scores, ct);
            var numbers = await db.TakeKpiNumbersAsync(_kpis.Count, ct);
            for (var i = 0; i < _kpis.Count; i++)
            {
                _kpis[i].Number = numbers[i];
            }

            await writer.WriteAsync(_kpis, ct);
            await WriteKpiValuesAsync(writer, ct);
            await RebuildKpiRollupsAsync(db, ct);
            await writer.WriteAsync(_rules, ct);
            await writer.WriteAsync(tokens, ct);

            stopwatch.Restart();
            await writer.AnalyzeAsync(ct);
            await log.WriteLineAsync($"  ANALYZE in {stopwatch.Elapsed.TotalSeconds:0.0} s");
            await log.WriteLineAsync($"Wrote the reference organisation in {total.Elapsed.TotalSeconds:0.0} s.");
            return file;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
            if (db.Database.GetDbConnection() is SqliteConnection connection)
            {
                // Pooled, the connection would go on without synchronous writes; closed, the next one gets Okapi's pragmas.
                SqliteConnection.ClearPool(connection);
            }
        }
    }

    /// <summary>The raw values of every KPI, in primary-key order (by KPI, then instant).</summary>
    private async Task WriteKpiValuesAsync(BulkWriter writer, CancellationToken ct) =>
        await writer.WriteAsync(KpiValues(), ct);

    /// <summary>The KPIs' day rollups and current figures from the raw values, as Okapi keeps them when values arrive through it.</summary>
    private async Task RebuildKpiRollupsAsync(OkapiDbContext db, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        db.OrganisationId = _organisation.Id;
        await KpiRollups.RebuildAsync(db, ct);
        await log.WriteLineAsync($"  KPI day rollups in {stopwatch.Elapsed.TotalSeconds:0.0} s");
    }

    private void BuildPeopleAndTeams()
    {
        var company = AddTeam("Reference Corp", null, "The whole company.");
        var teams = size.Teams;
        var divisions = Math.Max(2, teams / 190);
        var departments = Math.Max(4, teams / 30);
        var divisionTeams = Enumerable.Range(0, divisions).Select(i => AddTeam($"{Pick(DivisionNames, i)} Division", company, "Owns a line of business.")).ToList();
        var departmentTeams = Enumerable.Range(0, departments)
            .Select(i => AddTeam($"{Pick(DepartmentNames, i)} {i / DepartmentNames.Length + 1}", divisionTeams[i % divisions], null)).ToList();
        var leaves = teams - 1 - divisions - departments;
        var squads = new List<Team>();
        for (var i = 0; i < leaves; i++)
        {
            // One team in seven is a sub-team of an earlier team, so parts of the tree are five or six deep.
            var parent = i % 7 == 6 && squads.Count > 0 ? squads[(i * 31) % squads.Count] : departmentTeams[i % departments];
            squads.Add(AddTeam($"{Pick(SquadNames, i)} {i / SquadNames.Length + 1}", parent, i % 3 == 0 ? "Ships what our customers ask for." : null));
        }

        var admins = Math.Max(1, size.People / 2_000);
        for (var i = 0; i < size.People; i++)
        {
            var role = i < admins ? Role.Admin : i % 10 == 9 ? Role.Viewer : Role.Member;
            var name = $"{Pick(FirstNames, i)} {Pick(LastNames, i / FirstNames.Length + i)}";
            var person = Valid(new Person
            {
                OrganisationId = _organisation.Id,
                Name = name,
                Email = $"person{i:00000}@{_organisation.Slug}.example",
                Role = role,
                CreatedAt = Now.AddDays(-400),
                UpdatedAt = Now.AddDays(-400),
            }, p => p.Validate());
            _people.Add(person);

            // Admins sit in the company team; everyone else in one team below it, and one in four in a second team.
            var first = i < admins ? company : _teams[1 + i % (_teams.Count - 1)];
            Join(first, person);
            if (i % 4 == 1)
            {
                Join(_teams[1 + (i * 7 + 3) % (_teams.Count - 1)], person);
            }
        }

        // Every team has a lead: its first member, or someone from its parent when nobody joined it.
        foreach (var team in _teams)
        {
            var members = _membersOf[team.Id];
            if (members.Count == 0)
            {
                Join(team, _people[_teams.IndexOf(team) % _people.Count]);
            }

            _memberships.First(m => m.TeamId == team.Id).IsLead = true;
        }
    }

    private Team AddTeam(string name, Team? parent, string? mission)
    {
        var team = Valid(new Team
        {
            OrganisationId = _organisation.Id,
            Name = name,
            ParentTeamId = parent?.Id,
            Mission = mission,
            CreatedAt = Now.AddDays(-400),
            UpdatedAt = Now.AddDays(-400),
        }, t => t.Validate());
        _teams.Add(team);
        _parentOf[team.Id] = parent;
        _membersOf[team.Id] = [];
        return team;
    }

    private void Join(Team team, Person person)
    {
        if (_membersOf[team.Id].Contains(person))
        {
            return;
        }

        _membersOf[team.Id].Add(person);
        _firstTeamOf.TryAdd(person.Id, team);
        _memberships.Add(new TeamMembership { OrganisationId = _organisation.Id, TeamId = team.Id, PersonId = person.Id });
    }

    /// <summary>The quarter holding now (active) and the three before it (closed further down).</summary>
    private void BuildCycles()
    {
        var current = Cycle.Quarter(CycleWindow.DateOf(now, _zone));
        var quarters = new List<Cycle> { current };
        for (var i = 0; i < 3; i++)
        {
            quarters.Insert(0, Cycle.Quarter(quarters[0].Start.AddDays(-1)));
        }

        foreach (var cycle in quarters)
        {
            cycle.OrganisationId = _organisation.Id;
            cycle.State = cycle == current ? CycleState.Active : CycleState.Planning;
            cycle.CreatedAt = cycle.Window(_zone).Start.UtcDateTime.AddDays(-14);
            cycle.UpdatedAt = cycle.CreatedAt;
            _cycles.Add(Valid(cycle, c => c.Validate()));
        }
    }

    private void BuildOkrs()
    {
        var objectiveIndex = 0;
        foreach (var cycle in _cycles)
        {
            var window = cycle.Window(_zone);
            var teamObjectives = new Dictionary<Guid, List<Objective>>();
            foreach (var team in _teams)
            {
                var parent = _parentOf[team.Id];
                var owned = teamObjectives[team.Id] = [];
                for (var j = 0; j < 3; j++)
                {
                    var objective = AddObjective(cycle, team, null, objectiveIndex++, isPrivate: false);
                    owned.Add(objective);
                    if (parent is not null)
                    {
                        // Parents come first in the team list, so their objectives exist already.
                        var parents = teamObjectives[parent.Id];
                        AddLink(objective, parents[j % 3], null);
                        if (objectiveIndex % 7 == 0)
                        {
                            AddLink(objective, parents[(j + 1) % 3], null);
                        }

                        if (objectiveIndex % 5 == 0)
                        {
                            AddLink(objective, null, _keyResultsOf[parents[(j + 2) % 3].Id][0]);
                        }
                    }
                }
            }

            var personal = size.ObjectivesPerCycle - 3 * _teams.Count;
            for (var i = 0; i < personal; i++)
            {
                var person = _people[(i * 13 + _cycles.IndexOf(cycle)) % _people.Count];
                var objective = AddObjective(cycle, null, person, objectiveIndex++, isPrivate: i % 10 == 3);
                if (i % 2 == 0 && _firstTeamOf.TryGetValue(person.Id, out var team))
                {
                    AddLink(objective, teamObjectives[team.Id][i % 3], null);
                }
            }

            foreach (var objective in _objectives.Where(o => o.CycleId == cycle.Id))
            {
                foreach (var keyResult in _keyResultsOf[objective.Id])
                {
                    AddCheckIns(keyResult, window);
                }
            }
        }
    }

    private Objective AddObjective(Cycle cycle, Team? team, Person? person, int index, bool isPrivate)
    {
        var owner = team?.Name ?? person!.Name;
        var created = cycle.Window(_zone).Start.UtcDateTime.AddDays(-_random.Next(1, 10));
        var objective = Valid(new Objective
        {
            OrganisationId = _organisation.Id,
            Title = $"{Pick(ObjectiveTitles, index)} ({owner})",
            Description = index % 4 == 0 ? "Why it matters: our customers and our team both feel it when we get this right." : null,
            CycleId = cycle.Id,
            OwnerTeamId = team?.Id,
            OwnerPersonId = person?.Id,
            State = index % 50 == 7 && cycle.State == CycleState.Active ? ObjectiveState.Draft : ObjectiveState.Active,
            Visibility = isPrivate ? Visibility.Private : Visibility.Public,
            Tags = index % 3 == 0 ? [Pick(Tags, index)] : [],
            CreatedAt = created,
            UpdatedAt = created,
        }, o => o.Validate());
        _objectives.Add(objective);
        var keyResults = _keyResultsOf[objective.Id] = [];
        var candidates = team is null ? [person!] : _membersOf[team.Id];
        for (var k = 0; k < ReferenceSize.KeyResultsOf(index); k++)
        {
            var keyResult = NewKeyResult(index * 4 + k, objective, candidates[(index + k) % candidates.Count]);
            keyResults.Add(keyResult);
            _keyResults.Add(keyResult);
        }

        return objective;
    }

    private KeyResult NewKeyResult(int index, Objective objective, Person owner)
    {
        var type = (index % 10) switch
        {
            < 4 => KeyResultType.IncreaseTo,
            4 => KeyResultType.DecreaseTo,
            5 => KeyResultType.StayAbove,
            6 => KeyResultType.StayBelow,
            7 => KeyResultType.Milestone,
            _ => KeyResultType.CommitTargetStretch,
        };
        var scale = Math.Round(10 + _random.NextDouble() * 990);
        var keyResult = new KeyResult
        {
            OrganisationId = _organisation.Id,
            Title = type switch
            {
                KeyResultType.IncreaseTo => $"Grow {Pick(Measures, index)} to {scale * 2:N0}",
                KeyResultType.DecreaseTo => $"Cut {Pick(Costs, index)} to {scale / 2:N0}",
                KeyResultType.StayAbove => $"Keep {Pick(Measures, index)} above {scale:N0}",
                KeyResultType.StayBelow => $"Keep {Pick(Costs, index)} below {scale:N0}",
                KeyResultType.Milestone => $"Ship {Pick(Milestones, index)}",
                _ => $"Raise {Pick(Measures, index)} (commit, target, stretch)",
            },
            ObjectiveId = objective.Id,
            OwnerPersonId = owner.Id,
            Type = type,
            Unit = type == KeyResultType.Milestone ? null : Pick(Units, index),
            Start = type switch
            {
                KeyResultType.IncreaseTo or KeyResultType.CommitTargetStretch => scale,
                KeyResultType.DecreaseTo => scale,
                _ => 0,
            },
            Target = type switch
            {
                KeyResultType.IncreaseTo => scale * 2,
                KeyResultType.DecreaseTo => scale / 2,
                KeyResultType.StayAbove or KeyResultType.StayBelow => scale,
                KeyResultType.Milestone => 1,
                _ => scale * 2,
            },
            Commit = type == KeyResultType.CommitTargetStretch ? scale * 1.4 : null,
            Stretch = type == KeyResultType.CommitTargetStretch ? scale * 2.5 : null,
            Weight = index % 11 == 0 ? 2 : 1,
            UpdateRhythmDays = index % 5 == 0 ? 14 : 7,
            Checklist = type == KeyResultType.Milestone
                ? [new ChecklistItem("Design agreed", false), new ChecklistItem("Built and tested", false), new ChecklistItem("Rolled out", false)]
                : [],
            CreatedAt = objective.CreatedAt,
            UpdatedAt = objective.CreatedAt,
        };
        return Valid(keyResult, k => k.Validate());
    }

    /// <summary>Check-ins from the cycle's second week to its end (or to now), moving towards how far the key result gets.</summary>
    private void AddCheckIns(KeyResult keyResult, CycleWindow window)
    {
        var active = window.Contains(now);
        var end = active ? now.AddHours(-1) : window.End.AddDays(-1);
        var first = window.Start.AddDays(7);
        var elapsed = Math.Clamp((end - window.Start) / window.Length, 0, 1);
        // Three full cycles and the elapsed part of the active one share about ten check-ins a key result.
        var perCycle = 4 * ReferenceSize.CheckInsPerKeyResult / (3 + ElapsedOfActive());
        var count = end <= first ? 0 : Math.Max(1, (int)Math.Round(perCycle * elapsed));
        var reach = 0.2 + _random.NextDouble() * 0.9;
        CheckIn? newest = null;
        for (var i = 1; i <= count; i++)
        {
            var fraction = (double)i / count;
            var at = first + (end - first) * fraction - TimeSpan.FromMinutes(_random.Next(0, 600));
            var progress = Math.Min(reach, reach * fraction + (_random.NextDouble() - 0.5) * 0.05);
            var value = Math.Round(ValueAt(keyResult, progress), 2);
            var confidence = progress >= 0.6 * fraction ? Confidence.OnTrack : progress >= 0.3 * fraction ? Confidence.AtRisk : Confidence.OffTrack;
            var checkIn = keyResult.RecordCheckIn(value, at.UtcDateTime, CheckInSource.Person, newest, confidence,
                i % 5 == 0 ? "Steady progress; next step agreed with the team." : null, keyResult.OwnerPersonId);
            _checkIns.Add(Valid(checkIn, c => c.Validate(Now)));
            newest = checkIn;
        }

        if (keyResult.Type == KeyResultType.Milestone)
        {
            var done = (int)Math.Floor(reach * keyResult.Checklist.Count * Math.Min(1, elapsed + 0.2));
            keyResult.Checklist = keyResult.Checklist.Select((item, i) => item with { Done = i < done }).ToList();
        }

        keyResult.UpdatedAt = newest?.At ?? keyResult.UpdatedAt;
    }

    private double ElapsedOfActive()
    {
        var active = _cycles.Single(c => c.State == CycleState.Active).Window(_zone);
        return Math.Clamp((now - active.Start) / active.Length, 0, 1);
    }

    private static double ValueAt(KeyResult keyResult, double progress) => keyResult.Type switch
    {
        KeyResultType.IncreaseTo or KeyResultType.DecreaseTo => keyResult.Start + (keyResult.Target - keyResult.Start) * progress,
        KeyResultType.CommitTargetStretch => keyResult.Start + (keyResult.Stretch!.Value - keyResult.Start) * progress,
        KeyResultType.StayAbove => keyResult.Target * (0.9 + 0.2 * progress),
        KeyResultType.StayBelow => keyResult.Target * (1.1 - 0.2 * progress),
        _ => progress >= 0.99 ? 1 : 0,
    };

    private void AddLink(Objective child, Objective? parent, KeyResult? parentKeyResult) =>
        _links.Add(Valid(new ObjectiveLink
        {
            OrganisationId = _organisation.Id,
            ChildObjectiveId = child.Id,
            ParentObjectiveId = parent?.Id,
            ParentKeyResultId = parentKeyResult?.Id,
        }, l => l.Validate()));

    /// <summary>
    /// Closes each past cycle for the company as the close does when every grade is the proposed one: key results are
    /// graded from their progress, objectives closed from their key results, and the snapshot kept.
    /// </summary>
    private void Close(Cycle cycle, Person admin, Dictionary<Guid, string> names)
    {
        var closing = cycle.Close(null, closedBefore: false, cycle.Window(_zone).End.UtcDateTime.AddDays(3), admin.Id, admin.Name);
        _closings.Add(closing);
        var position = 0;
        foreach (var objective in _objectives.Where(o => o.CycleId == cycle.Id))
        {
            var keyResults = _keyResultsOf[objective.Id];
            foreach (var keyResult in keyResults)
            {
                var proposed = Grades.Grade(keyResult.Progress());
                keyResult.Grade(proposed, proposed);
            }

            // Every objective has key results of its own, so its progress is their weighted mean (no rollup from children).
            var progress = AlignmentGraph.WeightedMean(keyResults.Select(k => (k.Progress(), k.Weight)));
            objective.Close(keyResults, progress, objective.Title.Length % 3 == 0 ? "We learned to check in weekly." : null);
            objective.UpdatedAt = closing.ClosedAt;
            var rows = closing.Snapshot(objective, progress, keyResults.Select(k => (k, k.Progress())), names, position);
            position += rows.Count;
            _scores.AddRange(rows);
        }
    }

    private void ClosePastCycles()
    {
        var admin = _people.First(p => p.Role == Role.Admin);
        var names = _teams.Select(t => (t.Id, t.Name)).Concat(_people.Select(p => (p.Id, p.Name))).ToDictionary(x => x.Id, x => x.Name);
        foreach (var cycle in _cycles.Where(c => c.Window(_zone).End <= now))
        {
            Close(cycle, admin, names);
        }
    }

    private void BuildKpis()
    {
        var teamKpis = Math.Min(3 * _teams.Count, size.Kpis * 9 / 10);
        for (var i = 0; i < size.Kpis; i++)
        {
            var team = i < teamKpis ? _teams[i / 3 % _teams.Count] : null;
            var person = team is null ? _people[(i * 17) % _people.Count] : null;
            var direction = (KpiDirection)(i % 3);
            var level = Math.Round(50 + _random.NextDouble() * 950);
            var kpi = new Kpi
            {
                OrganisationId = _organisation.Id,
                Name = i == 0 ? "Requests per minute" : $"{Pick(KpiNames, i)} {i + 1}",
                Key = i == 0 ? MinuteKpiKey : $"kpi-{i + 1:00000}",
                Description = i % 4 == 0 ? "Reported by the team's own systems." : null,
                OwnerTeamId = team?.Id,
                OwnerPersonId = person?.Id,
                Unit = Pick(Units, i),
                Direction = i == 0 ? KpiDirection.HigherIsBetter : direction,
                Cadence = i == 0 ? Cadence.Daily : (Cadence)(i / 3 % 3),
                Aggregation = i == 0 ? PeriodAggregation.Average : (PeriodAggregation)(i / 9 % 6),
                Target = i % 2 == 0 ? level * 1.1 : null,
                Tags = i % 5 == 0 ? [Pick(Tags, i)] : [],
                Visibility = i % 20 == 19 ? Visibility.Private : Visibility.Public,
                CreatedAt = Now - ReferenceSize.KpiHistory - TimeSpan.FromDays(1),
                UpdatedAt = Now - ReferenceSize.KpiHistory - TimeSpan.FromDays(1),
            };
            if (i % 4 != 3)
            {
                (kpi.WarningLower, kpi.CriticalLower, kpi.WarningUpper, kpi.CriticalUpper) = kpi.Direction switch
                {
                    KpiDirection.HigherIsBetter => (level * 0.8, level * 0.6, null, null),
                    KpiDirection.LowerIsBetter => ((double?)null, (double?)null, (double?)(level * 1.2), (double?)(level * 1.4)),
                    _ => (level * 0.8, level * 0.6, level * 1.2, level * 1.4),
                };
            }

            _kpis.Add(Valid(kpi, k => k.Validate()));
            _levels.Add(level);
            var (at, value) = Series(i, level).Last();
            (kpi.LatestAt, kpi.LatestValue) = (at, value);
            if (i % 3 == 0)
            {
                _rules.Add(new AlertRule
                {
                    OrganisationId = _organisation.Id,
                    KpiId = kpi.Id,
                    Name = $"{kpi.Name}: {(i / 3 % 3 == 0 ? "critical" : i / 3 % 3 == 1 ? "sharp drop" : "no data")}",
                    Kind = (AlertRuleKind)(i / 3 % 3),
                    Severity = i / 3 % 3 == 0 ? AlertSeverity.Critical : AlertSeverity.Warning,
                    ChangePercent = i / 3 % 3 == 1 ? 30 : null,
                    NoDataCadences = 2,
                    PendingSeconds = 300,
                    CreatedAt = kpi.CreatedAt,
                    UpdatedAt = kpi.CreatedAt,
                });
            }
        }
    }

    /// <summary>Values per KPI: the minute KPI gets its year of minutes, the others share the rest, some more than others.</summary>
    private IEnumerable<KpiValue> KpiValues()
    {
        foreach (var (kpi, i) in _kpis.Select((k, i) => (k, i)))
        {
            foreach (var (at, value) in Series(i, _levels[i]))
            {
                yield return new KpiValue { KpiNumber = kpi.Number, At = at, Value = value, Source = KpiValueSource.Api };
            }
        }
    }

    /// <summary>
    /// The series of the KPI at <paramref name="index"/>, oldest first and ending at now: a level with a slow wave and
    /// noise, seeded by the KPI so that it can be produced again (for its latest value, and when the values are written).
    /// </summary>
    private IEnumerable<(DateTime At, double Value)> Series(int index, double level)
    {
        var minutes = index == 0;
        var count = SeriesLength(index);
        var step = minutes ? TimeSpan.FromMinutes(1) : ReferenceSize.KpiHistory / count;
        var last = new DateTime(Now.Ticks - Now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        var random = new Random(Seed + index);
        for (var n = count - 1; n >= 0; n--)
        {
            var wave = Math.Sin(n * 2 * Math.PI / Math.Max(24, count / 24.0));
            var value = Math.Round(level * (1 + 0.15 * wave + 0.1 * (random.NextDouble() - 0.5)), 3);
            yield return (last - step * n, value);
        }
    }

    private int SeriesLength(int index)
    {
        var others = (double)(size.KpiValues - size.MinuteValues) / Math.Max(1, size.Kpis - 1);
        return index == 0 ? size.MinuteValues : Math.Max(2, (int)Math.Round(others * (0.8 + 0.1 * (index % 5))));
    }

    /// <summary>Sign-in accounts (every person has one; a few members and the first admin with a known password) and two tokens.</summary>
    private (ReferenceFile File, List<Account> Accounts, List<ApiToken> Tokens) BuildAccess()
    {
        var clock = new FixedClock(now);
        var hasher = new PasswordHasher<Account>();
        var admin = _people.First(p => p.Role == Role.Admin);
        var signIns = _people.Where(p => p.Role == Role.Member).Take(SignInMembers).Prepend(admin).ToList();
        var accounts = _people.Select(p => new Account
        {
            Id = p.Id,
            OrganisationId = _organisation.Id,
            UserName = p.Email,
            NormalizedUserName = p.Email.ToUpperInvariant(),
            Email = p.Email,
            NormalizedEmail = p.Email.ToUpperInvariant(),
            EmailConfirmed = true,
            SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant(),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            LockoutEnabled = true,
        }).ToList();
        foreach (var account in accounts.Where(a => signIns.Any(p => p.Id == a.Id)))
        {
            account.PasswordHash = hasher.HashPassword(account, Password);
        }

        var member = signIns[1];
        var (memberToken, memberSecret) = TokenService.Issue(member.Id, "reference member", [TokenScope.Read, TokenScope.Write], null, clock);
        var (adminToken, adminSecret) = TokenService.Issue(admin.Id, "reference admin", [TokenScope.Admin], null, clock);
        memberToken.OrganisationId = adminToken.OrganisationId = _organisation.Id;

        var memberTeam = _firstTeamOf[member.Id];
        var minuteKpi = _kpis[0];
        // The minute KPI belongs to the member's team, so that the member sees it as its owners do.
        minuteKpi.OwnerTeamId = memberTeam.Id;
        minuteKpi.OwnerPersonId = null;
        var leaves = _teams.Where(t => _parentOf.Values.All(p => p?.Id != t.Id)).ToList();
        var file = new ReferenceFile
        {
            People = size.People,
            ValueScale = size.ValueScale,
            GeneratedFor = now,
            OrganisationId = _organisation.Id,
            ActiveCycleId = _cycles.Single(c => c.State == CycleState.Active).Id,
            CycleIds = _cycles.Select(c => c.Id).ToList(),
            MemberId = member.Id,
            MemberTeamId = memberTeam.Id,
            MinuteKpiId = minuteKpi.Id,
            MemberToken = memberSecret,
            AdminToken = adminSecret,
            SignIns = signIns.Select(p => new ReferenceSignIn(p.Email, Password, p.Role.ToString().ToLowerInvariant())).ToList(),
            SampleTeamIds = leaves.Where((_, i) => i % Math.Max(1, leaves.Count / SampleTeams) == 0).Take(SampleTeams).Select(t => t.Id).ToList(),
            Counts = new ReferenceCounts(_teams.Count, _people.Count, _objectives.Count, _keyResults.Count, _checkIns.Count, _kpis.Count,
                Enumerable.Range(0, _kpis.Count).Sum(i => (long)SeriesLength(i)), _links.Count, _rules.Count),
        };
        return (file, accounts, [memberToken, adminToken]);
    }

    private static T Valid<T>(T entity, Func<T, ValidationErrors> validate)
    {
        var errors = validate(entity);
        return errors.IsValid
            ? entity
            : throw new InvalidOperationException($"Generated {typeof(T).Name} is invalid: {string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
    }

    private static string Pick(string[] words, int index) => words[index % words.Length];

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly string[] FirstNames = ["Ada", "Ben", "Chloé", "Dmitri", "Ebba", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam", "Maya", "Nils", "Olga", "Priya", "Quentin", "Rosa", "Sami", "Tess", "Uma", "Viktor", "Wen", "Yara", "Zoe"];
    private static readonly string[] LastNames = ["Adeyemi", "Berg", "Castillo", "Dubois", "Eriksen", "Fischer", "García", "Huang", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Weber", "Yilmaz", "Zhang", "Novak", "Silva"];
    private static readonly string[] DivisionNames = ["Product", "Sales", "Operations", "Platform", "Customer", "Finance", "People", "Growth", "Research", "Marketing"];
    private static readonly string[] DepartmentNames = ["Payments", "Mobile", "Web", "Data", "Support", "Logistics", "Security", "Billing", "Search", "Partners", "Onboarding", "Analytics"];
    private static readonly string[] SquadNames = ["Aurora", "Basalt", "Comet", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orbit", "Pioneer", "Quartz", "Ridge", "Summit", "Tundra"];
    private static readonly string[] ObjectiveTitles = ["Delight our customers with a faster checkout", "Make onboarding effortless", "Become the most reliable platform in our market", "Grow revenue from existing customers", "Build a team people want to join", "Ship with confidence every day", "Win the mid-market segment", "Cut the cost of serving a customer", "Make our data trustworthy", "Turn support into a strength"];
    private static readonly string[] Measures = ["weekly active users", "net revenue retention", "trial conversions", "NPS", "qualified leads", "deploys per week", "self-serve signups", "feature adoption"];
    private static readonly string[] Costs = ["p95 latency", "churned accounts", "open incidents", "support backlog", "cloud spend", "time to first value", "failed deploys"];
    private static readonly string[] Milestones = ["the new pricing page", "SSO for enterprise", "the partner API", "the mobile redesign", "the data warehouse migration"];
    private static readonly string[] Units = ["%", "users", "ms", "€k", "accounts", "tickets", "points"];
    private static readonly string[] Tags = ["growth", "reliability", "customers", "hiring", "cost"];
    private static readonly string[] KpiNames = ["Signups", "Active users", "Revenue", "Error rate", "Latency", "Tickets opened", "Churn", "Conversion rate", "Uptime", "Orders"];
}
