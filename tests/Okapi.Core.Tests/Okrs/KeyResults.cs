using Okapi.Core.Okrs;

namespace Okapi.Core.Tests.Okrs;

/// <summary>Builders that keep each test down to the numbers it is about.</summary>
internal static class KeyResults
{
    public static KeyResult Increase(double start, double target, double? current = null) =>
        Of(KeyResultType.IncreaseTo, start, target, current);

    public static KeyResult Decrease(double start, double target, double? current = null) =>
        Of(KeyResultType.DecreaseTo, start, target, current);

    public static KeyResult StayAbove(double bound, double? current = null) =>
        Of(KeyResultType.StayAbove, 0, bound, current);

    public static KeyResult StayBelow(double bound, double? current = null) =>
        Of(KeyResultType.StayBelow, 0, bound, current);

    public static KeyResult Milestone(double? current = null, params bool[] checklist)
    {
        var keyResult = Of(KeyResultType.Milestone, 0, 1, current);
        keyResult.Checklist = [.. checklist.Select((done, i) => new ChecklistItem($"Item {i + 1}", done))];
        return keyResult;
    }

    public static KeyResult CommitTargetStretch(double start, double commit, double target, double stretch, double? current = null)
    {
        var keyResult = Of(KeyResultType.CommitTargetStretch, start, target, current);
        keyResult.Commit = commit;
        keyResult.Stretch = stretch;
        return keyResult;
    }

    private static KeyResult Of(KeyResultType type, double start, double target, double? current) => new()
    {
        Title = "A measurable outcome",
        Type = type,
        Start = start,
        Target = target,
        Current = current,
    };
}
