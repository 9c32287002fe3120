using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Okapi.Bench;
using Okapi.Bench.Reference;
using Okapi.Data;

switch (args)
{
    case ["generate", .. var rest]:
        return await ReferenceCommands.GenerateAsync(rest);
    case ["reference", .. var rest]:
        return await ReferenceCommands.BenchmarkAsync(rest);
}

// Okapi's load harness for PRODUCT.md §5: bulk ingestion, single-value POSTs (without and with alert rules), alert
// latency (alone and under load) and authenticated GETs, each against a baseline measured in the same run. A part that
// cannot be measured fails the run; it never prints a figure.
var options = Options.Parse(args);
var figures = new Dictionary<string, string>();
var failures = new List<string>();
var dataFolder = Directory.CreateTempSubdirectory("okapi-bench-").FullName;
try
{
    await using var database = await BenchDatabase.CreateAsync(options.Provider, options.Connection, dataFolder);
    Console.WriteLine($"Starting Okapi on {database.Describe()} …");
    await using var okapi = await OkapiProcess.StartAsync(database.Okapi);
    var token = await okapi.CreateTokenAsync();
    using var client = okapi.Client(token);
    await using var listener = await Listener.StartAsync();
    var team = await Api.CompanyTeamAsync(client);
    Task<Guid>? webhookChannel = null;
    Task<Guid> WebhookChannelAsync() => webhookChannel ??= CreateWebhookChannelAsync(client, listener);

    // The rules part goes first: its load without rules then runs in an organisation with no rule at all. It deletes
    // its rules after, so the other parts measure what they always did.
    await Part(Parts.Rules, () => SingleValuesWithRulesAsync(okapi, token, team, options));
    await Part(Parts.Bulk, () => BulkAsync(client, team, database, options));
    await Part(Parts.Single, () => SingleValuesAsync(okapi, token, team, listener, options));
    await Part(Parts.Alert, async () => AlertLatencyLine(await AlertLatencyAsync(client, team, listener, await WebhookChannelAsync(), "bench-alert", options)));
    await Part(Parts.AlertUnderLoad, async () => await AlertsUnderLoadAsync(okapi, token, client, team, listener, await WebhookChannelAsync(), options));
    await Part(Parts.Get, () => AuthenticatedGetAsync(okapi, token, listener, options));
}
catch (Exception e) when (e is BenchFailure or DbException)
{
    failures.Add($"setup: {e.Message}");
}
finally
{
    Directory.Delete(dataFolder, recursive: true);
}

Console.WriteLine();
Console.WriteLine($"==== Okapi benchmark ({BenchDatabase.NameOf(options.Provider)}, one machine) ====");
foreach (var (key, name) in Parts.All)
{
    if (figures.TryGetValue(key, out var figure))
    {
        Console.WriteLine($"{name}: {figure}");
    }
}

failures.ForEach(f => Console.WriteLine($"FAILED {f}"));
return failures.Count == 0 ? 0 : 1;

async Task Part(string key, Func<Task<string>> run)
{
    if (!options.Only.Contains(key))
    {
        return;
    }

    var name = Parts.All[key];
    Console.WriteLine($"Measuring {name} …");
    try
    {
        figures[key] = await run();
    }
    catch (Exception e) when (e is BenchFailure or DbException)
    {
        failures.Add($"{name}: {e.Message}");
    }
}

