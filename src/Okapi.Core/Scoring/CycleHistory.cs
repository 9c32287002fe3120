using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Core.Scoring;

/// <summary>
/// One week of a cycle: seven days from the cycle's start (the last week may be shorter), half-open.
/// <see cref="AsOf"/> is the instant its values are taken at: its end, or now for the running week.
/// </summary>
public readonly record struct CycleWeek(int Number, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset AsOf);

/// <summary>A key result with the check-ins its history is rebuilt from.</summary>
public sealed record KeyResultHistory(KeyResult KeyResult, IReadOnlyCollection<CheckIn> CheckIns);

/// <summary>Check-ins of one week and the share of key results and of their owners that got one.</summary>
public sealed record WeekParticipation(
    CycleWeek Week, int CheckIns, int KeyResultsCheckedIn, int KeyResults, int OwnersCheckedIn, int Owners)
{
    public double KeyResultShare => KeyResults == 0 ? 0 : (double)KeyResultsCheckedIn / KeyResults;
    public double OwnerShare => Owners == 0 ? 0 : (double)OwnersCheckedIn / Owners;
}

/// <summary>
/// A cycle's past rebuilt from check-ins: the value each key result had at the end of each week, turned into
/// progress by <see cref="KeyResult.ProgressAt"/> and weighted as live progress is.
/// </summary>
public static class CycleHistory
{
    /// <summary>
    /// The weeks of <paramref name="window"/> that have begun by <paramref name="asOf"/>; the running week is taken
    /// as of <paramref name="asOf"/>, so its point shows today's progress rather than a future one.
    /// </summary>
    public static IReadOnlyList<CycleWeek> Weeks(CycleWindow window, DateTimeOffset asOf)
    {
        var weeks = new List<CycleWeek>();
        for (var start = window.Start; start < window.End && start <= asOf; start = start.AddDays(7))
        {
            var end = start.AddDays(7) < window.End ? start.AddDays(7) : window.End;
            weeks.Add(new CycleWeek(weeks.Count + 1, start, end, end < asOf ? end : asOf));
        }

        return weeks;
    }

    /// <summary>The key result's value at <paramref name="at"/>: its latest check-in until then, else its start.</summary>
    public static double ValueAt(KeyResultHistory history, DateTimeOffset at)
    {
        CheckIn? latest = null;
        foreach (var checkIn in history.CheckIns)
        {
            if (new DateTimeOffset(checkIn.At) <= at && (latest is null || checkIn.At >= latest.At))
            {
                latest = checkIn;
            }
        }

        return latest?.Value ?? history.KeyResult.Start;
    }

    /// <summary>Progress of an objective at <paramref name="at"/>: the weighted mean of its key results' progress then.</summary>
    public static double ProgressAt(IReadOnlyCollection<KeyResultHistory> keyResults, DateTimeOffset at) =>
        AlignmentGraph.WeightedMean(keyResults.Select(k => (k.KeyResult.ProgressAt(ValueAt(k, at)), k.KeyResult.Weight)));

    /// <summary>Overall progress at <paramref name="at"/>: the plain mean of the objectives that have key results.</summary>
    public static double OverallAt(IEnumerable<IReadOnlyCollection<KeyResultHistory>> objectives, DateTimeOffset at) =>
        AlignmentGraph.WeightedMean(objectives.Where(o => o.Count > 0).Select(o => (ProgressAt(o, at), 1.0)));

    /// <summary>
    /// Per week: check-ins made in it, key results that got at least one, and owners with at least one of their key
    /// results checked in (whoever did it). Every key result counts in every week, also before it was added: the
    /// history is rebuilt from check-ins, which may be dated back.
    /// </summary>
    public static IReadOnlyList<WeekParticipation> Participation(IReadOnlyList<CycleWeek> weeks, IReadOnlyCollection<KeyResultHistory> keyResults) =>
        weeks.Select(week =>
        {
            var checkedIn = keyResults.Where(k => k.CheckIns.Any(c => InWeek(c, week))).ToList();
            var owners = keyResults.Where(k => k.KeyResult.OwnerPersonId is not null).Select(k => k.KeyResult.OwnerPersonId).Distinct().Count();
            var ownersCheckedIn = checkedIn.Where(k => k.KeyResult.OwnerPersonId is not null).Select(k => k.KeyResult.OwnerPersonId).Distinct().Count();
            return new WeekParticipation(week, keyResults.Sum(k => k.CheckIns.Count(c => InWeek(c, week))), checkedIn.Count, keyResults.Count, ownersCheckedIn, owners);
        }).ToList();

    private static bool InWeek(CheckIn checkIn, CycleWeek week) => new DateTimeOffset(checkIn.At) >= week.Start && new DateTimeOffset(checkIn.At) < week.End && new DateTimeOffset(checkIn.At) <= week.AsOf;
}
