using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Okapi.Web.Tests.Infrastructure;

/// <summary>One series of an instant query's answer: its labels and its value.</summary>
public sealed record PrometheusSeries(IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A real Prometheus server (Debian's prometheus package, which test.sh installs) in a process of its own, with its own
/// configuration and data folder in a temporary folder, on a free loopback port, scraping one target every second.
/// Disposing it kills the process and removes the folder.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    /// <summary>How long starting, the first scrape and a query may take on a busy machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _log;

    private PrometheusServer(Process process, string folder, StringBuilder log, int port)
    {
        _process = process;
        _folder = folder;
        _log = log;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    /// <summary>The server's HTTP API.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts a server that scrapes <paramref name="target"/> with <paramref name="bearerToken"/>, and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri target, string metricsPath, string bearerToken)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: run ./test.sh, which installs Debian's prometheus package.");
        }

        var folder = Directory.CreateTempSubdirectory("okapi-prometheus-").FullName;
        var config = Path.Combine(folder, "prometheus.yml");
        // JSON strings are YAML double-quoted scalars, so whatever the token holds it stays one value.
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: okapi
                metrics_path: {JsonSerializer.Serialize(metricsPath)}
                authorization:
                  credentials: {JsonSerializer.Serialize(bearerToken)}
                static_configs:
                  - targets: [{JsonSerializer.Serialize(target.Authority)}]
            """);

        var port = Listening.FreePort();
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add($"--config.file={config}");
        start.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(folder, "data")}");
        start.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        var log = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new PrometheusServer(process, folder, log, port);
        try
        {
            await server.UntilAsync(async () =>
            {
                using var ready = await server.Http.GetAsync("-/ready");
                return ready.IsSuccessStatusCode;
            }, "the server to be ready");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Waits until the target's last scrape succeeded; fails with its last error otherwise.</summary>
    public Task UntilTargetIsUpAsync() => UntilAsync(async () =>
    {
        var targets = await GetDataAsync("api/v1/targets");
        var target = targets.GetProperty("activeTargets").EnumerateArray().SingleOrDefault();
        return target.ValueKind == JsonValueKind.Object && target.GetProperty("health").GetString() == "up";
    }, "the target to be up");

    /// <summary>The instant vector <paramref name="query"/> evaluates to now.</summary>
    public async Task<IReadOnlyList<PrometheusSeries>> QueryAsync(string query)
    {
        var data = await GetDataAsync($"api/v1/query?query={Uri.EscapeDataString(query)}");
        Assert.Equal("vector", data.GetProperty("resultType").GetString());
        return [.. data.GetProperty("result").EnumerateArray().Select(r => new PrometheusSeries(
            r.GetProperty("metric").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>Waits until <paramref name="done"/> holds, polling; fails with the server's log when it does not in time.</summary>
    public async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"Prometheus exited with {_process.ExitCode} while waiting for {what}:\n{Log}");
            }

            try
            {
                if (await done())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited {Timeout.TotalSeconds} s for {what}; Prometheus said:\n{Log}\nTargets: {await TargetsTextAsync()}");
            }

            await Task.Delay(250);
        }
    }

    private string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    private async Task<string> TargetsTextAsync()
    {
        try
        {
            return await Http.GetStringAsync("api/v1/targets");
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    private async Task<JsonElement> GetDataAsync(string url)
    {
        using var response = await Http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal("success", json.RootElement.GetProperty("status").GetString());
        return json.RootElement.GetProperty("data").Clone();
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
