using Okapi.Core.Exchange;

namespace Okapi.Core.Tests.Exchange;

public class StableKeysTests
{
    // A class, as entities are: two rows with the same name are still two rows.
    private sealed class Row(string name, string? key)
    {
        public string Name => name;
        public string? Key => key;
    }

    private static Dictionary<Row, string> Assign(params Row[] rows) =>
        StableKeys.Assign(rows, r => r.Key, r => r.Name.ToLowerInvariant().Replace(' ', '-'));

    [Fact]
    public void StoredKeysAreKeptAndRowsWithoutOneGetTheSlugOfTheirName()
    {
        var stored = new Row("Growth", "growth-team");
        var derived = new Row("Sales Team", null);

        var keys = Assign(stored, derived);

        Assert.Equal("growth-team", keys[stored]);
        Assert.Equal("sales-team", keys[derived]);
    }

    [Fact]
    public void EqualSlugsAreNumberedInTheGivenOrderAndNeverTakeAStoredKey()
    {
        var first = new Row("Growth", null);
        var second = new Row("Growth", null);
        var storedLater = new Row("Other", "growth");

        var keys = Assign(first, second, storedLater);

        Assert.Equal(("growth-2", "growth-3", "growth"), (keys[first], keys[second], keys[storedLater]));
    }

    [Fact]
    public void TheSameRowsInTheSameOrderGetTheSameKeys()
    {
        Row[] rows = [new("A b", null), new("A b", null), new("C", "c")];

        Assert.Equal(Assign(rows).Values, Assign(rows).Values);
    }

    [Fact]
    public void NumberedKeysStayWithinTheMaximumLength()
    {
        var rows = new[] { new Row(new string('a', 20), null), new Row(new string('a', 20), null) };

        var keys = StableKeys.Assign(rows, r => r.Key, r => r.Name, maxLength: 10);

        Assert.Equal(("aaaaaaaaaa", "aaaaaaaa-2"), (keys[rows[0]], keys[rows[1]]));
    }
}
