using System.Diagnostics;
using System.Net.Http.Headers;

namespace Okapi.Bench;

/// <summary>Closed-loop load: each client sends its next request when the previous one is answered.</summary>
public static class Load
{
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests);

    public static async Task<Result> RunAsync(HttpClient client, Func<int, string> path, byte[] body, int clients, TimeSpan warmUp, TimeSpan duration)
    {
        await RunForAsync(client, path, body, clients, warmUp);
        var stopwatch = Stopwatch.StartNew();
        var latencies = await RunForAsync(client, path, body, clients, duration);
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        if (all.Length == 0)
        {
            throw new BenchFailure("no request completed");
        }

        return new(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), all.Length);
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static async Task<List<double>[]> RunForAsync(HttpClient client, Func<int, string> path, byte[] body, int clients, TimeSpan duration)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var contentType = new MediaTypeHeaderValue("application/json");
        return await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
        {
            var latencies = new List<double>(100_000);
            var target = path(i);
            while (Stopwatch.GetTimestamp() < end)
            {
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = contentType;
                var start = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync(target, content);
                await response.Content.LoadIntoBufferAsync();
                if (!response.IsSuccessStatusCode)
                {
                    throw new BenchFailure($"POST {target} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            return latencies;
        }));
    }
}
