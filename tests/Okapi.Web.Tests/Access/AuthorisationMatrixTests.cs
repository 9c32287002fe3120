using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;
using static Okapi.Web.Tests.Access.Who;

namespace Okapi.Web.Tests.Access;

/// <summary>The people of the matrix's organisation, by what they are: a viewer, a member, a lead of the member's team, an admin.</summary>
[Flags]
public enum Who
{
    Nobody = 0,
    Viewer = 1,
    Member = 2,
    Lead = 4,
    Admin = 8,
    Members = Member | Lead | Admin,
    Leads = Lead | Admin,
    Admins = Admin,
    Anyone = Viewer | Members,
}

/// <summary>
/// Who may call an operation. <see cref="Ingest"/>: a <c>kpi:ingest</c> token may too. <see cref="OwnData"/>: it changes
/// only the caller's own rows, so viewers may write it. <see cref="Hides"/>: someone else's row is not found (404) rather
/// than refused (403). <see cref="Query"/> and <see cref="Body"/> name resources as <c>{segment}</c> (see <see cref="MatrixWorld.Ids"/>).
/// <see cref="MediaType"/> is one the operation accepts: a body of another is refused (415) before anyone is asked who calls.
/// </summary>
public sealed record Rule(Who Who, bool Ingest = false, bool OwnData = false, bool Hides = false, string? Query = null, string? Body = null,
    string MediaType = "application/json");

