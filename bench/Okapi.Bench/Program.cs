using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Okapi.Bench;
using Okapi.Bench.Reference;

switch (args)
{
    case ["generate", .. var rest]:
        return await ReferenceCommands.GenerateAsync(rest);
    case ["reference", .. var rest]:
        return await ReferenceCommands.BenchmarkAsync(rest);
}

// Okapi's load harness for PRODUCT.md §5: bulk ingestion, single-value POSTs and alert latency, each against a
// baseline measured in the same run. A part that cannot be measured fails the run; it never prints a figure.
var options = Options.Parse(args);
var figures = new List<string>();
var failures = new List<string>();
var dataFolder = Directory.CreateTempSubdirectory("okapi-bench-").FullName;
try
{
    Console.WriteLine($"Starting Okapi on a fresh SQLite database in {dataFolder} …");
    await using var okapi = await OkapiProcess.StartAsync(dataFolder);
    var token = await okapi.CreateTokenAsync();
    using var client = okapi.Client(token);
    await using var listener = await Listener.StartAsync();
    var team = await Api.CompanyTeamAsync(client);

    await Part("bulk ingestion", () => BulkAsync(client, team, dataFolder, options));
    await Part("single value POST", () => SingleValuesAsync(okapi, token, team, listener, options));
    await Part("alert latency", () => AlertLatencyAsync(client, team, listener, options));
}
catch (BenchFailure e)
{
    failures.Add($"setup: {e.Message}");
}
finally
{
    Directory.Delete(dataFolder, recursive: true);
}

Console.WriteLine();
Console.WriteLine("==== Okapi benchmark (SQLite, one machine) ====");
figures.ForEach(Console.WriteLine);
failures.ForEach(f => Console.WriteLine($"FAILED {f}"));
return failures.Count == 0 ? 0 : 1;

async Task Part(string name, Func<Task<string>> run)
{
    Console.WriteLine($"Measuring {name} …");
    try
    {
        figures.Add($"{name}: {await run()}");
    }
    catch (BenchFailure e)
    {
        failures.Add($"{name}: {e.Message}");
    }
}

