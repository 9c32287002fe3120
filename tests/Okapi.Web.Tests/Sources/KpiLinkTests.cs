using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Closing;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Alerts;
using Okapi.Web.Tests.Inbox;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;

namespace Okapi.Web.Tests.Sources;

public sealed class KpiLinkTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    // The organisation is in Europe/Berlin: the 2027 Q1 cycle starts at 2026-12-31T23:00Z, and the week of the
    // test clock (Monday 2027-02-15) starts at 2027-02-14T23:00Z.
    private static readonly DateTimeOffset CycleStart = new(2026, 12, 31, 23, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WeekStart = new(2027, 2, 14, 23, 0, 0, TimeSpan.Zero);

    private async Task<(Guid ObjectiveId, Kpi Kpi)> ArrangeAsync(OkapiApp app, string name, PeriodAggregation aggregation = PeriodAggregation.Sum)
    {
        var cycle = await app.Admin.CreateCycleAsync();
        var team = await app.Admin.CreateTeamAsync($"{name} team");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, $"Grow {name} steadily");
        var kpi = await app.AddKpiAsync(team.Id, name, Cadence.Weekly, aggregation);
        return (objective.Id, kpi);
    }

    private static KeyResultRequest Linked(Guid objectiveId, Guid kpiId, double? start = null, double target = 100) =>
        new(objectiveId, "Reach 100 weekly leads", null, KeyResultType.IncreaseTo, "leads", start, target, null, null, null, null, null, kpiId);

    [Theory]
    [OnEveryDatabase]
    public async Task LinkedKeyResultStartsAtTheKpisValueAtCycleStartAndTakesItsLatestPeriodValue(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objectiveId, kpi) = await ArrangeAsync(app, "leads");
        await app.AddValuesAsync(kpi.Id,
            (CycleStart.AddHours(-2), 5),
            (CycleStart.AddMinutes(-30), 20), // the latest value at or before the cycle's start
            (CycleStart.AddMinutes(30), 99),
            (WeekStart.AddMinutes(-30), 7), // Sunday evening in Berlin: the week before
            (WeekStart.AddMinutes(30), 30), // Monday 00:30 in Berlin: this week, though still Sunday in UTC
            (WeekStart.AddHours(10), 25));

        var kr = await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results", Linked(objectiveId, kpi.Id));

        Assert.Equal(kpi.Id, kr.KpiId);
        Assert.Equal(20, kr.Start);
        Assert.Equal(55, kr.Current); // this week's sum in the organisation's time zone
        Assert.Equal((55 - 20) / 80.0, kr.Progress, 6);
        var checkIns = await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins");
        var checkIn = Assert.Single(checkIns.Items);
        Assert.Equal(CheckInSource.Kpi, checkIn.Source);
        Assert.Equal(55, checkIn.Value);
        Assert.Equal(WeekStart.AddHours(10).UtcDateTime, checkIn.At);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AGivenStartWinsAndAKpiWithoutValuesAddsNoCheckIn(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objectiveId, kpi) = await ArrangeAsync(app, "signups");

        var kr = await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results", Linked(objectiveId, kpi.Id, start: 10));

        Assert.Equal(10, kr.Start);
        Assert.Equal(10, kr.Current);
        Assert.Empty((await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins")).Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ACheckInMadeByTheLinkedKpiMarksTheKeyResultsCheckInDueItemDone(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objectiveId, kpi) = await ArrangeAsync(app, "trials", PeriodAggregation.Last);
        var owner = await app.Admin.CreatePersonAsync("Kai Linked", Role.Member);
        var followed = await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results", Linked(objectiveId, kpi.Id, start: 0) with { OwnerPersonId = owner.Id });
        var unlinked = await app.Admin.CreateKeyResultAsync(objectiveId, "Answer every trial request within a day", 0, 100);
        await app.WriteInboxItemAsync(owner.Id, InboxItemKind.CheckInDue, followed.Id, "Check in on weekly trials");
        await app.WriteInboxItemAsync(owner.Id, InboxItemKind.CheckInDue, unlinked.Id, "Check in on trial requests");

        await app.Admin.AddValuesAsync(kpi.Id, new KpiValueInput(app.Clock.GetUtcNow().AddMinutes(-5), 12));

        var items = await app.QueryAsync(db => db.InboxItems.Where(i => i.PersonId == owner.Id).ToDictionaryAsync(i => i.SubjectId, i => i.State));
        Assert.Equal((InboxItemState.Done, InboxItemState.Open), (items[followed.Id], items[unlinked.Id]));

        // Linking the other key result checks in the KPI's value: its item is done too.
        var linked = await app.Admin.PutAsync<KeyResultDto>($"/api/v1/key-results/{unlinked.Id}", Linked(objectiveId, kpi.Id, start: 0) with { Title = unlinked.Title }, ifMatch: $"\"{unlinked.Version}\"");
        Assert.Equal(12, linked.Current);
        Assert.Equal(InboxItemState.Done, await app.QueryAsync(db => db.InboxItems.Where(i => i.SubjectId == unlinked.Id).Select(i => i.State).SingleAsync()));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task LinkingAnExistingKeyResultChecksInTheKpisValue(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objectiveId, kpi) = await ArrangeAsync(app, "demos", PeriodAggregation.Last);
        await app.AddValuesAsync(kpi.Id, (WeekStart.AddHours(5), 42));
        var kr = await app.Admin.CreateKeyResultAsync(objectiveId, "Run 100 demos a week", 0, 100);

        var linked = await app.Admin.PutAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}", Linked(objectiveId, kpi.Id, start: 0), ifMatch: $"\"{kr.Version}\"");

        Assert.Equal(kpi.Id, linked.KpiId);
        Assert.Equal(42, linked.Current);
        Assert.Equal(0.42, linked.Progress, 6);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task LinksAreValidated(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objectiveId, kpi) = await ArrangeAsync(app, "trials");
        var (otherOrganisationId, otherAdmin) = await app.CreateOrganisationAsync($"Elsewhere {Guid.NewGuid():N}");
        var otherTeam = await otherAdmin.CreateTeamAsync("Their team");
        var foreign = await app.AddKpiAsync(otherTeam.Id, "Their KPI", organisationId: otherOrganisationId);

        using var noStart = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/key-results",
            new KeyResultRequest(objectiveId, "Reach 100 trials a week", null, KeyResultType.IncreaseTo, null, null, 100, null, null, null, null, null));
        var problem = await Api.AssertProblemAsync(noStart, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("start", out _));

        using var emptyKpi = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/key-results", Linked(objectiveId, kpi.Id));
        problem = await Api.AssertProblemAsync(emptyKpi, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("start", out _));

        using var otherOrganisation = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/key-results", Linked(objectiveId, foreign.Id, start: 0));
        problem = await Api.AssertProblemAsync(otherOrganisation, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("kpiId", out _));

        var list = await app.Admin.GetAsync<Page<KeyResultDto>>($"/api/v1/key-results?objective={objectiveId}");
        Assert.Empty(list.Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task KeyResultsOfClosedObjectivesNoLongerFollowTheirKpi(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objectiveId, kpi) = await ArrangeAsync(app, "visits", PeriodAggregation.Last);
        await app.AddValuesAsync(kpi.Id, (WeekStart.AddHours(1), 30));
        var kr = await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results", Linked(objectiveId, kpi.Id, start: 0));
        var objective = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objectiveId}");
        await app.Admin.PutAsync<ObjectiveDto>($"/api/v1/objectives/{objectiveId}",
            new ObjectiveRequest(objective.Title, null, objective.CycleId, objective.OwnerTeamId, null, ObjectiveState.Closed, objective.Visibility, [.. objective.Tags]),
            ifMatch: $"\"{objective.Version}\"");

        using var posted = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/values", new KpiValueInput(app.Clock.GetUtcNow(), 80));
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());

        Assert.Equal(30, (await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}")).Current);
        Assert.Single((await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins")).Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task KpiValuesArrivingAfterATeamsCloseLeaveItsKeyResultsAsClosed(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objectiveId, kpi) = await ArrangeAsync(app, "signups", PeriodAggregation.Last);
        await app.AddValuesAsync(kpi.Id, (WeekStart.AddHours(1), 30));
        var kr = await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results", Linked(objectiveId, kpi.Id, start: 0));
        var objective = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objectiveId}");
        await app.Admin.PostAsync<ClosingDto>($"/api/v1/cycles/{objective.CycleId}/closings", new CloseRequest(objective.OwnerTeamId, null, null, null, null));
        var closed = await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}");

        using var posted = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/values", new KpiValueInput(app.Clock.GetUtcNow(), 80));
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());

        var after = await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}");
        Assert.Equal((30.0, closed.Version), (after.Current, after.Version));
        Assert.Single((await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins")).Items);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ANewKpiValueChecksInOnLinkedKeyResultsOncePerInstant(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objectiveId, kpi) = await ArrangeAsync(app, "calls", PeriodAggregation.Sum);
        await app.AddValuesAsync(kpi.Id, (CycleStart.AddDays(-1), 10), (WeekStart.AddHours(1), 30));
        var kr = await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results", Linked(objectiveId, kpi.Id));
        Assert.Equal(10, kr.Start);
        Assert.Equal(30, kr.Current);

        var at = app.Clock.GetUtcNow().AddMinutes(-5);
        for (var i = 0; i < 2; i++) // re-posting the same value adds no second check-in
        {
            using var posted = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/values", new KpiValueInput(at, 25));
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        }

        var moved = await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}");
        Assert.Equal(55, moved.Current);
        Assert.Equal(45 / 90.0, moved.Progress, 6);
        var checkIns = (await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins")).Items;
        Assert.Equal([55, 30], checkIns.Select(c => c.Value));
        Assert.All(checkIns, c => Assert.Equal(CheckInSource.Kpi, c.Source));
        Assert.Equal(at.UtcDateTime, checkIns[0].At);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AfterAWriteAKeyResultFollowsItsKpiFromWhatTheWriteLeftWithoutReadingTheKpisDays(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (objectiveId, kpi) = await ArrangeAsync(app, "visits", PeriodAggregation.Sum);
        await app.AddValuesAsync(kpi.Id, (WeekStart.AddHours(1), 30));
        var kr = await app.Admin.PostAsync<KeyResultDto>("/api/v1/key-results", Linked(objectiveId, kpi.Id));
        var written = await app.WriteValuesAsync(kpi.Id, (app.Clock.GetUtcNow().AddMinutes(-5), 25));

        var statements = await app.StatementsOfAsync(services =>
            services.GetServices<IKpiValueObserver>().OfType<KeyResultKpiFollower>().Single().OnValuesStoredAsync(written, CancellationToken.None));

        Assert.DoesNotContain(statements, s => s.Contains("\"KpiDays\"", StringComparison.Ordinal) || s.Contains("\"KpiValues\"", StringComparison.Ordinal));
        var followed = await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{kr.Id}");
        Assert.Equal(55, followed.Current); // this week's sum, the write's value included
        Assert.Equal([55, 30], (await app.Admin.GetAsync<Page<CheckInDto>>($"/api/v1/key-results/{kr.Id}/check-ins")).Items.Select(c => c.Value));
    }
}
