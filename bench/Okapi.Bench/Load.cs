using System.Diagnostics;
using System.Net.Http.Headers;

namespace Okapi.Bench;

/// <summary>Closed-loop load: each client sends its next request when the previous one is answered.</summary>
public static class Load
{
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests);

    /// <summary>Long enough for the server's JIT, caches and pools to settle before a measure starts.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    /// <summary>For the first load on a server just started, whose hot code is still being compiled to its optimised tier.</summary>
    public static readonly TimeSpan ColdStartWarmUp = TimeSpan.FromSeconds(12);

    /// <summary>A POST of <paramref name="body"/> as JSON to each client's path, or a GET when the body is null.</summary>
    public static async Task<Result> RunAsync(HttpClient client, Func<int, string> path, byte[]? body, int clients, TimeSpan warmUp, TimeSpan duration)
    {
        using (var warming = new CancellationTokenSource(warmUp))
        {
            await RunUntilAsync(client, path, body, clients, warming.Token);
        }

        using var measuring = new CancellationTokenSource(duration);
        var stopwatch = Stopwatch.StartNew();
        var latencies = await RunUntilAsync(client, path, body, clients, measuring.Token);
        return Summarise(latencies, stopwatch.Elapsed);
    }

    /// <summary>The same load, warmed up and then kept running for as long as <paramref name="alongside"/> takes.</summary>
    public static async Task<Result> RunWhileAsync(HttpClient client, Func<int, string> path, byte[]? body, int clients, TimeSpan warmUp, Func<Task> alongside)
    {
        using (var warming = new CancellationTokenSource(warmUp))
        {
            await RunUntilAsync(client, path, body, clients, warming.Token);
        }

        using var stop = new CancellationTokenSource();
        var stopwatch = Stopwatch.StartNew();
        var load = RunUntilAsync(client, path, body, clients, stop.Token);
        try
        {
            await alongside();
        }
        finally
        {
            await stop.CancelAsync();
            // A failed load must not hide the failure of what ran beside it, nor the other way round.
            await Task.WhenAny(load);
        }

        return Summarise(await load, stopwatch.Elapsed);
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static Result Summarise(List<double>[] latencies, TimeSpan elapsed)
    {
        var all = latencies.SelectMany(l => l).Order().ToArray();
        if (all.Length == 0)
        {
            throw new BenchFailure("no request completed");
        }

        return new(all.Length / elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99), all.Length);
    }

    // The stop token is only looked at between requests: a request under way is always answered and counted.
    private static async Task<List<double>[]> RunUntilAsync(HttpClient client, Func<int, string> path, byte[]? body, int clients, CancellationToken stop)
    {
        var contentType = new MediaTypeHeaderValue("application/json");
        var method = body is null ? "GET" : "POST";
        return await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
        {
            var latencies = new List<double>(100_000);
            var target = path(i);
            while (!stop.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = body is null
                    ? await client.GetAsync(target, HttpCompletionOption.ResponseContentRead, CancellationToken.None)
                    : await client.PostAsync(target, new ByteArrayContent(body) { Headers = { ContentType = contentType } }, CancellationToken.None);
                if (!response.IsSuccessStatusCode)
                {
                    throw new BenchFailure($"{method} {target} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                }

                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            return latencies;
        }));
    }
}