/// <summary>
/// Every operation of the OpenAPI document under /api/v1, called by every kind of caller: each refusal is a problem
/// detail with the expected status and changes nothing; each permitted read answers 200 without private objectives.
/// </summary>
public sealed class AuthorisationMatrixTests(MatrixApps apps) : IClassFixture<MatrixApps>
{
    /// <summary>The world as the matrix's people see it: Max (member) and Lee (lead) are in the product team that owns the objective and the KPI; Vera (viewer) too.</summary>
    private static readonly Dictionary<string, Rule> Expectations = new()
    {
        ["GET /organisation"] = new(Anyone),
        ["PUT /organisation"] = new(Admins),

        ["GET /teams"] = new(Anyone),
        ["GET /teams/{id}"] = new(Anyone),
        ["POST /teams"] = new(Admins, Body: """{"name":"Refused"}"""),
        ["PUT /teams/{id}"] = new(Admins, Body: """{"name":"Refused"}"""),
        ["DELETE /teams/{id}"] = new(Admins),

        ["GET /people"] = new(Anyone),
        ["GET /people/me"] = new(Anyone),
        ["PUT /people/me/notifications"] = new(Anyone, OwnData: true),
        ["PUT /people/me/password"] = new(Anyone, OwnData: true, Body: """{"currentPassword":"not-the-password","newPassword":"another-long-password"}"""),
        ["GET /people/{id}"] = new(Anyone),
        ["POST /people"] = new(Admins, Body: """{"name":"Refused","email":"refused@okapi.test","role":"admin"}"""),
        ["PUT /people/{id}"] = new(Admins, Body: """{"name":"Refused","email":"refused@okapi.test","role":"admin"}"""),
        ["DELETE /people/{id}"] = new(Admins),

        ["GET /cycles"] = new(Anyone),
        ["GET /cycles/{id}"] = new(Anyone),
        ["POST /cycles"] = new(Admins, Body: """{"name":"Refused","start":"2027-04-01","end":"2027-06-30","kind":"quarter"}"""),
        ["PUT /cycles/{id}"] = new(Admins, Body: """{"name":"Refused","start":"2027-04-01","end":"2027-06-30","kind":"quarter"}"""),
        ["DELETE /cycles/{id}"] = new(Admins),

        // Members change what they or their teams own; the matrix's objective is the product team's.
        ["GET /objectives"] = new(Anyone),
        ["GET /objectives/{id}"] = new(Anyone),
        ["POST /objectives"] = new(Members, Body: """{"title":"Refused","cycleId":"{cycles}","ownerTeamId":"{teams}"}"""),
        ["PUT /objectives/{id}"] = new(Members, Body: """{"title":"Refused","cycleId":"{cycles}","ownerTeamId":"{teams}"}"""),
        ["DELETE /objectives/{id}"] = new(Members),
        ["POST /objectives/{id}/archive"] = new(Members),
        ["POST /objectives/{id}/restore"] = new(Members),
        ["POST /objectives/{id}/parents"] = new(Members, Body: """{"parentObjectiveId":"{objectives}"}"""),
        ["DELETE /objectives/{id}/parents/{linkId}"] = new(Members),
        ["GET /objectives/{id}/history"] = new(Anyone),
        ["GET /objectives/{id}/reviewers"] = new(Anyone),
        ["POST /objectives/{id}/review"] = new(Members, Body: """{"reviewerId":"{lead}"}"""),
        ["POST /objectives/{id}/activate"] = new(Members),
        ["POST /objectives/{id}/carry-over"] = new(Members, Body: """{"cycleId":"{cycles}"}"""),
        ["POST /objectives/{id}/clone"] = new(Members, Body: """{"cycleId":"{cycles}"}"""),
        ["GET /alignment"] = new(Anyone, Query: "cycle={cycles}"),

        ["GET /key-results"] = new(Anyone),
        ["GET /key-results/{id}"] = new(Anyone),
        ["POST /key-results"] = new(Members, Body: """{"objectiveId":"{objectives}","title":"Refused","type":"increaseTo","start":0,"target":1}"""),
        ["PUT /key-results/{id}"] = new(Members, Body: """{"objectiveId":"{objectives}","title":"Refused","type":"increaseTo","start":0,"target":1}"""),
        ["DELETE /key-results/{id}"] = new(Members),
        ["POST /key-results/{id}/move"] = new(Members, Body: """{"position":0}"""),
        ["GET /key-results/{id}/check-ins"] = new(Anyone),
        ["POST /key-results/{id}/check-ins"] = new(Members, Body: """{"value":40}"""),
        ["DELETE /key-results/{id}/check-ins/{checkInId}"] = new(Members),

        ["GET /initiatives"] = new(Anyone),
        ["GET /initiatives/{id}"] = new(Anyone),
        ["POST /initiatives"] = new(Members, Body: """{"objectiveId":"{objectives}","title":"Refused"}"""),
        ["PUT /initiatives/{id}"] = new(Members, Body: """{"objectiveId":"{objectives}","title":"Refused"}"""),
        ["DELETE /initiatives/{id}"] = new(Members),

        // The comment is Max's: only its author edits it; its author or an admin deletes it.
        ["GET /comments"] = new(Anyone, Query: "objective={objectives}"),
        ["GET /comments/{id}"] = new(Anyone),
        ["POST /comments"] = new(Members, Body: """{"objectiveId":"{objectives}","body":"Refused"}"""),
        ["PUT /comments/{id}"] = new(Member, Body: """{"body":"Refused"}"""),
        ["DELETE /comments/{id}"] = new(Member | Admin),

        ["GET /lint"] = new(Anyone),
        ["GET /lint/rules"] = new(Anyone),
        ["GET /search"] = new(Anyone, Query: "q=customers"),
        ["GET /me/focus"] = new(Anyone),
        ["GET /audit"] = new(Admins),
        ["GET /jobs"] = new(Admins),

        // Tokens are their owner's own, viewers' too; with a token, only an admin token mints tokens (people signed in
        // make their own, see ViewerTokenTests). The token is Max's: to others but admins it does not exist.
        ["GET /tokens"] = new(Anyone),
        ["POST /tokens"] = new(Admins, Body: """{"name":"Refused","scopes":["read"]}"""),
        ["DELETE /tokens/{id}"] = new(Member | Admin, OwnData: true, Hides: true),

        ["GET /kpis"] = new(Anyone),
        ["GET /kpis/dashboard"] = new(Anyone),
        ["GET /kpis/{id}"] = new(Anyone),
        ["POST /kpis"] = new(Members, Body: """{"name":"Refused","ownerTeamId":"{teams}"}"""),
        ["PUT /kpis/{id}"] = new(Members, Body: """{"name":"Refused","ownerTeamId":"{teams}"}"""),
        ["DELETE /kpis/{id}"] = new(Members),
        ["POST /kpis/{id}/archive"] = new(Members),
        ["POST /kpis/{id}/restore"] = new(Members),
        ["GET /kpis/{id}/values"] = new(Anyone),
        ["GET /kpis/{id}/periods"] = new(Anyone),
        ["POST /kpis/{id}/values"] = new(Members, Ingest: true, Body: """{"at":"2027-02-15T10:00:00Z","value":99}"""),
        ["POST /kpi-values"] = new(Members, Ingest: true, Body: """[{"kpiId":"{kpis}","at":"2027-02-15T10:00:00Z","value":99}]"""),
        ["POST /kpi-values/upload"] = new(Members, Ingest: true, Body: "kpi,at,value\n", MediaType: "text/csv"),

        // A pull source may hold credentials in its URL: only the KPI's editors see it.
        ["GET /kpi-sources"] = new(Anyone),
        ["GET /kpi-sources/{id}"] = new(Members),
        ["POST /kpi-sources"] = new(Members, Body: """{"kpiId":"{kpis}","kind":"httpJson","schedule":"0 * * * *","url":"https://metrics.intranet/x","jsonPath":"$.v"}"""),
        ["PUT /kpi-sources/{id}"] = new(Members, Body: """{"kpiId":"{kpis}","kind":"httpJson","schedule":"0 * * * *","url":"https://metrics.intranet/x","jsonPath":"$.v"}"""),
        ["DELETE /kpi-sources/{id}"] = new(Members),
        ["POST /kpi-sources/{id}/run"] = new(Members),

        ["GET /alert-rules"] = new(Anyone),
        ["GET /alert-rules/{id}"] = new(Anyone),
        ["POST /alert-rules"] = new(Members, Body: """{"kpiId":"{kpis}","name":"Refused","kind":"threshold"}"""),
        ["PUT /alert-rules/{id}"] = new(Members, Body: """{"kpiId":"{kpis}","name":"Refused","kind":"threshold"}"""),
        ["DELETE /alert-rules/{id}"] = new(Members),
        ["GET /alerts"] = new(Anyone),
        ["GET /alerts/groups"] = new(Anyone),
        ["GET /alerts/{id}"] = new(Anyone),
        ["POST /alerts/{id}/acknowledge"] = new(Members),

        ["GET /channels"] = new(Anyone),
        ["GET /channels/{id}"] = new(Anyone),
        ["POST /channels"] = new(Admins, Body: """{"name":"Refused","kind":"inApp"}"""),
        ["PUT /channels/{id}"] = new(Admins, Body: """{"name":"Refused","kind":"inApp"}"""),
        ["DELETE /channels/{id}"] = new(Admins),
        ["POST /channels/{id}/secret"] = new(Admins),
        ["POST /channels/{id}/test"] = new(Admins),
        ["GET /deliveries"] = new(Admins),
        ["GET /deliveries/{id}"] = new(Admins),
        ["POST /deliveries/{id}/retry"] = new(Admins),
        ["GET /allowed-hosts"] = new(Admins),
        ["POST /allowed-hosts"] = new(Admins, Body: """{"host":"refused.intranet"}"""),
        ["DELETE /allowed-hosts/{id}"] = new(Admins),

        // The notification and the inbox item are Vera's (Max mentioned her): only she clears them; to others they do not exist.
        ["GET /notifications"] = new(Anyone),
        ["POST /notifications/{id}/read"] = new(Viewer, OwnData: true, Hides: true),
        ["POST /notifications/read"] = new(Anyone, OwnData: true),
        ["GET /inbox"] = new(Anyone),
        ["POST /inbox/{id}/done"] = new(Viewer, OwnData: true, Hides: true),
        ["POST /inbox/{id}/dismiss"] = new(Viewer, OwnData: true, Hides: true),

        // Max asked Lee for the review: only the reviewer asked answers it (not even an admin); the asker or an admin withdraws it.
        ["GET /reviews"] = new(Anyone),
        ["GET /reviews/{id}"] = new(Anyone),
        ["POST /reviews/{id}/acknowledge"] = new(Lead),
        ["POST /reviews/{id}/request-changes"] = new(Lead, Body: """{"note":"Refused"}"""),
        ["POST /reviews/{id}/withdraw"] = new(Member | Admin),

        // A team's leads close the cycle for their team; only admins close it for the company.
        ["GET /cycles/{id}/close-preview"] = new(Anyone),
        ["POST /cycles/{id}/closings"] = new(Leads, Body: """{"teamId":"{teams}"}"""),
        ["GET /cycles/{id}/closings"] = new(Anyone),
        ["GET /closings/{id}"] = new(Anyone),
        ["GET /reports/cycles/{cycleId}"] = new(Anyone),
        ["GET /reports/cycles/{cycleId}/export"] = new(Anyone),

        ["GET /export"] = new(Admins),
        ["POST /import"] = new(Admins),
    };

