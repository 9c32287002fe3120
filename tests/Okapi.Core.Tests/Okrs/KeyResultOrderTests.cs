using Okapi.Core.Okrs;

namespace Okapi.Core.Tests.Okrs;

public class KeyResultOrderTests
{
    private static readonly DateTime Monday = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    private static List<KeyResult> Three() =>
    [
        new() { Title = "A", Position = 0, CreatedAt = Monday },
        new() { Title = "B", Position = 1, CreatedAt = Monday.AddMinutes(1) },
        new() { Title = "C", Position = 2, CreatedAt = Monday.AddMinutes(2) },
    ];

    private static string Titles(IEnumerable<KeyResult> keyResults) => string.Concat(KeyResult.InOrder(keyResults).Select(k => k.Title));

    [Fact]
    public void MovingUpSwapsWithTheOneAboveAndReportsBoth()
    {
        var krs = Three();

        var changed = KeyResult.MoveTo(krs, krs[2], 1);

        Assert.Equal("ACB", Titles(krs));
        Assert.Equal(["B", "C"], changed.Select(k => k.Title).Order());
    }

    [Fact]
    public void MovingToTheTopShiftsTheOthersDown()
    {
        var krs = Three();

        KeyResult.MoveTo(krs, krs[2], 0);

        Assert.Equal("CAB", Titles(krs));
        Assert.Equal([0, 1, 2], KeyResult.InOrder(krs).Select(k => k.Position));
    }

    [Fact]
    public void APositionPastTheEndMovesToTheEnd()
    {
        var krs = Three();

        KeyResult.MoveTo(krs, krs[0], 99);

        Assert.Equal("BCA", Titles(krs));
        Assert.Equal(2, krs[0].Position);
    }

    [Fact]
    public void TiesAndGapsAreNumberedAgainInCreationOrder()
    {
        var krs = Three();
        krs[0].Position = 5;
        krs[1].Position = 5;
        krs[2].Position = 0;

        KeyResult.MoveTo(krs, krs[2], 0);

        Assert.Equal("CAB", Titles(krs));
        Assert.Equal([0, 1, 2], KeyResult.InOrder(krs).Select(k => k.Position));
    }

    [Fact]
    public void MovingToWhereItAlreadyIsChangesNothing()
    {
        var krs = Three();

        Assert.Empty(KeyResult.MoveTo(krs, krs[1], 1));
    }

    [Fact]
    public void ANegativePositionIsRefused()
    {
        var krs = Three();

        Assert.Throws<ArgumentOutOfRangeException>(() => KeyResult.MoveTo(krs, krs[1], -1));
    }
}
