using CsCheck;
using Okapi.Core.Okrs;
using static Okapi.Core.Tests.Okrs.KeyResults;

namespace Okapi.Core.Tests.Okrs;

public class KeyResultPropertyTests
{
    // Gen.Double alone almost never draws two huge values of opposite sign, where differences overflow.
    private static readonly Gen<double> AnyFinite = Gen.OneOf(
        Gen.Double.Where(double.IsFinite),
        Gen.Double[-1, 1].Select(x => x * double.MaxValue));

    /// <summary>Four distinct finite levels, ascending, to build any valid key result from.</summary>
    private static readonly Gen<double[]> Levels = AnyFinite.Array[4]
        .Select(a => a.Order().ToArray())
        .Where(a => a[0] < a[1] && a[1] < a[2] && a[2] < a[3]);

    private static readonly Gen<KeyResult> ValidKeyResult =
        Gen.Select(Gen.Int[0, 7], Levels, Gen.Int[0, 6], Gen.Int[0, 6], (kind, l, done, items) =>
        {
            var keyResult = kind switch
            {
                0 => Increase(l[0], l[3]),
                1 => Decrease(l[3], l[0]),
                2 => StayAbove(l[1]),
                3 => StayBelow(l[1]),
                4 => Milestone(),
                5 => Milestone(null, [.. Enumerable.Range(0, items + 1).Select(i => i < done)]),
                6 => CommitTargetStretch(l[0], l[1], l[2], l[3]),
                _ => CommitTargetStretch(l[3], l[2], l[1], l[0]),
            };
            return keyResult;
        }).Where(k => k.Validate().IsValid);

    [Fact]
    public void ProgressStaysWithinZeroAndOneForEveryTypeAndAnyFiniteValue()
    {
        Gen.Select(ValidKeyResult, AnyFinite).Sample((keyResult, value) =>
        {
            var progress = keyResult.ProgressAt(value);
            Assert.InRange(progress, 0, 1);
        }, iter: 20_000);
    }

    [Fact]
    public void ProgressStaysWithinZeroAndOneForEveryTypeAndAnyEverydayValue()
    {
        var everyday = Gen.Double[-1e6, 1e6];
        var levels = everyday.Array[4].Select(a => a.Order().ToArray()).Where(a => a[0] < a[1] && a[1] < a[2] && a[2] < a[3]);
        Gen.Select(Gen.Int[0, 3], levels, everyday, (kind, l, value) => (kind switch
        {
            0 => Increase(l[0], l[3]),
            1 => Decrease(l[3], l[0]),
            2 => CommitTargetStretch(l[0], l[1], l[2], l[3]),
            _ => CommitTargetStretch(l[3], l[2], l[1], l[0]),
        }, value)).Sample((keyResult, value) => Assert.InRange(keyResult.ProgressAt(value), 0, 1));
    }

    [Fact]
    public void IncreaseProgressNeverFallsAsTheValueRises()
    {
        Gen.Select(Levels, AnyFinite, AnyFinite).Sample((l, a, b) =>
        {
            var keyResult = Increase(l[0], l[3]);
            var (lower, higher) = a <= b ? (a, b) : (b, a);
            Assert.True(keyResult.ProgressAt(lower) <= keyResult.ProgressAt(higher));
        }, iter: 20_000);
    }

    [Fact]
    public void DecreaseProgressNeverRisesAsTheValueRises()
    {
        Gen.Select(Levels, AnyFinite, AnyFinite).Sample((l, a, b) =>
        {
            var keyResult = Decrease(l[3], l[0]);
            var (lower, higher) = a <= b ? (a, b) : (b, a);
            Assert.True(keyResult.ProgressAt(lower) >= keyResult.ProgressAt(higher));
        }, iter: 20_000);
    }

    [Fact]
    public void CommitTargetStretchProgressFollowsTheDirectionOfItsLevels()
    {
        Gen.Select(Levels, AnyFinite, AnyFinite).Sample((l, a, b) =>
        {
            var up = CommitTargetStretch(l[0], l[1], l[2], l[3]);
            var down = CommitTargetStretch(l[3], l[2], l[1], l[0]);
            var (lower, higher) = a <= b ? (a, b) : (b, a);
            Assert.True(up.ProgressAt(lower) <= up.ProgressAt(higher));
            Assert.True(down.ProgressAt(lower) >= down.ProgressAt(higher));
        }, iter: 20_000);
    }
}