static async Task<string> BulkAsync(HttpClient client, Guid team, BenchDatabase database, Options options)
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

    byte[] Body(int from, int to)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            for (var instant = from; instant < to; instant++)
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

        return buffer.ToArray();
    }

    var instantsPerRequest = Math.Max(1, options.BatchSize / kpiCount);
    var bodies = new List<byte[]>();
    for (var start = 0; start < valuesPerKpi; start += instantsPerRequest)
    {
        bodies.Add(Body(start, Math.Min(valuesPerKpi, start + instantsPerRequest)));
    }

    // Warm the server's ingestion path (JIT tiers, caches) with requests of values older than the measured ones, oldest
    // first, so that the measured requests, like the raw upsert, only add rows after those stored. They end two days
    // before the first measured value, outside the days the count below reads.
    const int warmUpRequests = 20;
    const int gap = 2 * 24 * 60;
    for (var request = warmUpRequests; request >= 1; request--)
    {
        await PostBulkAsync(client, Body(-gap - request * instantsPerRequest, -gap - (request - 1) * instantsPerRequest));
    }

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

    var raw = await RawUpsert.ValuesPerSecondAsync(database, kpis, valuesPerKpi, Row);
    var rules = options.WithoutAlertRules ? " — WITHOUT alert rules, not the PRODUCT.md measurement" : "";
    return $"{N(api)} values/s (raw {database.Name} upsert {N(raw)} values/s, the fastest of {RawUpsert.Runs} runs; ratio {api / raw:P0}){rules}; {N(options.Values)} values in requests of {N(instantsPerRequest * kpiCount)}";
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
    var kpis = await CreateKpisAsync(setup, team, "load", options.Clients);
    var okapiLoad = await SingleValueLoadAsync(okapi, token, kpis, options);

    using var bare = new HttpClient(OkapiProcess.Handler(options.Clients)) { BaseAddress = new Uri($"http://127.0.0.1:{listener.Port}") };
    var bareLoad = await Load.RunAsync(bare, _ => "/baseline", SingleValue.Body, options.Clients, Load.WarmUp, TimeSpan.FromSeconds(options.Seconds));
    return $"{LoadLine(okapiLoad)} (bare Kestrel POST {N(bareLoad.RequestsPerSecond)} requests/s, p99 {bareLoad.P99Ms:0.0} ms; ratio {okapiLoad.RequestsPerSecond / bareLoad.RequestsPerSecond:P0}); "
        + $"{options.Clients} clients for {options.Seconds} s";
}

// PRODUCT.md §5: with 100 rules on other KPIs and one on the posted KPI, a value POST costs at most 1.2 × one without.
static async Task<string> SingleValuesWithRulesAsync(OkapiProcess okapi, string token, Guid team, Options options)
{
    const int otherKpiCount = 100;
    using var setup = okapi.Client(token);
    var posted = await CreateKpisAsync(setup, team, "rules-posted", options.Clients);
    var others = await CreateKpisAsync(setup, team, "rules-other", otherKpiCount);
    // This part runs first, on a server just started: a longer warm-up lets its code reach its optimised tier before
    // the load without rules is measured, and that load is measured again after the rules are gone; the faster of the
    // two is the baseline, so that neither the compiler nor the machine's drift can flatter the rules.
    var before = await SingleValueLoadAsync(okapi, token, posted, options, Load.ColdStartWarmUp);

    var rules = new List<Guid>();
    foreach (var kpi in others.Concat(posted))
    {
        // The posted values stay healthy: every rule is evaluated and none fires.
        rules.Add(await Api.CreateThresholdRuleAsync(setup, kpi, $"bench rule {rules.Count}", pendingSeconds: 60));
    }

    var withRules = await SingleValueLoadAsync(okapi, token, posted, options);
    foreach (var rule in rules)
    {
        using var response = await setup.DeleteAsync($"/api/v1/alert-rules/{rule}");
        await Api.ReadAsync(response, "DELETE /api/v1/alert-rules/{id}");
    }

    var after = await SingleValueLoadAsync(okapi, token, posted, options);
    var withoutRules = before.RequestsPerSecond >= after.RequestsPerSecond ? before : after;
    var cost = withoutRules.RequestsPerSecond / withRules.RequestsPerSecond;
    return $"{LoadLine(withRules)} (without rules {N(withoutRules.RequestsPerSecond)} requests/s, p99 {withoutRules.P99Ms:0.0} ms, the faster of "
        + $"{N(before.RequestsPerSecond)} before and {N(after.RequestsPerSecond)} after; cost {cost:0.00} ×, target ≤ 1.2 ×); "
        + $"{otherKpiCount} threshold rules on other KPIs and one on each posted KPI, {options.Clients} clients for {options.Seconds} s each";
}

