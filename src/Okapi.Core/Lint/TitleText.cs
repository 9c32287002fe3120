namespace Okapi.Core.Lint;

/// <summary>
/// Simple English word matching for titles: whitespace-separated words, compared case-insensitively without
/// surrounding punctuation. Deliberately no NLP: the linter must run locally and explain itself.
/// </summary>
internal static class TitleText
{
    // Words that may come before the verb a title is "led by": "To launch…", "We will launch…".
    private static readonly HashSet<string> LeadIns = new(StringComparer.Ordinal)
    {
        "to", "we", "i", "will", "shall", "must", "should",
    };

    // "one" is left out: "the one place", "one team" are rarely quantities. Multipliers count because
    // "Double revenue" is a target in disguise.
    private static readonly HashSet<string> NumberWords = new(StringComparer.Ordinal)
    {
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
        "hundred", "thousand", "million", "billion", "dozen", "percent", "double", "triple", "halve", "twice",
    };

    // A four-digit year after one of these is a date ("by 2030"), not a quantity.
    private static readonly HashSet<string> TimePrepositions = new(StringComparer.Ordinal)
    {
        "in", "by", "for", "during", "until", "till", "through", "before", "after", "since", "of",
    };

    /// <summary>The words of a title, lower case, stripped of surrounding punctuation; words of punctuation only are dropped.</summary>
    public static IReadOnlyList<string> Words(string title) =>
        Tokens(title).Select(Bare).Where(w => w.Length > 0).ToList();

    /// <summary>The word a title is led by: its first word after lead-ins such as "To" or "We will".</summary>
    public static string? LeadingWord(string title) => Words(title).SkipWhile(LeadIns.Contains).FirstOrDefault();

    /// <summary>Whether <paramref name="word"/> is one of <paramref name="verbs"/> or a regular inflection of one (-s, -es, -ed, -ing).</summary>
    public static bool IsVerbForm(string word, IReadOnlySet<string> verbs)
    {
        if (verbs.Contains(word))
        {
            return true;
        }

        foreach (var suffix in (ReadOnlySpan<string>)["ing", "ed", "es", "s"])
        {
            if (!word.EndsWith(suffix, StringComparison.Ordinal) || word.Length - suffix.Length < 2)
            {
                continue;
            }

            var stem = word[..^suffix.Length];
            var undoubled = stem[^1] == stem[^2] ? stem[..^1] : stem; // running → run, planned → plan
            if (verbs.Contains(stem) || verbs.Contains(stem + "e") || verbs.Contains(undoubled))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first quantity in a title, as written ("20 %", "$1M", "six"), or null. A quantity is a word that
    /// starts with a digit (after a sign or currency symbol), a percent sign, or a number word. Labels that
    /// merely contain digits ("Q3", "B2B", "FY2027") and years after a time preposition ("by 2030") are not quantities.
    /// </summary>
    public static string? FindQuantity(string title)
    {
        var tokens = Tokens(title);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var word = Bare(token);
            var isQuantity = token.Contains('%')
                || (StartsWithDigit(token) && !IsYearInTimePhrase(word, i > 0 ? Bare(tokens[i - 1]) : null))
                || NumberWords.Contains(word);
            if (!isQuantity)
            {
                continue;
            }

            var unitFollows = !token.Contains('%') && i + 1 < tokens.Count
                && (tokens[i + 1].StartsWith('%') || Bare(tokens[i + 1]) == "percent");
            return unitFollows ? $"{token} {tokens[i + 1]}" : token;
        }

        return null;
    }

    private static List<string> Tokens(string title) =>
        [.. title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Bare(string token)
    {
        var span = token.AsSpan();
        var start = 0;
        var end = span.Length;
        while (start < end && !char.IsLetterOrDigit(span[start]))
        {
            start++;
        }

        while (end > start && !char.IsLetterOrDigit(span[end - 1]))
        {
            end--;
        }

        return span[start..end].ToString().ToLowerInvariant();
    }

    private static bool StartsWithDigit(string token)
    {
        foreach (var c in token)
        {
            if (char.IsLetterOrDigit(c))
            {
                return char.IsDigit(c);
            }
        }

        return false;
    }

    private static bool IsYearInTimePhrase(string word, string? previous) =>
        word.Length == 4 && int.TryParse(word, out var year) && year is >= 1900 and <= 2199
        && previous is not null && TimePrepositions.Contains(previous);
}
