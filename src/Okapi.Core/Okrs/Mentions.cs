using System.Text;
using System.Text.RegularExpressions;

namespace Okapi.Core.Okrs;

/// <summary>One @mention in a comment: a person named by id (what the UI inserts) or by email address (what people type).</summary>
public sealed record Mention(Guid? PersonId, string? Email, int Index, int Length);

/// <summary>
/// @mentions in Markdown comments. Two spellings, both usable from the API and the UI:
/// <c>@[Ann Lee](person:0190…)</c> names a person by id (the picker inserts it; the name is only a label) and
/// <c>@ann@example.com</c> names a person by email address. A mention must start a word (so
/// <c>bob@ann@x.com</c> mentions nobody) and is not read inside code spans or code blocks.
/// </summary>
public static partial class Mentions
{
    public const int MaxLabelLength = 200;

    // An id mention: @[label](person:guid). The label may hold anything but brackets and line breaks.
    [GeneratedRegex(@"@\[(?<label>[^\[\]\r\n]{1,200})\]\(person:(?<id>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\)", RegexOptions.CultureInvariant)]
    private static partial Regex ById();

    // An email mention: @local@domain.tld; a trailing full stop or comma ends the sentence, not the address.
    [GeneratedRegex(@"@(?<email>[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})", RegexOptions.CultureInvariant)]
    private static partial Regex ByEmail();

    // A mention being typed at the end of a comment: an @ that starts a word and up to two words of a name after it.
    [GeneratedRegex(@"(?:^|\s)@(?<query>[^\s@\[\]()`]{0,40}(?: [^\s@\[\]()`]{1,40})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex BeingTyped();

    /// <summary>
    /// What follows an @ being typed at the end of <paramref name="text"/> ("" right after the @), for a people picker; null
    /// when the text does not end in one (an email address, a finished name followed by a space, or no @ at all).
    /// </summary>
    public static string? Typing(string? text) =>
        text is not null && BeingTyped().Match(text) is { Success: true } m ? m.Groups["query"].Value : null;

    /// <summary>Every mention in the text, in order of appearance (a person mentioned twice appears twice).</summary>
    public static IReadOnlyList<Mention> Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var code = CodeRanges(text);
        var found = new List<Mention>();
        foreach (Match m in ById().Matches(text))
        {
            if (StartsWord(text, m.Index) && !Inside(code, m.Index))
            {
                found.Add(new Mention(Guid.Parse(m.Groups["id"].Value), null, m.Index, m.Length));
            }
        }

        foreach (Match m in ByEmail().Matches(text))
        {
            if (StartsWord(text, m.Index) && !Inside(code, m.Index) && !found.Any(f => m.Index >= f.Index && m.Index < f.Index + f.Length))
            {
                found.Add(new Mention(null, m.Groups["email"].Value.ToLowerInvariant(), m.Index, m.Length));
            }
        }

        return found.OrderBy(f => f.Index).ToList();
    }

    /// <summary>The people a text mentions, given how to find a person by email; unknown ones are left out, each person once.</summary>
    public static IReadOnlyList<Guid> Resolve(IEnumerable<Mention> mentions, IReadOnlySet<Guid> knownPeople, IReadOnlyDictionary<string, Guid> peopleByEmail)
    {
        ArgumentNullException.ThrowIfNull(mentions);
        ArgumentNullException.ThrowIfNull(knownPeople);
        ArgumentNullException.ThrowIfNull(peopleByEmail);
        var people = new List<Guid>();
        foreach (var mention in mentions)
        {
            Guid? person = mention.PersonId is { } id ? (knownPeople.Contains(id) ? id : null)
                : mention.Email is { } email && peopleByEmail.TryGetValue(email, out var byEmail) ? byEmail : null;
            if (person is { } p && !people.Contains(p))
            {
                people.Add(p);
            }
        }

        return people;
    }

    /// <summary>The people mentioned now who were not mentioned before the edit: who an edit should notify.</summary>
    public static IReadOnlyList<Guid> Added(IEnumerable<Guid> before, IEnumerable<Guid> now)
    {
        var old = before.ToHashSet();
        return now.Where(p => !old.Contains(p)).Distinct().ToList();
    }

    /// <summary>
    /// The Markdown with each mention of a known person written as a bold link to their OKRs (<c>[**@Ann Lee**](/okrs/person/…)</c>),
    /// named as the organisation knows them now; mentions of unknown people stay as they were typed.
    /// </summary>
    public static string ToMarkdown(string text, Func<Mention, (Guid Id, string Name)?> person)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(person);
        var mentions = Parse(text);
        if (mentions.Count == 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 32 * mentions.Count);
        var at = 0;
        foreach (var mention in mentions)
        {
            result.Append(text, at, mention.Index - at);
            var original = text.Substring(mention.Index, mention.Length);
            result.Append(person(mention) is { } p ? $"[**@{Escape(p.Name)}**](/okrs/person/{p.Id})" : original);
            at = mention.Index + mention.Length;
        }

        return result.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>The text with id mentions written as <c>@label</c>, for plain-text places (notifications, emails, inbox items).</summary>
    public static string ToPlainText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ById().Replace(text, m => StartsWord(text, m.Index) ? "@" + m.Groups["label"].Value : m.Value);
    }

