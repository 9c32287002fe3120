namespace Okapi.Web.Features.Okrs;

/// <summary>What a delete takes with it, counted, for the confirmation that asks first: "2 key results", "14 check-ins".</summary>
public sealed record WhatGoesWith(IReadOnlyList<string> Parts)
{
    public static WhatGoesWith Of(params (int Count, string One, string Many)[] counts) =>
        new(counts.Where(c => c.Count > 0).Select(c => c.Count == 1 ? $"1 {c.One}" : $"{c.Count:#,0} {c.Many}").ToList());

    /// <summary>"2 key results, 14 check-ins and 1 comment", or <paramref name="nothing"/>.</summary>
    public string Sentence(string nothing) => Parts.Count switch
    {
        0 => nothing,
        1 => Parts[0],
        _ => string.Join(", ", Parts.Take(Parts.Count - 1)) + " and " + Parts[^1],
    };

    /// <summary>The question a confirmation asks before deleting <paramref name="title"/>.</summary>
    public string Question(string title) =>
        $"Delete “{title}”? {(Parts.Count == 0 ? "Nothing else goes with it" : "This also deletes " + Sentence(""))}. This cannot be undone.";
}
