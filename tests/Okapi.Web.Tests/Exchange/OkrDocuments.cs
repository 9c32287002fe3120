using Okapi.Core.Okrs;
using Okapi.Web.Features.Exchange;

namespace Okapi.Web.Tests.Exchange;

/// <summary>
/// Builds OKRs-as-code documents of a chosen size, so that tests can grow an organisation through one import. Every
/// row has a key made from <c>prefix</c>, so that documents with other prefixes add to an organisation.
/// </summary>
public static class OkrDocuments
{
    /// <summary>
    /// <paramref name="teams"/> teams, each with a lead and <paramref name="objectivesPerTeam"/> active objectives in the
    /// cycle <paramref name="cycleKey"/> (which the organisation has), of <paramref name="keyResultsPerObjective"/> key
    /// results with <paramref name="checkInsPerKeyResult"/> weekly check-ins from 4 January 2027 each.
    /// </summary>
    public static OkrDocument Organisation(string prefix, string cycleKey, int teams, int objectivesPerTeam, int keyResultsPerObjective, int checkInsPerKeyResult)
    {
        var people = Enumerable.Range(0, teams).Select(t => new PersonDoc { Email = $"{prefix}-lead-{t}@okapi.test", Name = $"Lead {prefix} {t}" }).ToList();
        var teamDocs = Enumerable.Range(0, teams).Select(t => new TeamDoc
        {
            Key = $"{prefix}-team-{t}",
            Name = $"Team {prefix} {t}",
            Members = [new MemberDoc { Email = people[t].Email, Lead = true }],
        }).ToList();
        var objectives = Enumerable.Range(0, teams).SelectMany(t => Enumerable.Range(0, objectivesPerTeam).Select(o => new ObjectiveDoc
        {
            Key = $"{prefix}-objective-{t}-{o}",
            Title = $"Grow market {t}.{o} of {prefix}",
            Cycle = cycleKey,
            OwnerTeam = teamDocs[t].Key,
            State = ObjectiveState.Active,
            KeyResults = Enumerable.Range(0, keyResultsPerObjective).Select(k => new KeyResultDoc
            {
                Key = $"kr-{k}",
                Title = $"Reach {100 * (k + 1)} customers in market {t}.{o}",
                Owner = people[t].Email,
                Type = KeyResultType.IncreaseTo,
                Start = 0,
                Target = 100 * (k + 1),
                CheckIns = Enumerable.Range(0, checkInsPerKeyResult).Select(c => new CheckInDoc
                {
                    At = new DateTime(2027, 1, 4, 9, 0, 0, DateTimeKind.Utc).AddDays(7 * c),
                    Value = 10 * (c + 1) + k,
                    Note = c == checkInsPerKeyResult - 1 ? $"Week {c + 1} in market {t}.{o}" : null,
                }).ToList(),
            }).ToList(),
        })).ToList();
        return new OkrDocument { Okapi = OkrDocument.CurrentVersion, People = people, Teams = teamDocs, Objectives = objectives };
    }

    public static string Json(OkrDocument document) => DocumentTree.WriteJson(DocumentBinder.ToTree(document));
}