    /// <summary>How the picker writes a mention of a person.</summary>
    public static string Of(Guid personId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var label = name.Replace('[', '(').Replace(']', ')').Replace('\r', ' ').Replace('\n', ' ').Trim();
        if (label.Length == 0)
        {
            label = "someone";
        }

        return $"@[{(label.Length > MaxLabelLength ? label[..MaxLabelLength] : label)}](person:{personId})";
    }

    /// <summary>
    /// The text to store from the text a comment box shows: there a picked person reads as <c>@Ann Lee</c>, and each such
    /// name of a person in <paramref name="picked"/> becomes <see cref="Of"/>'s id mention, so that nobody reads or edits
    /// ids. A name changed after it was picked no longer matches and stays plain text, as does one inside code or one that
    /// runs on into a longer word; longer names go first, so that a picked "Ann Lee" is not taken for a picked "Ann".
    /// </summary>
    public static string FromPicked(string text, IEnumerable<(Guid Id, string Name)> picked)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(picked);
        foreach (var (id, name) in picked.Where(p => p.Name.Length > 0).DistinctBy(p => p.Name).OrderByDescending(p => p.Name.Length))
        {
            var label = "@" + name;
            var code = CodeRanges(text);
            var result = new StringBuilder(text.Length);
            var at = 0;
            for (var i = text.IndexOf(label, StringComparison.Ordinal); i >= 0; i = text.IndexOf(label, i + label.Length, StringComparison.Ordinal))
            {
                var end = i + label.Length;
                if (StartsWord(text, i) && !Inside(code, i) && (end == text.Length || !(char.IsLetterOrDigit(text[end]) || text[end] is '@' or '_' or '-')))
                {
                    result.Append(text, at, i - at).Append(Of(id, name));
                    at = end;
                }
            }

            text = result.Append(text, at, text.Length - at).ToString();
        }

        return text;
    }

    private static string Escape(string name) => Regex.Replace(name, @"([\\`*_\[\]()#+\-.!<>|~])", @"\$1");

    private static bool StartsWord(string text, int index) =>
        index == 0 || !(char.IsLetterOrDigit(text[index - 1]) || text[index - 1] is '@' or '.' or '_' or '-' or '+' or '%');

    private static bool Inside(List<(int Start, int End)> ranges, int index) => ranges.Any(r => index >= r.Start && index < r.End);

    /// <summary>Where fenced code blocks (``` or ~~~) and inline code spans are: mentions there are examples, not mentions.</summary>
    private static List<(int Start, int End)> CodeRanges(string text)
    {
        var ranges = new List<(int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            var lineStart = i == 0 || text[i - 1] == '\n';
            if (lineStart && Fence(text, i) is { } fence)
            {
                var close = text.IndexOf("\n" + fence, i + fence.Length, StringComparison.Ordinal);
                var end = close < 0 ? text.Length : close + 1 + fence.Length;
                ranges.Add((i, end));
                i = end;
                continue;
            }

            if (text[i] == '`')
            {
                var run = 1;
                while (i + run < text.Length && text[i + run] == '`')
                {
                    run++;
                }

                var ticks = new string('`', run);
                var close = text.IndexOf(ticks, i + run, StringComparison.Ordinal);
                if (close >= 0)
                {
                    ranges.Add((i, close + run));
                    i = close + run;
                    continue;
                }

                i += run;
                continue;
            }

            i++;
        }

        return ranges;
    }

    private static string? Fence(string text, int i)
    {
        var j = i;
        while (j < text.Length && j - i < 3 && text[j] == ' ')
        {
            j++;
        }

        foreach (var fence in new[] { "```", "~~~" })
        {
            if (string.CompareOrdinal(text, j, fence, 0, 3) == 0)
            {
                return fence;
            }
        }

        return null;
    }
}
