using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Reference;
using Okapi.Web.Features.Exchange;
using Okapi.Web.Infrastructure;

namespace Okapi.Bench.Reference;

/// <summary>
/// The reference benchmark on one generated organisation: Okapi started on its database, each measure warmed up and
/// then timed request by request with a member's token (or signed-in session), the team-scoped ones spread over many
/// teams so that no cache makes them look better than they are. Results are lines "measure: p50 …, p95 …".
/// </summary>
public sealed class ReferenceBenchmark(ReferenceDatabase database, ReferenceFile file, int samples, TextWriter log)
{
    private const int WarmUp = 5;
    private const int ImportKeyResults = 10_000;
    private const int UnchangedImports = 3;

    public List<string> Lines { get; } = [];
    public List<string> Failures { get; } = [];

    public async Task RunAsync(bool withImport)
    {
        await using var okapi = await OkapiProcess.StartAsync(database);
        using var member = okapi.Client(file.MemberToken, connections: 1);
        using var session = await SignInAsync(okapi);
        var cycle = file.ActiveCycleId;
        var teams = file.SampleTeamIds;
        Guid Team(int i) => teams[i % teams.Count];

        await MeasureAsync("team objectives api", member, i => $"/api/v1/objectives?team={Team(i)}&cycle={cycle}");
        await MeasureAsync("team okr page", session, i => $"/okrs/team/{Team(i)}");
        await MeasureAsync("home focus", member, _ => "/api/v1/me/focus");
        await MeasureAlignmentAsync(member, cycle);
        await MeasureAsync("team report", member, i => $"/api/v1/reports/cycles/{cycle}?team={Team(i)}");
        await MeasureAsync("company report", member, _ => $"/api/v1/reports/cycles/{cycle}");
        await MeasureAsync("kpi dashboard", member, i => $"/api/v1/kpis/dashboard?team={Team(i)}");
        await MeasureAsync("kpi list", member, _ => "/api/v1/kpis?page=1&pageSize=50");
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddYears(-1).ToString("O", CultureInfo.InvariantCulture));
        await MeasureAsync("kpi chart", member, _ => $"/api/v1/kpis/{file.MinuteKpiId}/values?from={from}&maxPoints=1000");
        await MeasureAsync("metrics kpis", member, _ => "/metrics/kpis");
        if (withImport)
        {
            await MeasureImportAsync(okapi);
        }