static async Task<Load.Result> SingleValueLoadAsync(OkapiProcess okapi, string token, IReadOnlyList<Guid> kpis, Options options, TimeSpan? warmUp = null)
{
    using var client = okapi.Client(token, options.Clients);
    return await Load.RunAsync(client, i => $"/api/v1/kpis/{kpis[i % kpis.Count]}/values", SingleValue.Body, options.Clients, warmUp ?? Load.WarmUp, TimeSpan.FromSeconds(options.Seconds));
}

static async Task<List<Guid>> CreateKpisAsync(HttpClient client, Guid team, string prefix, int count)
{
    var kpis = new List<Guid>();
    for (var i = 0; i < count; i++)
    {
        // A posted 1.5 is above both thresholds: healthy.
        kpis.Add(await Api.CreateKpiAsync(client, team, $"{prefix}-{i:000}", warningLower: 1.2, criticalLower: 1.0));
    }

    return kpis;
}

static async Task<Guid> CreateWebhookChannelAsync(HttpClient client, Listener listener)
{
    await client.PostAsync("/api/v1/allowed-hosts", new { host = $"127.0.0.1:{listener.Port}" });
    return (await client.PostAsync("/api/v1/channels", new { name = "bench", kind = "webhook", target = $"http://127.0.0.1:{listener.Port}/hook" })).Id();
}

static async Task<double[]> AlertLatencyAsync(HttpClient client, Guid team, Listener listener, Guid channel, string key, Options options)
{
    var kpi = await Api.CreateKpiAsync(client, team, key, warningLower: 20, criticalLower: 10);
    await Api.CreateThresholdRuleAsync(client, kpi, $"{key} latency", pendingSeconds: 0, channel);
    // A webhook left over from an earlier part that failed half-way would pass for this part's first.
    while (listener.Webhooks.Reader.TryRead(out _))
    {
    }

    var latencies = new List<double>();
    var at = DateTimeOffset.UtcNow.AddMinutes(-10);
    // The first alert also pays for compiling the alert and delivery paths and opening the webhook's connection; like
    // the load parts' warm-up, it is sent but not counted.
    for (var sample = -1; sample < options.Samples; sample++)
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

        if (sample >= 0)
        {
            latencies.Add(Stopwatch.GetElapsedTime(sent, firedAt).TotalMilliseconds);
        }

        at = Max(at.AddMilliseconds(1), DateTimeOffset.UtcNow);
        await client.PostAsync($"/api/v1/kpis/{kpi}/values", new { at, value = 50.0 });
        await NextWebhookAsync(listener, "resolved");
    }

    return [.. latencies.Order()];
}

static string AlertLatencyLine(double[] sorted) =>
    $"p50 {Load.Percentile(sorted, 0.5):0} ms, p99 {Load.Percentile(sorted, 0.99):0} ms (value POST sent → webhook received, {sorted.Length} alerts)";

// The alert's latency while the single-value load runs on other KPIs: the alert path competes with the load for the
// database, the thread pool and the notification worker.
static async Task<string> AlertsUnderLoadAsync(OkapiProcess okapi, string token, HttpClient client, Guid team, Listener listener, Guid channel, Options options)
{
    var kpis = await CreateKpisAsync(client, team, "alert-load", options.Clients);
    using var load = okapi.Client(token, options.Clients);
    double[] latencies = [];
    var loadResult = await Load.RunWhileAsync(load, i => $"/api/v1/kpis/{kpis[i]}/values", SingleValue.Body, options.Clients, Load.WarmUp,
        async () => latencies = await AlertLatencyAsync(client, team, listener, channel, "bench-alert-under-load", options));
    return $"{AlertLatencyLine(latencies)} while single value POSTs ran at {N(loadResult.RequestsPerSecond)} requests/s (p99 {loadResult.P99Ms:0.0} ms) "
        + $"from {options.Clients} clients on other KPIs";
}

