using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Okapi.Browser.Tests.Pages;

/// <summary>Closing a dialog with one of its buttons, and when it stays open, saying what the page and the server showed.</summary>
public static class DialogActions
{
    /// <summary>Clicks the button and waits for the dialog to close; on a timeout the failure quotes the dialog, the reconnect banner and the server's errors.</summary>
    public static async Task ClickAndWaitClosedAsync(this ILocator button, ILocator dialog)
    {
        await button.ClickAsync();
        try
        {
            await dialog.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(await WhyOpenAsync(dialog), e);
        }
    }

    private static async Task<string> WhyOpenAsync(ILocator dialog)
    {
        var page = dialog.Page;
        var text = await Quietly(() => dialog.First.InnerTextAsync(new() { Timeout = 2_000 }));
        var banner = await Quietly(() => page.Locator("#components-reconnect-modal").EvaluateAsync<string>("e => e.hidden ? 'hidden' : e.innerText", null, new() { Timeout = 2_000 }));
        var server = ServerLog.Of(page.Context);
        return $"The dialog stayed open at {page.Url}. It shows: «{Shorten(text)}». Reconnect banner: {banner}. " +
            $"Server errors and warnings: {(server.Count == 0 ? "none" : string.Join(" | ", server.TakeLast(5).Select(Shorten)))}.";
    }

    private static async Task<string> Quietly(Func<Task<string>> read)
    {
        try
        {
            return await read();
        }
        catch (PlaywrightException e)
        {
            return $"(unreadable: {e.Message.Split('\n')[0]})";
        }
    }

    private static string Shorten(string text) => text.Length <= 600 ? text.ReplaceLineEndings(" / ") : text[..600].ReplaceLineEndings(" / ") + "…";
}

/// <summary>The warnings and errors an app under test logged, found from the browser contexts that talk to it.</summary>
public sealed class ServerLog : ILoggerProvider
{
    private static readonly ConditionalWeakTable<IBrowserContext, ServerLog> Contexts = [];
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public void Attach(IBrowserContext context) => Contexts.AddOrUpdate(context, this);

    public static IReadOnlyCollection<string> Of(IBrowserContext context) => Contexts.TryGetValue(context, out var log) ? log.Entries : [];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ServerLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log._entries.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
            }
        }
    }
}
