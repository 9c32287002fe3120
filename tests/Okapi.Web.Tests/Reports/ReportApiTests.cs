using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using CsvHelper;
using Okapi.Core.Access;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Features.Reports;
using Okapi.Web.Tests.Exchange;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Reports;

public sealed class ReportApiTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private const int Precision = 9;

    /// <summary>
    /// A team with two objectives and known check-ins in the 2027 Q1 cycle (Europe/Berlin: weeks start on
    /// 31 Dec 23:00 UTC). Now is 15 Feb, in week 7. Growth: A (0→100, Ana) 20, 50, 70; B (0→10, weight 3, Ben) 5.
    /// Retention: C (0→10, Ana) 10 in week 3.
    /// </summary>
    private sealed record Arranged(CycleDto Cycle, TeamDto Team, PersonDto Ana, PersonDto Ben, ObjectiveDto Growth, ObjectiveDto Retention, KeyResultDto A, KeyResultDto B, KeyResultDto C);

    private async Task<Arranged> ArrangeAsync(OkapiApp app, string growthTitle = "Grow the business")
    {
        var ana = await app.Admin.CreatePersonAsync("Ana Owner", Role.Member);
        var ben = await app.Admin.CreatePersonAsync("Ben Owner", Role.Member);
        var cycle = await app.Admin.CreateCycleAsync($"Q1 {Guid.NewGuid():N}");
        var team = await app.Admin.CreateTeamAsync($"Growth {Guid.NewGuid():N}", new TeamMemberDto(ana.Id, true), new TeamMemberDto(ben.Id, false));
        var growth = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, growthTitle);
        var retention = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Keep our customers");
        var a = await KeyResultAsync(app, growth.Id, "Reach 100 customers", ana.Id, 0, 100);
        var b = await KeyResultAsync(app, growth.Id, "Ship 10 features", ben.Id, 0, 10, weight: 3);
        var c = await KeyResultAsync(app, retention.Id, "Run 10 interviews", ana.Id, 0, 10);
        await CheckInAsync(app, a.Id, 20, new DateTime(2027, 1, 3, 12, 0, 0), "Off to a start");
        await CheckInAsync(app, a.Id, 50, new DateTime(2027, 1, 10, 12, 0, 0));
        await CheckInAsync(app, b.Id, 5, new DateTime(2027, 1, 12, 12, 0, 0), "Half of the features are out");
        await CheckInAsync(app, c.Id, 10, new DateTime(2027, 1, 20, 12, 0, 0));
        await CheckInAsync(app, a.Id, 70, new DateTime(2027, 2, 13, 12, 0, 0), "Partners are signing");
        return new Arranged(cycle, team, ana, ben, growth, retention, a, b, c);
    }

    private Task<KeyResultDto> KeyResultAsync(OkapiApp app, Guid objectiveId, string title, Guid? owner, double start, double target, double weight = 1) =>
        app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results", new KeyResultRequest(objectiveId, title, owner, KeyResultType.IncreaseTo, null, start, target, null, null, weight, null, null));

    private Task<KeyResultDto> CheckInAsync(OkapiApp app, Guid keyResultId, double value, DateTime? at = null, string? note = null) =>
        app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{keyResultId}/check-ins",
            new CheckInRequest(value, null, note, at is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null));

    private Task<CycleReportDto> ReportAsync(OkapiApp app, Guid cycleId, Guid? team = null, HttpClient? client = null) =>
        (client ?? app.Admin).GetAsync<CycleReportDto>($"/api/v1/reports/cycles/{cycleId}{(team is { } t ? $"?team={t}" : "")}");

    [Theory]
    [OnEveryDatabase]
    public async Task TheTeamReportListsItsObjectivesWithKeyResultsOwnersProgressAndLiveGrades(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);

        var report = await ReportAsync(app, x.Cycle.Id, x.Team.Id);

        Assert.False(report.Closed);
        Assert.Equal(x.Team.Name, report.TeamName);
        var growth = Assert.Single(report.Objectives, o => o.Id == x.Growth.Id);
        Assert.Equal((x.Team.Name, 0.55, 0.6, false), (growth.OwnerName, Math.Round(growth.Progress, Precision), growth.Grade, growth.Frozen));
        Assert.Equal("Partners are signing", growth.LatestNote);
        Assert.Equal([x.A.Id, x.B.Id], growth.KeyResults.Select(k => k.Id));
        var a = growth.KeyResults[0];
        Assert.Equal(("Ana Owner", 70.0, 0.7, 0.7, 0.7), (a.OwnerName, a.Current, a.Progress, a.Attainment, a.Grade));
        Assert.NotNull(a.Status);
        Assert.NotNull(a.Forecast);
        Assert.Equal(("Ben Owner", 0.5, "Half of the features are out"), (growth.KeyResults[1].OwnerName, growth.KeyResults[1].Grade, growth.KeyResults[1].LatestNote));
        Assert.Equal([x.C.Id], Assert.Single(report.Objectives, o => o.Id == x.Retention.Id).KeyResults.Select(k => k.Id));
        Assert.Equal(2, report.Objectives.Count);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheDistributionCountsTheKeyResultsGradesAgainstTheSweetSpot(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);

        var distribution = (await ReportAsync(app, x.Cycle.Id, x.Team.Id)).Distribution;

        int[] expected = [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1];
        Assert.Equal(expected, distribution.Counts);
        Assert.Equal((3, 1.0 / 3), (distribution.Total, distribution.SweetSpotShare));
        Assert.Equal((0.6, 0.7), (distribution.SweetSpotLow, distribution.SweetSpotHigh));
        Assert.Equal(11, distribution.Buckets.Count);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ProgressOverTimeIsRebuiltWeekByWeekFromTheCheckIns(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);

        var weeks = (await ReportAsync(app, x.Cycle.Id, x.Team.Id)).ProgressOverTime;

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], weeks.Select(w => w.Week));
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero), weeks[0].Start);
        Assert.Equal(app.Clock.GetUtcNow(), weeks[^1].AsOf);
        // Growth: week 1 A 0.2 and B 0 (weights 1 and 3); week 2 0.5 and 0.5; week 7 0.7 and 0.5. Retention: 1 from week 3.
        double[] growth = [0.05, 0.5, 0.5, 0.5, 0.5, 0.5, 0.55];
        double[] overall = [0.025, 0.25, 0.75, 0.75, 0.75, 0.75, 0.775];
        Assert.Equal(growth, weeks.Select(w => Math.Round(w.Objectives.Single(o => o.ObjectiveId == x.Growth.Id).Progress, Precision)));
        Assert.Equal(overall, weeks.Select(w => Math.Round(w.Overall, Precision)));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ParticipationCountsCheckInsAndTheShareOfKeyResultsAndOwnersPerWeek(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);

        var weeks = (await ReportAsync(app, x.Cycle.Id, x.Team.Id)).Participation;

        Assert.Equal([1, 2, 1, 0, 0, 0, 1], weeks.Select(w => w.CheckIns));
        Assert.Equal([1, 2, 1, 0, 0, 0, 1], weeks.Select(w => w.KeyResultsCheckedIn));
        Assert.Equal([1, 2, 1, 0, 0, 0, 1], weeks.Select(w => w.OwnersCheckedIn));
        Assert.All(weeks, w => Assert.Equal((3, 2), (w.KeyResults, w.Owners)));
        Assert.Equal((2.0 / 3, 1.0), (weeks[1].KeyResultShare, weeks[1].OwnerShare));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheCompanyReportCoversEveryTeamAndLinterFindingsAreIncluded(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);
        var other = await app.Admin.CreateTeamAsync($"Ops {Guid.NewGuid():N}");
        var ops = await app.Admin.CreateObjectiveAsync(x.Cycle.Id, other.Id, "Run smoothly");

        var company = await ReportAsync(app, x.Cycle.Id);
        var team = await ReportAsync(app, x.Cycle.Id, x.Team.Id);

        Assert.Equal(("Company", (Guid?)null), (company.TeamName, company.TeamId));
        Assert.Equal(new[] { x.Growth.Id, x.Retention.Id, ops.Id }.Order(), company.Objectives.Select(o => o.Id).Order());
        Assert.DoesNotContain(team.Objectives, o => o.Id == ops.Id);
        // An objective without key results is a linter finding of the company report, not of the team's.
        Assert.Contains(company.Findings, f => f.Subject.Id == ops.Id);
        Assert.DoesNotContain(team.Findings, f => f.Subject.Id == ops.Id);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task PrivateObjectivesAreAbsentForAMemberWhoMayNotSeeThem(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);
        var secret = await app.Admin.CreateObjectiveAsync(x.Cycle.Id, x.Team.Id, "Acquire a competitor", Visibility.Private);
        await KeyResultAsync(app, secret.Id, "Sign the term sheet", x.Ana.Id, 0, 1);
        var outsider = await app.Admin.CreatePersonAsync("Olga Outsider", Role.Member);
        using var outsiderClient = await app.ClientForAsync(outsider.Id, TokenScope.Read);
        using var anaClient = await app.ClientForAsync(x.Ana.Id, TokenScope.Read);

        var forOutsider = await ReportAsync(app, x.Cycle.Id, client: outsiderClient);
        var teamForOutsider = await ReportAsync(app, x.Cycle.Id, x.Team.Id, outsiderClient);
        var forAna = await ReportAsync(app, x.Cycle.Id, x.Team.Id, anaClient);

        Assert.DoesNotContain(forOutsider.Objectives, o => o.Id == secret.Id);
        Assert.DoesNotContain(teamForOutsider.Objectives, o => o.Id == secret.Id);
        Assert.Equal(3, teamForOutsider.Distribution.Total);
        Assert.DoesNotContain("Acquire a competitor", JsonSerializer.Serialize(forOutsider, Api.Json));
        Assert.DoesNotContain("Sign the term sheet", await (await outsiderClient.GetAsync($"/api/v1/reports/cycles/{x.Cycle.Id}/export?format=csv")).Content.ReadAsStringAsync());
        Assert.Contains(forAna.Objectives, o => o.Id == secret.Id);
        Assert.Equal(4, forAna.Distribution.Total);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnUnknownCycleOrTeamAndAnotherOrganisationsCycleAreNotFound(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);
        var (_, otherAdmin) = await app.CreateOrganisationAsync($"Other {Guid.NewGuid():N}");

        await Api.AssertProblemAsync(await app.Admin.GetAsync($"/api/v1/reports/cycles/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await Api.AssertProblemAsync(await app.Admin.GetAsync($"/api/v1/reports/cycles/{x.Cycle.Id}?team={Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await Api.AssertProblemAsync(await otherAdmin.GetAsync($"/api/v1/reports/cycles/{x.Cycle.Id}"), HttpStatusCode.NotFound);
        await Api.AssertProblemAsync(await otherAdmin.GetAsync($"/api/v1/reports/cycles/{x.Cycle.Id}/export?format=xlsx"), HttpStatusCode.NotFound);
        await Api.AssertProblemAsync(await app.Admin.GetAsync($"/api/v1/reports/cycles/{x.Cycle.Id}/export?format=pdf"), HttpStatusCode.BadRequest);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheCsvExportHasTheSameRowsAsTheReport(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);
        var report = await ReportAsync(app, x.Cycle.Id, x.Team.Id);

        using var response = await app.Admin.GetAsync($"/api/v1/reports/cycles/{x.Cycle.Id}/export?team={x.Team.Id}&format=csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var rows = ReadCsv(await response.Content.ReadAsByteArrayAsync());
        AssertSameRows(report, rows);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheXlsxExportHasTheSameRowsAsTheReportWithNumbersAsNumbers(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);
        var report = await ReportAsync(app, x.Cycle.Id, x.Team.Id);

        using var response = await app.Admin.GetAsync($"/api/v1/reports/cycles/{x.Cycle.Id}/export?team={x.Team.Id}&format=xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ReportExport.XlsxType, response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var workbook = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var sheet = workbook.Worksheet(1);
        Assert.Equal(XLDataType.Number, sheet.Cell(2, Column("progress")).DataType);
        Assert.Equal(XLDataType.Number, sheet.Cell(2, Column("start")).DataType);
        AssertSameRows(report, ReadXlsx(sheet));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TitlesThatLookLikeFormulasAreExportedAsTextAndNegativeNumbersStayNumbers(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app, growthTitle: "=HYPERLINK(\"http://evil.test\",\"click\")");
        await KeyResultAsync(app, x.Growth.Id, "@SUM(1+1)", null, -5, 5);

        using var csvResponse = await app.Admin.GetAsync($"/api/v1/reports/cycles/{x.Cycle.Id}/export?team={x.Team.Id}&format=csv");
        using var xlsxResponse = await app.Admin.GetAsync($"/api/v1/reports/cycles/{x.Cycle.Id}/export?team={x.Team.Id}&format=xlsx");

        var csv = ReadCsv(await csvResponse.Content.ReadAsByteArrayAsync());
        var negative = Assert.Single(csv, r => r["key_result"] == "'@SUM(1+1)");
        Assert.Equal("'=HYPERLINK(\"http://evil.test\",\"click\")", negative["objective"]);
        Assert.Equal("-5", negative["start"]);
        using var workbook = new XLWorkbook(new MemoryStream(await xlsxResponse.Content.ReadAsByteArrayAsync()));
        var sheet = workbook.Worksheet(1);
        var row = sheet.RowsUsed().Single(r => r.Cell(Column("key_result")).GetString() == "'@SUM(1+1)");
        Assert.False(row.Cell(Column("objective")).HasFormula);
        Assert.Equal(XLDataType.Text, row.Cell(Column("objective")).DataType);
        Assert.Equal("'=HYPERLINK(\"http://evil.test\",\"click\")", row.Cell(Column("objective")).GetString());
        Assert.Equal((XLDataType.Number, -5.0), (row.Cell(Column("start")).DataType, row.Cell(Column("start")).GetDouble()));
        Assert.DoesNotContain(sheet.CellsUsed(), c => c.HasFormula);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AClosedTeamReportsTheGradesOfItsCloseAndALaterCheckInDoesNotChangeThem(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(1));
        var closedAt = app.Clock.GetUtcNow().UtcDateTime;
        await app.Admin.PostAsync<JsonElement>($"/api/v1/cycles/{x.Cycle.Id}/closings", new
        {
            teamId = x.Team.Id,
            grades = new[] { new { keyResultId = x.A.Id, grade = 0.9, reason = "The last deals closed a day after the cycle" } },
            retrospectives = new[] { new { objectiveId = x.Growth.Id, note = "We learned to ship smaller." } },
        });
        var before = await ReportAsync(app, x.Cycle.Id, x.Team.Id);

        app.Clock.Advance(TimeSpan.FromDays(1));
        // Late check-ins are refused: the closed team's key results are read-only.
        foreach (var (id, value) in new[] { (x.A.Id, 100.0), (x.B.Id, 10.0) })
        {
            using var late = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{id}/check-ins", new CheckInRequest(value, null, "All 100 signed", null));
            await Api.AssertProblemAsync(late, HttpStatusCode.Conflict);
        }

        var after = await ReportAsync(app, x.Cycle.Id, x.Team.Id);

        Assert.True(after.Closed);
        Assert.Equal(closedAt, after.ClosedAt);
        var a = after.Objectives[0].KeyResults[0];
        Assert.Equal((0.7, 0.9, "The last deals closed a day after the cycle", 70.0), (a.Progress, a.Grade, a.GradeReason, a.Current));
        Assert.Equal(("We learned to ship smaller.", true), (after.Objectives[0].Retrospective, after.Objectives[0].Frozen));
        Assert.Equal("Partners are signing", after.Objectives[0].LatestNote);
        int[] expected = [0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1];
        Assert.Equal(expected, after.Distribution.Counts);
        Assert.Equal(Json(before.Objectives), Json(after.Objectives));
        Assert.Equal(Json(before.Distribution), Json(after.Distribution));
        Assert.Equal(Json(before.ProgressOverTime), Json(after.ProgressOverTime));
        Assert.Equal(Json(before.Participation), Json(after.Participation));
        // The company report, still running, shows the closed team's objectives from the snapshot too.
        var company = await ReportAsync(app, x.Cycle.Id);
        Assert.False(company.Closed);
        Assert.Equal(0.9, company.Objectives.Single(o => o.Id == x.Growth.Id).KeyResults.Single(k => k.Id == x.A.Id).Grade);
    }

    /// <summary>Other teams' objectives in the cycle, imported at once: each with three key results of three check-ins.</summary>
    private static async Task<string> ImportOtherTeamsAsync(OkapiApp app, CycleDto cycle, int teams, int objectivesPerTeam)
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var document = OkrDocuments.Json(OkrDocuments.Organisation(prefix, KpiService.Slug(cycle.Name), teams, objectivesPerTeam, 3, 3));
        using var response = await app.Admin.PostAsync("/api/v1/import", new StringContent(document, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return prefix;
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ATeamReportCostsAsManyStatementsWhateverTheOtherTeamsOfTheCycleHold(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);
        var url = $"/api/v1/reports/cycles/{x.Cycle.Id}?team={x.Team.Id}";
        await ImportOtherTeamsAsync(app, x.Cycle, 1, 1);
        var few = await app.StatementsOfAsync(app.Admin, c => c.GetAsync(url));

        await ImportOtherTeamsAsync(app, x.Cycle, 12, 5);
        var many = await app.StatementsOfAsync(app.Admin, c => c.GetAsync(url));

        Assert.NotEmpty(few);
        Assert.Equal(few.Count, many.Count);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheCompanyReportOfHundredsOfObjectivesHoldsEachWithItsKeyResultsNotesAndOverallProgress(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);
        var prefix = await ImportOtherTeamsAsync(app, x.Cycle, 20, 15);

        var company = await ReportAsync(app, x.Cycle.Id);
        var objectives = await AllObjectivesAsync(app, x.Cycle.Id);

        Assert.Equal((302, 302), (company.ObjectiveCount, objectives.Count));
        Assert.Equal(3 + 900, company.Distribution.Total);
        var growth = Assert.Single(objectives, o => o.Id == x.Growth.Id);
        Assert.Equal((x.Team.Name, 0.55, 0.6, "Partners are signing"), (growth.OwnerName, Math.Round(growth.Progress, Precision), growth.Grade, growth.LatestNote));
        Assert.Equal([x.A.Id, x.B.Id], growth.KeyResults.Select(k => k.Id));
        Assert.Equal(("Ben Owner", 0.5, "Half of the features are out"), (growth.KeyResults[1].OwnerName, growth.KeyResults[1].Grade, growth.KeyResults[1].LatestNote));
        // An imported objective: its key results stand at 30/100, 31/200 and 32/300; the latest note is of the third week.
        var imported = Assert.Single(objectives, o => o.Title == $"Grow market 7.3 of {prefix}");
        Assert.Equal($"Team {prefix} 7", imported.OwnerName);
        Assert.Equal([Math.Round(32 / 300.0, Precision), 0.155, 0.3], imported.KeyResults.Select(k => Math.Round(k.Progress, Precision)).Order());
        Assert.Equal("Week 3 in market 7.3", imported.LatestNote);
        Assert.All(imported.KeyResults, k => Assert.Equal($"Lead {prefix} 7", k.OwnerName));
        // The company's progress over time is the overall line only; each week counts every key result.
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], company.ProgressOverTime.Select(w => w.Week));
        Assert.All(company.ProgressOverTime, w => Assert.Empty(w.Objectives));
        Assert.All(company.Participation, w => Assert.Equal(903, w.KeyResults));
        Assert.Equal(900 + 2, company.Participation[1].CheckIns);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ALargeExportIsStreamedWithEveryRow(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);
        await ImportOtherTeamsAsync(app, x.Cycle, 20, 15);
        var report = await ReportAsync(app, x.Cycle.Id) with { Objectives = await AllObjectivesAsync(app, x.Cycle.Id) };

        using var csv = await app.Admin.GetAsync($"/api/v1/reports/cycles/{x.Cycle.Id}/export?format=csv", HttpCompletionOption.ResponseHeadersRead);
        using var xlsx = await app.Admin.GetAsync($"/api/v1/reports/cycles/{x.Cycle.Id}/export?format=xlsx", HttpCompletionOption.ResponseHeadersRead);

        // Written as the rows are made: the length is not known up front.
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (csv.StatusCode, xlsx.StatusCode));
        Assert.Equal(((long?)null, (long?)null), (csv.Content.Headers.ContentLength, xlsx.Content.Headers.ContentLength));
        var rows = ReadCsv(await csv.Content.ReadAsByteArrayAsync());
        Assert.Equal(903, rows.Count);
        AssertSameRows(report, rows);
        using var workbook = new XLWorkbook(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()));
        AssertSameRows(report, ReadXlsx(workbook.Worksheet(1)));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheCompanyReportPagesItsObjectivesAndSummarisesThemAll(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);
        await ImportOtherTeamsAsync(app, x.Cycle, 20, 15);

        var first = await ReportAsync(app, x.Cycle.Id);
        var second = await app.Admin.GetAsync<CycleReportDto>($"/api/v1/reports/cycles/{x.Cycle.Id}?page=2&pageSize=50");
        var capped = await app.Admin.GetAsync<CycleReportDto>($"/api/v1/reports/cycles/{x.Cycle.Id}?pageSize=1000");
        var all = await AllObjectivesAsync(app, x.Cycle.Id);

        Assert.Equal((1, 50, 50, 302), (first.Page, first.PageSize, first.Objectives.Count, first.ObjectiveCount));
        Assert.Equal((2, 50, 302), (second.Page, second.Objectives.Count, second.ObjectiveCount));
        Assert.Empty(first.Objectives.Select(o => o.Id).Intersect(second.Objectives.Select(o => o.Id)));
        Assert.Equal(first.Objectives.Concat(second.Objectives).Select(o => o.Id), all.Take(100).Select(o => o.Id));
        Assert.Equal((200, 200), (capped.PageSize, capped.Objectives.Count));
        Assert.Equal(302, all.Select(o => o.Id).Distinct().Count());
        // The summary is the whole report's on every page, not the page's.
        Assert.Equal((903, 903), (first.Distribution.Total, second.Distribution.Total));
        Assert.Equal(Json(first.Teams), Json(second.Teams));
        Assert.Equal(302, first.Teams.Sum(t => t.Objectives));
        var team = Assert.Single(first.Teams, t => t.TeamId == x.Team.Id);
        var own = all.Where(o => o.OwnerTeamId == x.Team.Id).ToList();
        Assert.Equal((x.Team.Name, 2), (team.TeamName, team.Objectives));
        Assert.Equal(own.Average(o => o.Progress), team.MeanProgress, Precision);
        Assert.Equal(own.Average(o => o.Grade), team.MeanGrade, Precision);
        Assert.All(first.Participation, w => Assert.Equal(903, w.KeyResults));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheCompanyReportHoldsTheFirstHundredFindingsAndCountsThemAll(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var x = await ArrangeAsync(app);
        var other = await app.Admin.CreateTeamAsync($"Ops {Guid.NewGuid():N}");
        for (var i = 0; i < CycleReportDto.MaxFindings + 1; i++)
        {
            // An objective without key results is a finding.
            await app.Admin.CreateObjectiveAsync(x.Cycle.Id, other.Id, $"Run smoothly {i}");
        }

        var company = await ReportAsync(app, x.Cycle.Id);
        var team = await ReportAsync(app, x.Cycle.Id, x.Team.Id);

        Assert.Equal(CycleReportDto.MaxFindings, company.Findings.Count);
        Assert.True(company.FindingCount > CycleReportDto.MaxFindings);
        Assert.Equal(team.Findings.Count, team.FindingCount);
        // A team's report still holds all its objectives when no page is asked for.
        Assert.Equal((2, 2), (team.Objectives.Count, team.ObjectiveCount));
    }

    private static async Task<List<ReportObjectiveDto>> AllObjectivesAsync(OkapiApp app, Guid cycleId)
    {
        var objectives = new List<ReportObjectiveDto>();
        for (var page = 1; ; page++)
        {
            var report = await app.Admin.GetAsync<CycleReportDto>($"/api/v1/reports/cycles/{cycleId}?page={page}&pageSize={ReportPaging.MaxSize}");
            objectives.AddRange(report.Objectives);
            if (report.Objectives.Count == 0 || objectives.Count >= report.ObjectiveCount)
            {
                return objectives;
            }
        }
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Api.Json);

    private static int Column(string name) => Array.IndexOf(ReportExport.Columns, name) + 1;

    private static List<Dictionary<string, string>> ReadCsv(byte[] bytes)
    {
        using var csv = CsvReader.Create(bytes, null);
        csv.ReadHeader();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            rows.Add(ReportExport.Columns.ToDictionary(c => c, c => csv.GetString(c)));
        }

        return rows;
    }

    private static List<Dictionary<string, string>> ReadXlsx(IXLWorksheet sheet)
    {
        Assert.Equal(ReportExport.Columns, sheet.Row(1).Cells(1, ReportExport.Columns.Length).Select(c => c.GetString()));
        return sheet.RowsUsed().Skip(1).Select(r => ReportExport.Columns.Select((c, i) => (c, Cell: r.Cell(i + 1)))
            .ToDictionary(x => x.c, x => x.Cell.DataType == XLDataType.Number ? x.Cell.GetDouble().ToString("R", CultureInfo.InvariantCulture) : x.Cell.GetString())).ToList();
    }

    private static void AssertSameRows(CycleReportDto report, List<Dictionary<string, string>> rows)
    {
        var expected = report.Objectives.SelectMany(o => o.KeyResults.Select(k => (o, k))).ToList();
        Assert.Equal(expected.Count, rows.Count);
        foreach (var ((o, k), row) in expected.Zip(rows))
        {
            Assert.Equal((o.Id.ToString(), o.Title, o.OwnerName), (row["objective_id"], row["objective"], row["objective_owner"]));
            Assert.Equal((k.Id.ToString(), k.Title, k.OwnerName), (row["key_result_id"], row["key_result"], row["key_result_owner"]));
            Assert.Equal(o.Progress, Number(row["objective_progress"]), Precision);
            Assert.Equal((o.Grade, k.Grade), (Number(row["objective_grade"]), Number(row["grade"])));
            Assert.Equal((k.Start, k.Target, k.Current), (Number(row["start"]), Number(row["target"]), Number(row["current"])));
            Assert.Equal(k.Progress, Number(row["progress"]), Precision);
            Assert.Equal(k.Attainment, Number(row["attainment"]), Precision);
            Assert.Equal(k.Forecast!.Value, Number(row["forecast"]), Precision);
        }
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
