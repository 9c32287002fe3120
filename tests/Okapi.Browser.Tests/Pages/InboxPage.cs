using Microsoft.Playwright;

namespace Okapi.Browser.Tests.Pages;

/// <summary>The inbox page and the nav entry with its open count; and the comment thread of an objective's page.</summary>
public sealed class InboxPage(IPage page)
{
    public ILocator OpenCount => page.GetByTestId("inbox-count");

    public ILocator Items => page.GetByTestId("inbox-item");

    public ILocator Empty => page.GetByTestId("inbox-empty");

    public ILocator Item(string text) => Items.Filter(new() { HasText = text });

    public async Task DoneAsync(string text) => await Item(text).GetByTestId("inbox-done").ClickAsync();
}

public sealed class CommentThreadPart(IPage page)
{
    public ILocator Bodies => page.GetByTestId("comment-body");

    public async Task CommentAsync(string text)
    {
        await page.GetByLabel("Write a comment (Markdown)").FillAsync(text);
        await page.GetByTestId("comment-submit").ClickAsync();
    }
}
