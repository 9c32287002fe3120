using Microsoft.EntityFrameworkCore;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Exchange;

public enum DocumentFormat
{
    Yaml,
    Json,
}

/// <summary>An exported document, ready to send.</summary>
public sealed record ExportedDocument(string Text, string ContentType, string FileName);

/// <summary>
/// Writes the organisation (or one cycle of it) as an OKRs-as-code document. Everything is sorted by key (people by
/// email, cycles by start with the longer first, check-ins by instant) so that the same data always gives the same bytes. Read-only: keys that are not
/// stored are derived, never written.
/// </summary>
public sealed class ExchangeExport(OkapiDbContext db, Caller caller)
{
    public const string YamlContentType = "application/yaml";
    public const string JsonContentType = "application/json";

    public async Task<Outcome<ExportedDocument>> ExportAsync(DocumentFormat format, string? cycle, CancellationToken ct)
    {
        var document = await DocumentAsync(cycle, ct);
        if (!document.IsOk)
        {
            return document.Failure!;
        }

        var tree = DocumentBinder.ToTree(document.Value!);
        var slug = (await db.Organisations.AsNoTracking().Where(o => o.Id == db.OrganisationId).Select(o => o.Slug).FirstAsync(ct)) + (cycle is null ? "" : $"-{cycle}");
        return format == DocumentFormat.Yaml
            ? new ExportedDocument(DocumentTree.WriteYaml(tree), YamlContentType, $"{slug}-okrs.yaml")
            : new ExportedDocument(DocumentTree.WriteJson(tree), JsonContentType, $"{slug}-okrs.json");
    }

    public async Task<Outcome<OkrDocument>> DocumentAsync(string? cycle, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins export the organisation's OKRs.");
        }

        var state = await ExchangeState.LoadAsync(db, caller, tracked: false, ct);
        var cycles = state.Cycles;
        var objectives = state.Objectives;
        if (cycle is not null)
        {
            var chosen = state.Cycles.FirstOrDefault(c => state.CycleKeys[c.Id] == cycle || c.Id.ToString() == cycle);
            if (chosen is null)
            {
                return Failure.Invalid("cycle", $"There is no cycle with the key or id '{cycle}'.");
            }

            // The cycle and the cycles it lies in, so that its parent key resolves in the document itself.
            var chain = new List<Cycle>();
            for (var c = chosen; c is not null && !chain.Contains(c); c = state.Cycles.FirstOrDefault(p => p.Id == c.ParentCycleId))
            {
                chain.Add(c);
            }

            cycles = chain;
            objectives = objectives.Where(o => o.CycleId == chosen.Id).ToList();
        }

        var email = state.People.ToDictionary(p => p.Id, p => p.Email);
        var objectiveIds = objectives.Select(o => o.Id).ToHashSet();
        var keyResults = state.KeyResults.Where(k => objectiveIds.Contains(k.ObjectiveId)).ToList();
        var krIds = keyResults.Select(k => k.Id).ToList();
        var checkIns = (await db.CheckIns.AsNoTracking().Where(c => krIds.Contains(c.KeyResultId)).ToListAsync(ct)).ToLookup(c => c.KeyResultId);
        var kpiKeys = state.Kpis.ToDictionary(k => k.Id, k => k.Key);
        var krObjective = state.KeyResults.ToDictionary(k => k.Id, k => k.ObjectiveId);
        var links = state.Links.ToLookup(l => l.ChildObjectiveId);
        var krsOf = keyResults.ToLookup(k => k.ObjectiveId);
        var o = state.Organisation;