// PRODUCT.md §5: an authenticated GET of a small resource, against a bare Kestrel GET answering as many bytes.
static async Task<string> AuthenticatedGetAsync(OkapiProcess okapi, string token, Listener listener, Options options)
{
    const string path = "/api/v1/teams";
    using var client = okapi.Client(token, options.Clients);
    using (var first = await client.GetAsync(path))
    {
        await Api.ReadAsync(first, $"GET {path}");
        listener.GetAnswer = await first.Content.ReadAsByteArrayAsync();
    }

    var duration = TimeSpan.FromSeconds(options.Seconds);
    var okapiLoad = await Load.RunAsync(client, _ => path, body: null, options.Clients, Load.WarmUp, duration);
    using var bare = new HttpClient(OkapiProcess.Handler(options.Clients)) { BaseAddress = new Uri($"http://127.0.0.1:{listener.Port}") };
    var bareLoad = await Load.RunAsync(bare, _ => "/baseline", body: null, options.Clients, Load.WarmUp, duration);
    return $"{LoadLine(okapiLoad)} (bare Kestrel GET {N(bareLoad.RequestsPerSecond)} requests/s, p99 {bareLoad.P99Ms:0.0} ms; ratio {okapiLoad.RequestsPerSecond / bareLoad.RequestsPerSecond:P0}); "
        + $"answers of {N(listener.GetAnswer.Length)} bytes, {options.Clients} clients for {options.Seconds} s";
}

static string LoadLine(Load.Result load) => $"{N(load.RequestsPerSecond)} requests/s, p50 {load.P50Ms:0.0} ms, p99 {load.P99Ms:0.0} ms";

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

/// <summary>What every single-value load posts: a healthy value at the server's now.</summary>
internal static class SingleValue
{
    public static readonly byte[] Body = """{"value": 1.5}"""u8.ToArray();
}

/// <summary>The parts of the benchmark, by the key <c>--only</c> takes, in the order the block prints them.</summary>
internal static class Parts
{
    public const string Bulk = "bulk";
    public const string Single = "single";
    public const string Rules = "rules";
    public const string Alert = "alert";
    public const string AlertUnderLoad = "alert-under-load";
    public const string Get = "get";

    public static readonly OrderedDictionary<string, string> All = new()
    {
        [Bulk] = "bulk ingestion",
        [Single] = "single value POST",
        [Rules] = "single value POST with alert rules",
        [Alert] = "alert latency",
        [AlertUnderLoad] = "alerts under load",
        [Get] = "authenticated GET /api/v1/teams",
    };
}

/// <summary>Command-line knobs; the defaults are the PRODUCT.md §5 measurement.</summary>
internal sealed record Options(
    int Values, int BatchSize, int Clients, int Seconds, int Samples, bool WithoutAlertRules,
    DatabaseProvider Provider, string? Connection, IReadOnlySet<string> Only)
{
    private const string Known = "--values, --batch, --clients, --seconds, --samples, --without-alert-rules, --provider sqlite|postgres, --connection, --only";

    public static Options Parse(string[] args)
    {
        var options = new Options(Values: 1_000_000, BatchSize: 50_000, Clients: 32, Seconds: 15, Samples: 60, WithoutAlertRules: false,
            Provider: DatabaseProvider.Sqlite, Connection: null, Only: Parts.All.Keys.ToHashSet());
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
                "--provider" => options with { Provider = Enum.Parse<DatabaseProvider>(args[++i], ignoreCase: true) },
                "--connection" => options with { Connection = args[++i] },
                "--only" => options with { Only = ParseParts(args[++i]) },
                _ => throw new ArgumentException($"unknown option {args[i]}; known: {Known}"),
            };
        }

        return options.Provider == DatabaseProvider.Postgres && options.Connection is null
            ? throw new ArgumentException("--provider postgres needs --connection \"Host=…;Username=…\" (a server where the bench may create a database)")
            : options;
    }

    private static HashSet<string> ParseParts(string list)
    {
        var parts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = parts.Where(p => !Parts.All.ContainsKey(p)).ToList();
        return unknown.Count == 0
            ? parts
            : throw new ArgumentException($"unknown part {string.Join(", ", unknown)}; known: {string.Join(", ", Parts.All.Keys)}");
    }
}