static async Task<string> BulkAsync(HttpClient client, Guid team, string dataFolder, Options options)
{
    const int kpiCount = 100;
    var valuesPerKpi = options.Values / kpiCount;
    var keys = Enumerable.Range(1, kpiCount).Select(i => $"bench-{i:000}").ToArray();
    var kpis = new List<Guid>();
    foreach (var key in keys)
    {
        // Values stay healthy, so the rules are evaluated on every batch but nothing fires.
        var kpi = await Api.CreateKpiAsync(client, team, key, warningLower: 1.2, criticalLower: 1.0);
        kpis.Add(kpi);
        if (!options.WithoutAlertRules)
        {
            await Api.CreateThresholdRuleAsync(client, kpi, $"{key} critical", pendingSeconds: 60);
        }
    }

    // One value a minute per KPI, ending a minute ago; the same rows go to the API and to the raw upsert.
    var first = DateTime.UtcNow.AddMinutes(-valuesPerKpi - 1);
    first = new DateTime(first.Ticks - first.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
    (DateTime At, double Value) Row(int instant, int kpi) => (first.AddMinutes(instant), 2 + (instant * 7919 + kpi * 104729) % 9800 / 100.0);

    var bodies = new List<byte[]>();
    var instantsPerRequest = Math.Max(1, options.BatchSize / kpiCount);
    for (var start = 0; start < valuesPerKpi; start += instantsPerRequest)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            for (var instant = start; instant < Math.Min(valuesPerKpi, start + instantsPerRequest); instant++)
            {
                for (var k = 0; k < kpiCount; k++)
                {
                    var (at, value) = Row(instant, k);
                    json.WriteStartObject();
                    json.WriteString("kpi", keys[k]);
                    json.WriteString("at", at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                    json.WriteNumber("value", value);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
        }

        bodies.Add(buffer.ToArray());
    }

    // Warm the server's ingestion path (JIT, caches) on rows that the measured run then overwrites.
    await PostBulkAsync(client, bodies[0]);
    var stopwatch = Stopwatch.StartNew();
    foreach (var body in bodies)
    {
        await PostBulkAsync(client, body);
    }

    var api = options.Values / stopwatch.Elapsed.TotalSeconds;

    // Every value must be there, or the figure means nothing.
    var from = Uri.EscapeDataString(first.ToString("O"));
    var to = Uri.EscapeDataString(first.AddMinutes(valuesPerKpi).ToString("O"));
    var series = await client.GetJsonAsync($"/api/v1/kpis/{kpis[^1]}/values?from={from}&to={to}&maxPoints=10");
    if (series.GetProperty("rawCount").GetInt32() != valuesPerKpi)
    {
        throw new BenchFailure($"a KPI holds {series.GetProperty("rawCount").GetInt32()} values after ingestion, not {valuesPerKpi}");
    }

    var raw = RawUpsert.ValuesPerSecond(Path.Combine(dataFolder, "raw-upsert.db"), kpis, valuesPerKpi, Row);
    var rules = options.WithoutAlertRules ? " — WITHOUT alert rules, not the PRODUCT.md measurement" : "";
    return $"{N(api)} values/s (raw SQLite upsert {N(raw)} values/s, ratio {api / raw:P0}){rules}; {N(options.Values)} values in requests of {N(instantsPerRequest * kpiCount)}";
}

static async Task PostBulkAsync(HttpClient client, byte[] body)
{
    using var content = new ByteArrayContent(body);
    content.Headers.ContentType = new("application/json");
    using var response = await client.PostAsync("/api/v1/kpi-values", content);
    await Api.ReadAsync(response, "POST /api/v1/kpi-values");
}

static async Task<string> SingleValuesAsync(OkapiProcess okapi, string token, Guid team, Listener listener, Options options)
{
    using var setup = okapi.Client(token);
    var kpis = new List<Guid>();
    for (var i = 0; i < options.Clients; i++)
    {
        kpis.Add(await Api.CreateKpiAsync(setup, team, $"load-{i:00}", warningLower: 1.2, criticalLower: 1.0));
    }

    var body = Encoding.UTF8.GetBytes("""{"value": 1.5}""");
    var warmUp = TimeSpan.FromSeconds(3);
    var duration = TimeSpan.FromSeconds(options.Seconds);
    using var client = okapi.Client(token, options.Clients);
    var okapiLoad = await Load.RunAsync(client, i => $"/api/v1/kpis/{kpis[i]}/values", body, options.Clients, warmUp, duration);

    using var bare = new HttpClient(OkapiProcess.Handler(options.Clients)) { BaseAddress = new Uri($"http://127.0.0.1:{listener.Port}") };
    var bareLoad = await Load.RunAsync(bare, _ => "/baseline", body, options.Clients, warmUp, duration);
    return $"{N(okapiLoad.RequestsPerSecond)} requests/s, p50 {okapiLoad.P50Ms:0.0} ms, p99 {okapiLoad.P99Ms:0.0} ms "
        + $"(bare Kestrel POST {N(bareLoad.RequestsPerSecond)} requests/s, p99 {bareLoad.P99Ms:0.0} ms; ratio {okapiLoad.RequestsPerSecond / bareLoad.RequestsPerSecond:P0}); "
        + $"{options.Clients} clients for {options.Seconds} s";
}

static async Task<string> AlertLatencyAsync(HttpClient client, Guid team, Listener listener, Options options)
{
    await client.PostAsync("/api/v1/allowed-hosts", new { host = $"127.0.0.1:{listener.Port}" });
    var channel = (await client.PostAsync("/api/v1/channels", new { name = "bench", kind = "webhook", target = $"http://127.0.0.1:{listener.Port}/hook" })).Id();
    var kpi = await Api.CreateKpiAsync(client, team, "bench-alert", warningLower: 20, criticalLower: 10);
    await Api.CreateThresholdRuleAsync(client, kpi, "bench alert latency", pendingSeconds: 0, channel);

    var latencies = new List<double>();
    var at = DateTimeOffset.UtcNow.AddMinutes(-10);
    for (var sample = 0; sample < options.Samples; sample++)
    {
        // Instants only move forward, so each posted value is the KPI's latest.
        at = Max(at.AddMilliseconds(1), DateTimeOffset.UtcNow);
        var sent = Stopwatch.GetTimestamp();
        await client.PostAsync($"/api/v1/kpis/{kpi}/values", new { at, value = 0.0 });
        var (firedAt, firing) = await NextWebhookAsync(listener, "firing");
        if (firing.Contains("resolved", StringComparison.OrdinalIgnoreCase) && !firing.Contains("firing", StringComparison.OrdinalIgnoreCase))
        {
            throw new BenchFailure($"expected a firing notification, got: {firing}");
        }

        latencies.Add(Stopwatch.GetElapsedTime(sent, firedAt).TotalMilliseconds);

        at = Max(at.AddMilliseconds(1), DateTimeOffset.UtcNow);
        await client.PostAsync($"/api/v1/kpis/{kpi}/values", new { at, value = 50.0 });
        await NextWebhookAsync(listener, "resolved");
    }

    var sorted = latencies.Order().ToArray();
    return $"p50 {Load.Percentile(sorted, 0.5):0} ms, p99 {Load.Percentile(sorted, 0.99):0} ms (value POST sent → webhook received, {sorted.Length} alerts)";
}

static async Task<(long Timestamp, string Body)> NextWebhookAsync(Listener listener, string what)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
    try
    {
        return await listener.Webhooks.Reader.ReadAsync(timeout.Token);
    }
    catch (OperationCanceledException)
    {
        throw new BenchFailure($"no {what} webhook within 10 s");
    }
}

static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

/// <summary>Command-line knobs; the defaults are the PRODUCT.md §5 measurement.</summary>
internal sealed record Options(int Values, int BatchSize, int Clients, int Seconds, int Samples, bool WithoutAlertRules)
{
    public static Options Parse(string[] args)
    {
        var options = new Options(Values: 1_000_000, BatchSize: 50_000, Clients: 32, Seconds: 15, Samples: 60, WithoutAlertRules: false);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--values" => options with { Values = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--batch" => options with { BatchSize = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--clients" => options with { Clients = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--seconds" => options with { Seconds = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--samples" => options with { Samples = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--without-alert-rules" => options with { WithoutAlertRules = true },
                _ => throw new ArgumentException($"unknown option {args[i]}; known: --values, --batch, --clients, --seconds, --samples, --without-alert-rules"),
            };
        }

        return options;
    }
}