    [Theory]
    [OnEveryDatabase]
    public async Task EveryOperationOfTheApiHasAnExpectation(DatabaseProvider provider)
    {
        var operations = await OperationsAsync(await apps.WorldAsync(provider));
        var missing = operations.Where(o => !Expectations.ContainsKey(o)).ToList();
        var stale = Expectations.Keys.Where(k => !operations.Contains(k)).ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"Operations without an expectation in the matrix: {string.Join(", ", missing)}; expectations of no operation: {string.Join(", ", stale)}");
        Assert.True(operations.Count > 100, $"only {operations.Count} operations found");
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnAnonymousCallerGets401OnEveryOperation(DatabaseProvider provider)
    {
        var world = await apps.WorldAsync(provider);
        await CheckAsync(world, world.Anonymous, (_, _) => HttpStatusCode.Unauthorized);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnUnknownTokenGets401OnEveryOperation(DatabaseProvider provider)
    {
        var world = await apps.WorldAsync(provider);
        await CheckAsync(world, world.UnknownToken, (_, _) => HttpStatusCode.Unauthorized);
    }

    /// <summary>The token is the admin's, but admin rights need the admin scope (and editing needs write): it reads what a viewer may.</summary>
    [Theory]
    [OnEveryDatabase]
    public async Task AnAdminsReadTokenReadsWhatAViewerMayAndGets403OnEveryWrite(DatabaseProvider provider)
    {
        var world = await apps.WorldAsync(provider);
        await CheckAsync(world, world.ReadToken, (method, rule) => method == "GET" ? ForRole(Viewer, rule, "GET") : HttpStatusCode.Forbidden);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AKpiIngestTokenGets403EverywhereButKpiValueIngestion(DatabaseProvider provider)
    {
        var world = await apps.WorldAsync(provider);
        await CheckAsync(world, world.IngestToken, (_, rule) => rule.Ingest ? Allowed : HttpStatusCode.Forbidden);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AViewerReadsAndChangesOnlyTheirOwnData(DatabaseProvider provider)
    {
        var world = await apps.WorldAsync(provider);
        await CheckAsync(world, world.Viewer, (method, rule) => ForRole(Viewer, rule, method), world.Private);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AMemberIsRefusedAdminAndLeadOperations(DatabaseProvider provider)
    {
        var world = await apps.WorldAsync(provider);
        await CheckAsync(world, world.Member, (method, rule) => ForRole(Member, rule, method), world.Private);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ATeamLeadIsRefusedAdminOperations(DatabaseProvider provider)
    {
        var world = await apps.WorldAsync(provider);
        await CheckAsync(world, world.Lead, (method, rule) => ForRole(Lead, rule, method), world.Private);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnAdminIsRefusedOnlyWhereTheRuleNamesSomeoneElse(DatabaseProvider provider)
    {
        var world = await apps.WorldAsync(provider);
        await CheckAsync(world, world.Admin, (method, rule) => ForRole(Admin, rule, method));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnotherOrganisationsAdminFindsNothingOfTheFirstOrganisation(DatabaseProvider provider)
    {
        var world = await apps.WorldAsync(provider);
        var first = world.Ids.Values.Concat(world.Private).Append(world.OrganisationId).ToList();
        await CheckAsync(world, world.OtherAdmin, (_, _) => null, first, (operation, rule, names) =>
            // A route naming a resource of the first organisation: not found, whatever the method.
            names ? NotFound :
            // A list: the caller's own organisation only; changing their own data: theirs to change.
            operation.StartsWith("GET ") ? OwnOrganisation : rule.OwnData ? Allowed :
            // A write whose body names the first organisation's resources: refused, and nothing changes.
            rule.Body?.Contains("\"{", StringComparison.Ordinal) == true ? NotChanged : null);
    }

    /// <summary>
    /// What a person of a role gets: 200 on reads they may make, nothing checked on writes they may make (except their
    /// own data), 403 otherwise, or 404 where someone else's row is hidden (viewers are refused every other write first).
    /// </summary>
    private static HttpStatusCode? ForRole(Who role, Rule rule, string method) =>
        rule.Who.HasFlag(role) ? Allowed :
        rule.Hides && !(role == Viewer && method != "GET" && !rule.OwnData) ? HttpStatusCode.NotFound :
        HttpStatusCode.Forbidden;

    // Outcomes that are not one exact refusal status.
    private const HttpStatusCode Allowed = (HttpStatusCode)1;
    private const HttpStatusCode NotFound = HttpStatusCode.NotFound;
    private const HttpStatusCode OwnOrganisation = (HttpStatusCode)2;
    private const HttpStatusCode NotChanged = (HttpStatusCode)3;

    private static async Task CheckAsync(MatrixWorld world, HttpClient client, Func<string, Rule, HttpStatusCode?> expect, IReadOnlyCollection<Guid>? neverShown = null,
        Func<string, Rule, bool, HttpStatusCode?>? byRoute = null)
    {
        var mismatches = new List<string>();
        foreach (var operation in await OperationsAsync(world))
        {
            if (!Expectations.TryGetValue(operation, out var rule))
            {
                mismatches.Add($"{operation}: no expectation in the matrix");
                continue;
            }

            var method = operation[..operation.IndexOf(' ')];
            var template = operation[(method.Length + 1)..];
            var namesResource = template.Contains('{');
            var expected = byRoute is null ? expect(method, rule) : byRoute(operation, rule, namesResource);
            var write = method != "GET";
            if (expected is null)
            {
                continue;
            }

            // Writes someone may make change the world the other checks need; the matrix calls only their own-data ones and ingestion.
            if (expected == Allowed && write && !rule.OwnData && !(rule.Ingest && client == world.IngestToken) && byRoute is null)
            {
                continue;
            }

            var url = "/api/v1" + FillRoute(world, template) + (rule.Query is { } query ? "?" + Fill(world, query) : "");
            var before = write ? await world.App.FingerprintAsync() : null;
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method is "POST" or "PUT")
            {
                request.Content = new StringContent(Fill(world, rule.Body ?? "{}"), Encoding.UTF8, rule.MediaType);
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var isProblem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            var said = $"{operation}: got {status} {Shorten(text)}";

            if (status >= 500)
            {
                mismatches.Add($"{said} (a server error)");
            }
            else if (expected == Allowed)
            {
                if (write ? status is 401 or 403 : status != 200)
                {
                    mismatches.Add($"{said}, expected {(write ? "not refused" : "200")}");
                }
            }
            else if (expected == OwnOrganisation)
            {
                if (!(status == 200 || (status is 400 or 404 && isProblem)))
                {
                    mismatches.Add($"{said}, expected 200 or a 400/404 problem");
                }
            }
            else if (expected == NotChanged)
            {
                if (status < 400 || !isProblem)
                {
                    mismatches.Add($"{said}, expected a 4xx problem: the body names the first organisation's resources");
                }
            }
            else if (status != (int)expected || !isProblem || !HasStatus(text, status))
            {
                mismatches.Add($"{said}, expected a {(int)expected} problem detail");
            }

            if (status == 200 && neverShown is not null && neverShown.FirstOrDefault(id => text.Contains(id.ToString(), StringComparison.OrdinalIgnoreCase)) is { } leaked && leaked != Guid.Empty)
            {
                mismatches.Add($"{operation}: the answer shows {Name(world, leaked)} ({leaked}), which this caller must not see");
            }

            if (before is not null && !(expected == Allowed && status < 300))
            {
                var after = await world.App.FingerprintAsync();
                if (after != before)
                {
                    mismatches.Add($"{said}: the refused request changed the data ({Difference(before, after)})");
                }
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches:\n" + string.Join("\n", mismatches));
    }

    private static string Name(MatrixWorld world, Guid id) =>
        world.Private.Contains(id) ? "a private objective (or its key result)" :
        id == world.OrganisationId ? "the first organisation" :
        "the first organisation's " + world.Ids.First(p => p.Value == id).Key;

    /// <summary>Fills each {param} of a route with the resource named by the segment before it.</summary>
    private static string FillRoute(MatrixWorld world, string template)
    {
        var segments = template.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            if (segments[i].StartsWith('{') && !segments[i - 1].StartsWith('{'))
            {
                segments[i] = world.Ids[segments[i - 1]].ToString();
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>Fills {segment} in queries and bodies with the resource of that name.</summary>
    private static string Fill(MatrixWorld world, string text) => Regex.Replace(text, @"\{([a-z-]+)\}", m => world.Ids[m.Groups[1].Value].ToString());

    private static bool HasStatus(string text, int status)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.TryGetProperty("status", out var s) && s.GetInt32() == status;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length > 160 ? text[..160] + "…" : text;

    private static string Difference(string before, string after) =>
        string.Join(", ", before.Split(' ').Zip(after.Split(' ')).Where(p => p.First != p.Second).Select(p => $"{p.First} → {p.Second}"));

    private static async Task<List<string>> OperationsAsync(MatrixWorld world)
    {
        var json = await world.Anonymous.GetStringAsync("/openapi/v1.json");
        var paths = JsonDocument.Parse(json).RootElement.GetProperty("paths");
        return paths.EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject()
                .Where(m => m.Name is "get" or "post" or "put" or "delete" or "patch")
                .Select(m => $"{m.Name.ToUpperInvariant()} {p.Name["/api/v1".Length..]}"))
            .ToList();
    }
}
