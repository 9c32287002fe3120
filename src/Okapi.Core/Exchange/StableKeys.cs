namespace Okapi.Core.Exchange;

/// <summary>
/// The keys that name rows in an exported document. A row keeps the key it has stored; a row without one gets
/// the slug of its name, made unique with "-2", "-3" … in the order given. Stored keys are reserved first, so a
/// derived key never takes the key another row already has, and the same rows in the same order always get the
/// same keys (export is read-only, so it derives them afresh every time).
/// </summary>
public static class StableKeys
{
    public static Dictionary<T, string> Assign<T>(IEnumerable<T> rowsInStableOrder, Func<T, string?> storedKey, Func<T, string> slug, int maxLength = 100)
        where T : notnull
    {
        var rows = rowsInStableOrder.ToList();
        var keys = new Dictionary<T, string>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (storedKey(row) is { Length: > 0 } stored)
            {
                keys[row] = stored;
                taken.Add(stored);
            }
        }

        foreach (var row in rows.Where(r => !keys.ContainsKey(r)))
        {
            var baseKey = slug(row);
            baseKey = baseKey[..Math.Min(baseKey.Length, maxLength)];
            var candidate = baseKey;
            for (var n = 2; !taken.Add(candidate); n++)
            {
                var suffix = $"-{n}";
                candidate = baseKey[..Math.Min(baseKey.Length, maxLength - suffix.Length)].TrimEnd('-') + suffix;
            }

            keys[row] = candidate;
        }

        return keys;
    }
}
