using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Okapi.Web.Infrastructure;

/// <summary>Markdown to HTML that is safe to show: raw HTML is escaped and only web and mail links survive.</summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseListExtras()
        .UsePipeTables()
        .UseTaskLists()
        .Build();

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
            {
                link.Url = "#";
            }
        }

        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!IsSafe(link.Url))
            {
                link.Url = "#";
            }
        }

        return document.ToHtml(Pipeline);
    }

    private static bool IsSafe(string? url) =>
        string.IsNullOrEmpty(url) || url.StartsWith('#') || url.StartsWith('/') ||
        (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto");
}
