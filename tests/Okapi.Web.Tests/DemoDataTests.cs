using System.Text.Json;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
using Okapi.Data.Identity;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

public abstract class DemoDataTests(OkapiApp app)
{
    private HttpClient Admin => app.Admin;

    [Fact]
    public async Task TheDemoOrganisationHasTeamsPeopleAndTwoQuarters()
    {
        Assert.Equal("Acme Outfitters", (await Admin.GetAsync<OrganisationDto>("/api/v1/organisation")).Name);
        var teams = (await Admin.GetAsync<Page<TeamDto>>("/api/v1/teams")).Items;
        var company = teams.Single(t => t.ParentTeamId is null);
        Assert.Equal(["Customer Success", "Engineering", "Marketing", "Sales"], teams.Where(t => t.ParentTeamId == company.Id).Select(t => t.Name).Order());
        Assert.Contains(teams, t => t.Name == "Application Performance");
        Assert.True((await Admin.GetAsync<Page<PersonDto>>("/api/v1/people")).Total >= 12);

        var cycles = (await Admin.GetAsync<Page<CycleDto>>("/api/v1/cycles")).Items;
        Assert.Equal([("2027 Q1", CycleState.Active), ("2026 Q4", CycleState.Closed)], cycles.Select(c => (c.Name, c.State)));
    }

    [Fact]
    public async Task TheClosedQuarterIsGradedAsGoogleWouldGradeIt()
    {
        var closed = (await Admin.GetAsync<Page<CycleDto>>("/api/v1/cycles?state=closed")).Items.Single();
        var objectives = (await Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={closed.Id}")).Items;
        var launch = objectives.SelectMany(o => o.KeyResults).Single(k => k.Title == "Launch six new product lines online");
        Assert.Equal(0.5, launch.Grade);
        Assert.Equal(GradeColour.Yellow, launch.GradeColour);
        Assert.Equal(1.0, objectives.SelectMany(o => o.KeyResults).Single(k => k.Title == "Launch the loyalty programme").Grade);
        Assert.All(objectives, o => Assert.Equal(Core.Okrs.ObjectiveState.Closed, o.State));
    }

    [Fact]
    public async Task CurrentStatusesAndForecastsDiffer()
    {
        var active = (await Admin.GetAsync<Page<CycleDto>>("/api/v1/cycles?state=active")).Items.Single();
        var keyResults = (await Admin.GetAsync<Page<KeyResultDto>>($"/api/v1/key-results?cycle={active.Id}&pageSize=200")).Items;
        Assert.True(keyResults.Count >= 15);
        Assert.Contains(keyResults, k => k.Status == OkrStatus.OnTrack);
        Assert.Contains(keyResults, k => k.Status == OkrStatus.AtRisk);
        Assert.Contains(keyResults, k => k.Status == OkrStatus.OffTrack);
        Assert.Contains(keyResults, k => k.Stale);
        Assert.Contains(keyResults, k => k.ConfidenceDisagrees);
        Assert.Contains(keyResults, k => k.Forecast.Method == ForecastMethod.Trend);

        var growth = (await Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={active.Id}&pageSize=200")).Items
            .Single(o => o.Title == "Grow a profitable business our customers love");
        Assert.Empty(growth.KeyResults);
        Assert.True(growth.Progress > 0, "an objective without key results rolls up from its children");
    }

    [Fact]
    public async Task TheLinterHasSomethingToSayAboutTheWeakObjective()
    {
        var active = (await Admin.GetAsync<Page<CycleDto>>("/api/v1/cycles?state=active")).Items.Single();
        var weak = (await Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={active.Id}&pageSize=200")).Items
            .Single(o => o.Title == "Increase sales by 20 % this quarter");
        var rules = (await Admin.GetAsync<JsonElement>($"/api/v1/lint?objective={weak.Id}")).EnumerateArray()
            .Select(f => f.GetProperty("ruleId").GetString()).ToList();
        Assert.Contains("objective-title-number", rules);
        Assert.Contains("key-result-activity", rules);
        Assert.Contains("objective-unaligned", rules);
    }

    [Fact]
    public async Task TheViewerDoesNotSeeEngineeringsPrivateObjective()
    {
        var grace = (await Admin.GetAsync<Page<PersonDto>>("/api/v1/people?search=grace")).Items.Single();
        using var viewer = await app.ClientForAsync(grace.Id, TokenScope.Read);
        var titles = (await viewer.GetAsync<Page<ObjectiveDto>>("/api/v1/objectives?pageSize=200")).Items.Select(o => o.Title).ToList();
        Assert.Contains("Make our shop feel instant", titles);
        Assert.DoesNotContain("Pass the security audit without findings", titles);
        Assert.Contains("Pass the security audit without findings",
            (await Admin.GetAsync<Page<ObjectiveDto>>("/api/v1/objectives?pageSize=200")).Items.Select(o => o.Title));
    }
}

public sealed class DemoDataOnSqlite(SqliteDemoApp app) : DemoDataTests(app), IClassFixture<SqliteDemoApp>;

public sealed class DemoDataOnPostgres(PostgresDemoApp app) : DemoDataTests(app), IClassFixture<PostgresDemoApp>;