        Lines.Add($"memory: peak {okapi.PeakMemoryMegabytes():0} MB");
    }

    /// <summary>
    /// The alignment tree's top (its default depth) and the expansion of one node: every objective the top shows that
    /// has children, in turn, so that the measure covers the company's objectives as well as deeper ones.
    /// </summary>
    private async Task MeasureAlignmentAsync(HttpClient member, Guid cycle)
    {
        await MeasureAsync("alignment top", member, _ => $"/api/v1/alignment?cycle={cycle}");
        List<Guid> nodes;
        try
        {
            var top = await member.GetJsonAsync($"/api/v1/alignment?cycle={cycle}");
            nodes = top.GetProperty("childCounts").EnumerateObject()
                .Where(c => c.Value.GetInt32() > 0).Select(c => Guid.Parse(c.Name)).ToList();
        }
        catch (Exception e) when (e is BenchFailure or HttpRequestException or TaskCanceledException or KeyNotFoundException)
        {
            Failures.Add($"alignment expand: {e.Message}");
            return;
        }

        if (nodes.Count == 0)
        {
            Failures.Add("alignment expand: the top of the tree shows no objective with children.");
            return;
        }

        await MeasureAsync("alignment expand", member, i => $"/api/v1/alignment?cycle={cycle}&root={nodes[i % nodes.Count]}");
    }

    private async Task MeasureAsync(string measure, HttpClient client, Func<int, string> path)
    {
        await log.WriteLineAsync($"  {measure} …");
        try
        {
            for (var i = 0; i < WarmUp; i++)
            {
                await GetAsync(client, path(samples + i));
            }

            var times = new List<double>();
            for (var i = 0; i < samples; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await GetAsync(client, path(i));
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            Lines.Add(Line(measure, times));
        }
        catch (Exception e) when (e is BenchFailure or HttpRequestException or TaskCanceledException)
        {
            Failures.Add($"{measure}: {e.Message}");
        }
    }

    /// <summary>A new document of 10,000 key results into an organisation of its own, then the same document again (unchanged).</summary>
    private async Task MeasureImportAsync(OkapiProcess okapi)
    {
        await log.WriteLineAsync("  import 10k …");
        try
        {
            var email = $"import-{Guid.NewGuid():N}@bench.example";
            await okapi.RunAsync("create-organisation", "--name", "Import bench", "--admin-email", email);
            using var admin = okapi.Client(await okapi.RunAsync("create-token", "--name", "import", "--scope", "admin", "--email", email), connections: 1);
            var document = ImportDocument(CycleWindow.DateOf(DateTimeOffset.UtcNow, TimeZoneInfo.Utc));
            Lines.Add(Line("import 10k", [await ImportAsync(admin, document)]));
            var unchanged = new List<double>();
            for (var i = 0; i < UnchangedImports; i++)
            {
                unchanged.Add(await ImportAsync(admin, document));
            }

            Lines.Add(Line("import 10k unchanged", unchanged));
        }
        catch (Exception e) when (e is BenchFailure or HttpRequestException or TaskCanceledException)
        {
            Failures.Add($"import 10k: {e.Message}");
        }
    }

    private static async Task<double> ImportAsync(HttpClient admin, byte[] document)
    {
        using var content = new ByteArrayContent(document);
        content.Headers.ContentType = new("application/json");
        var started = Stopwatch.GetTimestamp();
        using var response = await admin.PostAsync("/api/v1/import", content);
        await Api.ReadAsync(response, "POST /api/v1/import");
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>
    /// An organisation as code: 1,000 people in 100 teams three levels deep, four quarters and 2,500 objectives of four
    /// key results each, every team's objectives aligned under its parent team's.
    /// </summary>
    private static byte[] ImportDocument(DateOnly today)
    {
        const int teams = 100;
        const int people = 1_000;
        var quarter = Cycle.Quarter(today);
        var cycles = Enumerable.Range(0, 4).Select(c =>
        {
            var q = Cycle.Quarter(quarter.Start.AddMonths(3 * c));
            return new CycleDoc { Key = $"q{c}", Name = q.Name, Start = q.Start, End = q.End, State = c == 0 ? CycleState.Active : CycleState.Planning };
        }).ToList();
        int? ParentOf(int t) => t == 0 ? null : t < 10 ? 0 : t / 10;
        var objectives = new List<ObjectiveDoc>();
        for (var t = 0; t < teams; t++)
        {
            for (var c = 0; c < cycles.Count; c++)
            {
                for (var n = 0; n < ((t + c) % 4 == 0 ? 7 : 6); n++)
                {
                    objectives.Add(new ObjectiveDoc
                    {
                        Key = $"o-{t}-{c}-{n}",
                        Title = $"Objective {n + 1} of team {t + 1}",
                        Cycle = $"q{c}",
                        OwnerTeam = $"t{t}",
                        Parents = ParentOf(t) is { } p ? [new ParentDoc { Objective = $"o-{p}-{c}-0" }] : null,
                        KeyResults = Enumerable.Range(1, ImportKeyResults / 2_500).Select(k => new KeyResultDoc
                        {
                            Key = $"k{k}",
                            Title = $"Key result {k} of objective {n + 1}",
                            Owner = $"p{(t * 10) + (n + k) % 10}@import.example",
                            Type = k % 2 == 0 ? KeyResultType.DecreaseTo : KeyResultType.IncreaseTo,
                            Start = k % 2 == 0 ? 100 : 0,
                            Target = k % 2 == 0 ? 50 : 100,
                        }).ToList(),
                    });
                }
            }
        }

        var document = new OkrDocument
        {
            Okapi = OkrDocument.CurrentVersion,
            People = Enumerable.Range(0, people).Select(i => new PersonDoc { Email = $"p{i}@import.example", Name = $"Person {i + 1}", Role = Role.Member }).ToList(),
            Teams = Enumerable.Range(0, teams).Select(t => new TeamDoc
            {
                Key = $"t{t}",
                Name = $"Team {t + 1}",
                Parent = ParentOf(t) is { } p ? $"t{p}" : null,
                Members = Enumerable.Range(t * 10, 10).Select(i => new MemberDoc { Email = $"p{i}@import.example", Lead = i % 10 == 0 }).ToList(),
            }).ToList(),
            Cycles = cycles,
            Objectives = objectives,
        };
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
        ApiExtensions.Configure(options);
        return JsonSerializer.SerializeToUtf8Bytes(document, options);
    }

    /// <summary>A client with the session cookie of a member who signed in with a password, as the browser has it.</summary>
    private async Task<HttpClient> SignInAsync(OkapiProcess okapi)
    {
        var signIn = file.SignIns.First(s => s.Role == "member");
        var handler = OkapiProcess.Handler(1);
        // A page that sends the caller to the sign-in form has failed, rather than answered the sign-in form quickly.
        handler.AllowAutoRedirect = false;
        var client = new HttpClient(handler) { BaseAddress = okapi.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        using var response = await client.PostAsJsonAsync("/account/sign-in", new { email = signIn.Email, password = signIn.Password });
        await Api.ReadAsync(response, "POST /account/sign-in");
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];
        client.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies));
        return client;
    }

    private static async Task GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        // The whole body is part of the answer's time.
        await response.Content.CopyToAsync(Stream.Null);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailure($"GET {path} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }

    private static string Line(string measure, List<double> times)
    {
        var sorted = times.Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture, $"{measure}: p50 {Load.Percentile(sorted, 0.5):0.#} ms, p95 {Load.Percentile(sorted, 0.95):0.#} ms");
    }
}
