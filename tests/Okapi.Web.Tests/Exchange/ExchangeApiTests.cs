using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Access;
using Okapi.Core.Auditing;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Exchange;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Exchange;

public sealed class ExchangeApiTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private const string Yaml = "application/yaml";
    private const string Json = "application/json";

    /// <summary>
    /// An organisation with something of every kind: people, two teams of the same name (derived keys must be
    /// numbered), nested cycles, a KPI with thresholds, objectives with every kind of key result, a private one,
    /// a title that reads as a number, a description of several lines, alignment to an objective and to a key
    /// result, and check-ins. No row has a stored key, so every key in the export is derived.
    /// </summary>
    private async Task<(string Name, Guid OrganisationId, HttpClient Admin)> PopulatedOrganisationAsync(OkapiApp app)
    {
        var name = $"Exchange {Guid.NewGuid():N}"[..20];
        var (organisationId, admin) = await app.CreateOrganisationAsync(name);
        var ann = await admin.CreatePersonAsync("Ann Example", Role.Member);
        var bob = await admin.CreatePersonAsync("Bob Example", Role.Viewer);
        var growth = await admin.CreateTeamAsync("Growth", new TeamMemberDto(ann.Id, true), new TeamMemberDto(bob.Id, false));
        var growthToo = await admin.PostAsync<TeamDto>("/api/v1/teams", new TeamRequest("Growth", growth.Id, "Growth, again", [new TeamMemberDto(bob.Id, true)]));
        var year = await admin.PostAsync<CycleDto>("/api/v1/cycles", new CycleRequest("2027", new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31), CycleKind.Year, CycleState.Active, null));
        var quarter = await admin.PostAsync<CycleDto>("/api/v1/cycles", new CycleRequest("2027 Q1", new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 31), CycleKind.Quarter, CycleState.Active, year.Id));
        var kpi = await admin.PostAsync<KpiDto>("/api/v1/kpis", new KpiRequest("Weekly signups", null, "People who sign up: true", growth.Id, null, "signups",
            KpiDirection.HigherIsBetter, Cadence.Weekly, PeriodAggregation.Sum, 100, null, 50, null, 500, ["growth", "funnel"], Visibility.Public));

        var delight = await admin.PostAsync<ObjectiveDto>("/api/v1/objectives", new ObjectiveRequest("Delight our customers",
            "Customers come back.\nThey tell their friends:\n  - often", quarter.Id, growth.Id, null, ObjectiveState.Active, Visibility.Public, ["retention", "2027"]));
        var nps = await admin.CreateKeyResultAsync(delight.Id, "Raise satisfaction from 30 % to 50 %", 30, 50);
        await admin.PostAsync<KeyResultDto>("/api/v1/key-results", new KeyResultRequest(delight.Id, "Cut churn", ann.Id, KeyResultType.CommitTargetStretch, "%", 10, 4, 8, 2, 2.5, 14, null));
        await admin.PostAsync<KeyResultDto>("/api/v1/key-results", new KeyResultRequest(delight.Id, "Ship the help centre", null, KeyResultType.Milestone, null, 0, 1, null, null, null, null,
            [new ChecklistItem("Write articles", true), new ChecklistItem("yes", false)]));
        await admin.PostAsync<KeyResultDto>("/api/v1/key-results", new KeyResultRequest(delight.Id, "Reach 500 weekly signups", null, KeyResultType.IncreaseTo, "signups", 100, 500, null, null, null, null, null, kpi.Id));
        var duplicate = await admin.CreateKeyResultAsync(delight.Id, "Raise satisfaction from 30 % to 50 %", 30, 50);
        await admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{nps.Id}/check-ins", new CheckInRequest(35.5, Confidence.AtRisk, "Slow start", new DateTimeOffset(2027, 1, 20, 9, 30, 0, TimeSpan.Zero)));
        await admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{nps.Id}/check-ins", new CheckInRequest(41, Confidence.OnTrack, null, null));
        await admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{duplicate.Id}/check-ins", new CheckInRequest(0.1, null, "null", null));

        var secret = await admin.PostAsync<ObjectiveDto>("/api/v1/objectives", new ObjectiveRequest("2027", null, quarter.Id, null, ann.Id, ObjectiveState.Draft, Visibility.Private, null));
        await admin.CreateKeyResultAsync(secret.Id, "Hire two engineers", 0, 2);
        var child = await admin.PostAsync<ObjectiveDto>("/api/v1/objectives", new ObjectiveRequest("Grow the funnel", null, quarter.Id, growthToo.Id, null, ObjectiveState.Active, Visibility.Public, null));
        await admin.PostAsync<AlignmentLinkDto>($"/api/v1/objectives/{child.Id}/parents", new AlignmentLinkRequest(delight.Id, null, 2, true));
        await admin.PostAsync<AlignmentLinkDto>($"/api/v1/objectives/{child.Id}/parents", new AlignmentLinkRequest(null, nps.Id, null, false));
        return (name, organisationId, admin);
    }

    private static async Task<string> ExportAsync(HttpClient admin, string format, string? cycle = null)
    {
        using var response = await admin.GetAsync($"/api/v1/export?format={format}{(cycle is null ? "" : $"&cycle={cycle}")}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal(format == "yaml" ? Yaml : Json, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        return text;
    }

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient admin, string document, string contentType, bool dryRun = false) =>
        await admin.PostAsync($"/api/v1/import?dryRun={(dryRun ? "true" : "false")}", new StringContent(document, Encoding.UTF8, contentType));

    private static async Task<ImportPlanDto> ImportOkAsync(HttpClient admin, string document, string contentType, bool dryRun = false) =>
        await Api.ReadAsync<ImportPlanDto>(await ImportAsync(admin, document, contentType, dryRun), HttpStatusCode.OK);

    private Task<(int People, int Teams, int Memberships, int Cycles, int Kpis, int Objectives, int KeyResults, int Links, int CheckIns)> CountsAsync(OkapiApp app, Guid organisationId) =>
        app.QueryAsync(async db => (await db.People.CountAsync(), await db.Teams.CountAsync(), await db.TeamMemberships.CountAsync(), await db.Cycles.CountAsync(),
            await db.Kpis.CountAsync(), await db.Objectives.CountAsync(), await db.KeyResults.CountAsync(), await db.ObjectiveLinks.CountAsync(), await db.CheckIns.CountAsync()), organisationId);

    [Theory]
    [OnEveryDatabase("yaml", Yaml)]
    [OnEveryDatabase("json", Json)]
    public async Task ExportImportedIntoAFreshOrganisationExportsTheSameDocumentByteForByte(DatabaseProvider provider, string format, string contentType)
    {
        var app = await apps.StartAsync(provider);
        var (name, source, admin) = await PopulatedOrganisationAsync(app);
        var document = await ExportAsync(admin, format);

        // The fresh organisation holds only what creating one makes: its company team (same name) and its admin.
        var (target, targetAdmin) = await app.CreateOrganisationAsync(name);
        var plan = await ImportOkAsync(targetAdmin, document, contentType);
        Assert.Equal(3, plan.Kinds.Single(k => k.Kind == "objectives").Created.Count);

        // The document carries the source's admin; acting as them, the target's own first admin is removed.
        var sourceAdminEmail = await app.QueryAsync(db => db.People.Where(p => p.Role == Role.Admin).Select(p => p.Email).SingleAsync(), source);
        var (importedAdmin, ownAdmin) = await app.QueryAsync(async db => (
            await db.People.Where(p => p.Email == sourceAdminEmail).Select(p => p.Id).SingleAsync(),
            await db.People.Where(p => p.Email != sourceAdminEmail && p.Role == Role.Admin).Select(p => p.Id).SingleAsync()), target);
        var actingAdmin = await app.ClientForAsync(importedAdmin, TokenScope.Admin);
        await actingAdmin.DeleteOkAsync($"/api/v1/people/{ownAdmin}");

        Assert.Equal(document, await ExportAsync(actingAdmin, format));
        Assert.Equal(await CountsAsync(app, source), await CountsAsync(app, target));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheExportNamesRowsByDerivedKeysAndWritesEveryKind(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (_, _, admin) = await PopulatedOrganisationAsync(app);

        var yaml = await ExportAsync(admin, "yaml");

        Assert.StartsWith("okapi: 1\n", yaml);
        Assert.Contains("- key: growth\n", yaml);
        Assert.Contains("- key: growth-2\n", yaml);
        Assert.Contains("parent: growth\n", yaml);
        Assert.Contains("title: \"2027\"", yaml);
        Assert.Contains("- key: raise-satisfaction-from-30-to-50-2\n", yaml);
        Assert.Contains("visibility: private", yaml);
        Assert.Contains("kpi: weekly-signups", yaml);
        Assert.Contains("keyResult: raise-satisfaction-from-30-to-50", yaml);
        Assert.DoesNotContain("password", yaml, StringComparison.OrdinalIgnoreCase);
        var json = JsonDocument.Parse(await ExportAsync(admin, "json")).RootElement;
        Assert.Equal(1, json.GetProperty("okapi").GetInt32());
        Assert.Equal(3, json.GetProperty("objectives").GetArrayLength());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ACycleExportHoldsThatCycleAndItsParentAndOnlyItsObjectives(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (_, _, admin) = await PopulatedOrganisationAsync(app);
        await admin.PostAsync<CycleDto>("/api/v1/cycles", new CycleRequest("2027 Q2", new DateOnly(2027, 4, 1), new DateOnly(2027, 6, 30), CycleKind.Quarter, CycleState.Planning, null));

        var document = JsonDocument.Parse(await ExportAsync(admin, "json", "2027-q1")).RootElement;

        Assert.Equal(["2027", "2027-q1"], document.GetProperty("cycles").EnumerateArray().Select(c => c.GetProperty("key").GetString()));
        Assert.All(document.GetProperty("objectives").EnumerateArray(), o => Assert.Equal("2027-q1", o.GetProperty("cycle").GetString()));
        using var unknown = await admin.GetAsync("/api/v1/export?cycle=nowhere");
        await Api.AssertProblemAsync(unknown, HttpStatusCode.BadRequest);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ImportingTheSameDocumentAgainFindsEverythingUnchangedAndAddsNoRows(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (name, _, admin) = await PopulatedOrganisationAsync(app);
        var document = await ExportAsync(admin, "yaml");
        var (target, targetAdmin) = await app.CreateOrganisationAsync(name);
        await ImportOkAsync(targetAdmin, document, Yaml);
        var counts = await CountsAsync(app, target);

        var again = await ImportOkAsync(targetAdmin, document, Yaml);

        Assert.False(again.HasChanges, JsonSerializer.Serialize(again));
        Assert.Contains(again.Kinds, k => k.Kind == "checkIns" && k.Unchanged.Count == 3);
        Assert.Equal(counts, await CountsAsync(app, target));

        // Into the organisation it came from, the first import only stores the derived keys.
        var home = await ImportOkAsync(admin, document, Yaml);
        Assert.All(home.Kinds.SelectMany(k => k.Updated), u => Assert.Equal(["key"], u.Fields));
        Assert.Empty(home.Kinds.SelectMany(k => k.Created));
        Assert.False((await ImportOkAsync(admin, document, Yaml)).HasChanges);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnUnchangedReimportWritesNothingAndCostsAsFewStatementsAtAnySize(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (target, admin) = await app.CreateOrganisationAsync($"Again {Guid.NewGuid():N}"[..20]);
        var cycle = await admin.CreateCycleAsync("2027 Q1");
        var small = OkrDocuments.Json(OkrDocuments.Organisation("small", KpiService.Slug(cycle.Name), 1, 2, 2, 2));
        var large = OkrDocuments.Json(OkrDocuments.Organisation("large", KpiService.Slug(cycle.Name), 6, 5, 3, 4));
        await ImportOkAsync(admin, small, Json);
        var first = await ImportOkAsync(admin, large, Json);
        Assert.Equal(6 * 5 * 3 * 4, first.Kinds.Single(k => k.Kind == "checkIns").Created.Count);
        var counts = await CountsAsync(app, target);
        var audit = await app.QueryAsync(db => db.AuditEvents.CountAsync(), target);

        var smallAgain = await app.StatementsOfAsync(admin, c => ImportAsync(c, small, Json));
        var largeAgain = await app.StatementsOfAsync(admin, c => ImportAsync(c, large, Json));
        var plan = await ImportOkAsync(admin, large, Json);

        Assert.False(plan.HasChanges, JsonSerializer.Serialize(plan));
        Assert.Equal(6 * 5 * 3 * 4, plan.Kinds.Single(k => k.Kind == "checkIns").Unchanged.Count);
        Assert.Equal(counts, await CountsAsync(app, target));
        Assert.Equal(audit, await app.QueryAsync(db => db.AuditEvents.CountAsync(), target));
        Assert.Equal(smallAgain.Count, largeAgain.Count);
        Assert.True(largeAgain.Count <= 16, string.Join("\n", largeAgain));
        Assert.DoesNotMatch(@"(?m)^\s*(INSERT|UPDATE|DELETE)\s", string.Join("\n", largeAgain));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnExportHoldingAKpiCheckInAFewHoursAheadReimports(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var name = $"Ahead {Guid.NewGuid():N}"[..20];
        var (source, admin) = await app.CreateOrganisationAsync(name);
        var team = await admin.CreateTeamAsync("Sales");
        var quarter = await admin.PostAsync<CycleDto>("/api/v1/cycles", new CycleRequest("2027 Q1", new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 31), CycleKind.Quarter, CycleState.Active, null));
        var kpi = await admin.PostAsync<KpiDto>("/api/v1/kpis", new KpiRequest("Daily orders", null, null, team.Id, null, "orders",
            KpiDirection.HigherIsBetter, Cadence.Daily, PeriodAggregation.Last, null, null, null, null, 100, null, Visibility.Public));
        var objective = await admin.CreateObjectiveAsync(quarter.Id, team.Id, "Sell more");
        var kr = await admin.PostAsync<KeyResultDto>("/api/v1/key-results", new KeyResultRequest(objective.Id, "Reach 100 daily orders", null, KeyResultType.IncreaseTo, "orders", 0, 100, null, null, null, null, null, kpi.Id));
        // A sender in a time zone ahead stamps its value a few hours into the server's future; a KPI takes that.
        var ahead = app.Clock.GetUtcNow().AddHours(3);
        using (var posted = await admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/values", new KpiValueInput(ahead, 40)))
        {
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        }

        var followed = Assert.Single((await admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins")).Items);
        Assert.Equal((CheckInSource.Kpi, ahead.UtcDateTime), (followed.Source, followed.At));
        var document = await ExportAsync(admin, "yaml");

        var (target, targetAdmin) = await app.CreateOrganisationAsync(name);
        var plan = await ImportOkAsync(targetAdmin, document, Yaml);
        Assert.Single(plan.Kinds.Single(k => k.Kind == "checkIns").Created);
        var imported = await app.QueryAsync(db => db.CheckIns.SingleAsync(), target);
        Assert.Equal((CheckInSource.Kpi, ahead.UtcDateTime, 40d), (imported.Source, imported.At, imported.Value));
        Assert.Single((await ImportOkAsync(admin, document, Yaml)).Kinds.Single(k => k.Kind == "checkIns").Unchanged);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ADryRunReportsThePlanAndChangesNothing(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (name, _, admin) = await PopulatedOrganisationAsync(app);
        var document = await ExportAsync(admin, "json");
        var (target, targetAdmin) = await app.CreateOrganisationAsync(name);
        var before = await CountsAsync(app, target);
        var audit = await app.QueryAsync(db => db.AuditEvents.CountAsync(), target);

        var plan = await ImportOkAsync(targetAdmin, document, Json, dryRun: true);

        Assert.True(plan.DryRun);
        Assert.Equal(3, plan.Kinds.Single(k => k.Kind == "objectives").Created.Count);
        Assert.Contains("delight-our-customers/cut-churn", plan.Kinds.Single(k => k.Kind == "keyResults").Created);
        Assert.Equal(["key", "members"], plan.Kinds.Single(k => k.Kind == "teams").Updated.Single().Fields);
        Assert.Equal(before, await CountsAsync(app, target));
        Assert.Equal(audit, await app.QueryAsync(db => db.AuditEvents.CountAsync(), target));

        var applied = await ImportOkAsync(targetAdmin, document, Json);
        Assert.False(applied.DryRun);
        Assert.Equal(plan.Kinds.Select(k => (k.Kind, k.Created.Count, k.Updated.Count)), applied.Kinds.Select(k => (k.Kind, k.Created.Count, k.Updated.Count)));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheImportingAdminIsTheActorInTheAuditLogAndImportedPeopleHaveNoAccount(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (name, _, admin) = await PopulatedOrganisationAsync(app);
        var (target, targetAdmin) = await app.CreateOrganisationAsync(name);
        var adminId = await app.QueryAsync(db => db.People.Select(p => p.Id).SingleAsync(), target);

        await ImportOkAsync(targetAdmin, await ExportAsync(admin, "yaml"), Yaml);

        var actors = await app.QueryAsync(db => db.AuditEvents.Where(e => e.Reason != null && e.Reason.Contains("Imported")).Select(e => e.ActorId).Distinct().ToListAsync(), target);
        Assert.Equal([adminId], actors);
        var people = await app.QueryAsync(db => db.People.Select(p => p.Id).ToListAsync(), target);
        var accounts = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(a => people.Contains(a.Id)).Select(a => a.Id).ToListAsync(), target);
        Assert.Equal([adminId], accounts);
    }

    public const string InvalidYaml = """
        okapi: 1
        people:
          - email: ann@invalid.test
            name: Ann
            colour: blue
        teams:
          - key: growth
            name: Growth
        cycles:
          - key: q1
            name: 2027 Q1
            start: 2027-01-01
            end: 2027-03-31
            kind: fortnight
        objectives:
          - key: a
            title: Grow
            cycle: q1
            ownerTeam: nowhere
            parents:
              - objective: b
            keyResults:
              - key: flat
                title: Stay flat
                start: 10
                target: 10
          - key: b
            title: Be loved
            cycle: q1
            ownerTeam: growth
            parents:
              - objective: a
        """;

    [Theory]
    [OnEveryDatabase]
    public async Task AnInvalidDocumentIsRefusedWithEveryErrorAndItsPlaceAndNothingChanges(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var before = await CountsAsync(app, app.OrganisationId);

        using var response = await ImportAsync(app.Admin, InvalidYaml, "text/yaml");

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var places = problem.GetProperty("places").EnumerateArray()
            .Select(p => (Path: p.GetProperty("path").GetString(), Line: p.GetProperty("line").GetInt32(), Message: p.GetProperty("message").GetString()!)).ToList();
        Assert.Contains(places, p => p is { Path: "people[0].colour", Line: 5 } && p.Message.Contains("not a known field"));
        Assert.Contains(places, p => p is { Path: "cycles[0].kind", Line: 14 } && p.Message.Contains("quarter, year, custom"));
        Assert.Contains(places, p => p is { Path: "objectives[0].ownerTeam", Line: 19 } && p.Message.Contains("'nowhere'"));
        Assert.Contains(places, p => p is { Path: "objectives[0].keyResults[0].target", Line: 26 } && p.Message.Contains("greater than start"));
        Assert.Contains(places, p => p is { Path: "objectives[0].parents[0].objective", Line: 21 } && p.Message.Contains("loop"));
        Assert.Contains(places, p => p is { Path: "objectives[1].parents[0].objective", Line: 32 } && p.Message.Contains("loop"));
        Assert.Contains("line 26, column 17", problem.GetProperty("errors").GetProperty("objectives[0].keyResults[0].target")[0].GetString());
        Assert.Equal(before, await CountsAsync(app, app.OrganisationId));

        using var dryRun = await ImportAsync(app.Admin, InvalidYaml, Yaml, dryRun: true);
        await Api.AssertProblemAsync(dryRun, HttpStatusCode.BadRequest);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task JsonErrorsCarryTheirPathAndLine(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        const string document = """
            {
              "okapi": 2,
              "cycles": [
                { "key": "q1", "name": "Q1", "start": "2027-01-01", "end": 5 }
              ],
              "objectives": [ { "key": "a", "title": 7, "cycle": "q1", "ownerPerson": "nobody@invalid.test" } ]
            }
            """;

        using var response = await ImportAsync(app.Admin, document, Json);

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var places = problem.GetProperty("places").EnumerateArray().Select(p => (p.GetProperty("path").GetString(), p.GetProperty("line").GetInt32())).ToList();
        Assert.Contains(("okapi", 2), places);
        Assert.Contains(("cycles[0].end", 4), places);
        Assert.Contains(("objectives[0].title", 6), places);
        Assert.Contains(("objectives[0].ownerPerson", 6), places);
    }

    [Theory]
    [OnEveryDatabase("okapi: 1\nteams: [\n", Yaml, 3)]
    [OnEveryDatabase("{\n  \"okapi\": 1,\n  \"teams\": [\n", Json, 4)]
    [OnEveryDatabase("{\"okapi\": 1, \"okapi\": 1}", Json, 1)]
    public async Task ADocumentThatIsNotYamlOrJsonIsRefusedWithTheLineOfTheMistake(DatabaseProvider provider, string document, string contentType, int line)
    {
        var app = await apps.StartAsync(provider);
        using var response = await ImportAsync(app.Admin, document, contentType);

        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(line, problem.GetProperty("places")[0].GetProperty("line").GetInt32());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AReimportedCheckInWithANewValueIsUpdatedAndAuditedWithItsOldValue(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (target, admin) = await app.CreateOrganisationAsync($"Change {Guid.NewGuid():N}"[..20]);
        var cycle = await admin.CreateCycleAsync("2027 Q1");
        var document = OkrDocuments.Organisation("change", KpiService.Slug(cycle.Name), 1, 1, 1, 2);
        await ImportOkAsync(admin, OkrDocuments.Json(document), Json);
        var checkIns = document.Objectives![0].KeyResults![0].CheckIns!;
        var first = checkIns[0];
        checkIns[0] = first with { Value = first.Value + 5, Note = "Corrected" };

        var plan = await ImportOkAsync(admin, OkrDocuments.Json(document), Json);

        var kind = plan.Kinds.Single(k => k.Kind == "checkIns");
        Assert.Equal(["value", "note"], Assert.Single(kind.Updated).Fields);
        Assert.Single(kind.Unchanged);
        var stored = await app.QueryAsync(db => db.CheckIns.Where(c => c.At == first.At).Join(db.KeyResults, c => c.KeyResultId, k => k.Id, (c, k) => new { c.Value, c.Note, k.ObjectiveId })
            .Join(db.Objectives.Where(o => o.Key == "change-objective-0-0"), c => c.ObjectiveId, o => o.Id, (c, _) => new { c.Value, c.Note }).SingleAsync(), target);
        Assert.Equal((first.Value + 5, "Corrected"), (stored.Value, stored.Note));
        var audit = await app.QueryAsync(db => db.AuditEvents.Where(e => e.EntityType == nameof(CheckIn) && e.Action == AuditAction.Update).Select(e => e.Changes).SingleAsync(), target);
        Assert.Contains($"\"before\":{first.Value}", audit);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheExampleInTheDocumentationImports(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "Okapi.slnx")))
        {
            folder = folder.Parent!;
        }

        var markdown = await File.ReadAllTextAsync(Path.Combine(folder.FullName, "docs", "okrs-as-code.md"));
        var example = markdown.Split("```yaml\n")[1].Split("```")[0];
        var (_, admin) = await app.CreateOrganisationAsync("Documentation example");

        var plan = await ImportOkAsync(admin, example, Yaml);

        Assert.Equal(["delight-our-customers", "grow-the-funnel"], plan.Kinds.Single(k => k.Kind == "objectives").Created);
        Assert.Single(plan.Kinds.Single(k => k.Kind == "checkIns").Created);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnotherContentTypeIsRefused(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        using var response = await ImportAsync(app.Admin, "okapi: 1", "text/plain");

        await Api.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task OnlyAdminsExportAndImport(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var member = await app.Admin.CreatePersonAsync("Exchange Member", Role.Member);
        var client = await app.ClientForAsync(member.Id, TokenScope.Read, TokenScope.Write);

        using var export = await client.GetAsync("/api/v1/export");
        await Api.AssertProblemAsync(export, HttpStatusCode.Forbidden);
        using var import = await ImportAsync(client, "okapi: 1\n", Yaml);
        await Api.AssertProblemAsync(import, HttpStatusCode.Forbidden);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheOpenApiDocumentListsExportAndImport(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");

        Assert.True(document.GetProperty("/api/v1/export").TryGetProperty("get", out _));
        var import = document.GetProperty("/api/v1/import").GetProperty("post");
        Assert.True(import.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/yaml", out _));
    }
}