        return new OkrDocument
        {
            Okapi = OkrDocument.CurrentVersion,
            Organisation = new OrganisationDoc
            {
                Name = o.Name,
                TimeZone = o.TimeZone,
                FiscalYearStartMonth = o.FiscalYearStartMonth,
                WeekStart = o.WeekStart,
                CheckInWeekday = o.CheckInWeekday,
                CheckInHour = o.CheckInHour,
                Vision = o.Vision,
            },
            People = state.People.OrderBy(p => p.Email.ToLowerInvariant(), StringComparer.Ordinal)
                .Select(p => new PersonDoc { Email = p.Email, Name = p.Name, Role = p.Role }).ToList(),
            Teams = state.Teams.OrderBy(t => state.TeamKeys[t.Id], StringComparer.Ordinal).Select(t => new TeamDoc
            {
                Key = state.TeamKeys[t.Id],
                Name = t.Name,
                Parent = t.ParentTeamId is { } parent ? state.TeamKeys.GetValueOrDefault(parent) : null,
                Mission = t.Mission,
                Members = t.Members.Where(m => email.ContainsKey(m.PersonId))
                    .OrderBy(m => email[m.PersonId].ToLowerInvariant(), StringComparer.Ordinal)
                    .Select(m => new MemberDoc { Email = email[m.PersonId], Lead = m.IsLead ? true : null }).ToList(),
            }).ToList(),
            Cycles = cycles.OrderBy(c => c.Start).ThenByDescending(c => c.End).ThenBy(c => state.CycleKeys[c.Id], StringComparer.Ordinal).Select(c => new CycleDoc
            {
                Key = state.CycleKeys[c.Id],
                Name = c.Name,
                Start = c.Start,
                End = c.End,
                Kind = c.Kind,
                State = c.State,
                Parent = c.ParentCycleId is { } parent ? state.CycleKeys.GetValueOrDefault(parent) : null,
            }).ToList(),
            Kpis = state.Kpis.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => new KpiDoc
            {
                Key = k.Key,
                Name = k.Name,
                Description = k.Description,
                Unit = k.Unit,
                Direction = k.Direction,
                Cadence = k.Cadence,
                Aggregation = k.Aggregation,
                Thresholds = k.HasThresholds
                    ? new ThresholdsDoc { WarningLower = k.WarningLower, WarningUpper = k.WarningUpper, CriticalLower = k.CriticalLower, CriticalUpper = k.CriticalUpper }
                    : null,
                Target = k.Target,
                Tags = k.Tags,
                OwnerTeam = k.OwnerTeamId is { } team ? state.TeamKeys.GetValueOrDefault(team) : null,
                OwnerPerson = k.OwnerPersonId is { } person ? email.GetValueOrDefault(person) : null,
                Visibility = k.Visibility,
            }).ToList(),
            Objectives = objectives.OrderBy(x => state.ObjectiveKeys[x.Id], StringComparer.Ordinal).Select(x => new ObjectiveDoc
            {
                Key = state.ObjectiveKeys[x.Id],
                Title = x.Title,
                Description = x.Description,
                Cycle = state.CycleKeys[x.CycleId],
                OwnerTeam = x.OwnerTeamId is { } team ? state.TeamKeys.GetValueOrDefault(team) : null,
                OwnerPerson = x.OwnerPersonId is { } person ? email.GetValueOrDefault(person) : null,
                State = x.State,
                Visibility = x.Visibility,
                Tags = x.Tags,
                Parents = links[x.Id].Select(l => Parent(l, state, krObjective)).OfType<ParentDoc>()
                    .OrderBy(p => p.Objective, StringComparer.Ordinal).ThenBy(p => p.KeyResult ?? "", StringComparer.Ordinal).ToList(),
                ContinuedFrom = x.ContinuedFromId is { } from ? state.ObjectiveKeys.GetValueOrDefault(from) : null,
                FinalGrade = x.FinalGrade,
                Retrospective = x.Retrospective,
                KeyResults = krsOf[x.Id].OrderBy(k => state.KeyResultKeys[k.Id], StringComparer.Ordinal).Select(k => new KeyResultDoc
                {
                    Key = state.KeyResultKeys[k.Id],
                    Title = k.Title,
                    Owner = k.OwnerPersonId is { } owner ? email.GetValueOrDefault(owner) : null,
                    Type = k.Type,
                    Unit = k.Unit,
                    Start = k.Start,
                    Target = k.Target,
                    Commit = k.Commit,
                    Stretch = k.Stretch,
                    Weight = k.Weight,
                    UpdateRhythmDays = k.UpdateRhythmDays,
                    Checklist = k.Checklist.Select(i => new ChecklistItemDoc { Title = i.Title, Done = i.Done }).ToList(),
                    Kpi = k.KpiId is { } kpi ? kpiKeys.GetValueOrDefault(kpi) : null,
                    FinalGrade = k.FinalGrade,
                    GradeReason = k.GradeReason,
                    CheckIns = checkIns[k.Id].OrderBy(c => c.At).ThenBy(c => c.Id).Select(c => new CheckInDoc
                    {
                        At = c.At,
                        Value = c.Value,
                        Confidence = c.Confidence,
                        Note = c.Note,
                        Author = c.AuthorId is { } author ? email.GetValueOrDefault(author) : null,
                        Source = c.Source,
                    }).ToList(),
                }).ToList(),
            }).ToList(),
        };
    }

    private static ParentDoc? Parent(ObjectiveLink link, ExchangeState state, Dictionary<Guid, Guid> krObjective)
    {
        if (link.ParentObjectiveId is { } parent)
        {
            return state.ObjectiveKeys.TryGetValue(parent, out var key) ? new ParentDoc { Objective = key, Weight = link.Weight, RollsUp = link.RollsUp } : null;
        }

        // A parent the caller may not see is left out rather than named.
        return link.ParentKeyResultId is { } kr && krObjective.TryGetValue(kr, out var objective) && state.ObjectiveKeys.TryGetValue(objective, out var objectiveKey)
            ? new ParentDoc { Objective = objectiveKey, KeyResult = state.KeyResultKeys[kr], Weight = link.Weight, RollsUp = link.RollsUp }
            : null;
    }
}
