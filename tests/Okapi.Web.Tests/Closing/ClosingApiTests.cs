using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Access;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Audit;
using Okapi.Web.Features.Closing;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Closing;

public sealed class ClosingApiTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    /// <summary>A team with a lead and a member, a cycle and an objective with two key results: one half way, one untouched.</summary>
    private async Task<(CycleDto Cycle, TeamDto Team, ObjectiveDto Objective, KeyResultDto Half, KeyResultDto Untouched, HttpClient Lead, HttpClient Member)> ArrangeAsync(OkapiApp app, string name)
    {
        var lead = await app.Admin.CreatePersonAsync($"{name} Lead", Role.Member);
        var member = await app.Admin.CreatePersonAsync($"{name} Member", Role.Member);
        var team = await app.Admin.CreateTeamAsync(name, new TeamMemberDto(lead.Id, true), new TeamMemberDto(member.Id, false));
        var cycle = await app.Admin.CreateCycleAsync($"{name} Q1");
        var objective = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, $"{name} delights customers");
        var half = await app.Admin.CreateKeyResultAsync(objective.Id, "Raise satisfaction from 30 to 50", 30, 50);
        var untouched = await app.Admin.CreateKeyResultAsync(objective.Id, "Grow referrals from 0 to 10", 0, 10);
        half = await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{half.Id}/check-ins", new CheckInRequest(40, Confidence.OnTrack, null, null));
        return (cycle, team, objective, half, untouched, await app.ClientForAsync(lead.Id, TokenScope.Write), await app.ClientForAsync(member.Id, TokenScope.Write));
    }

    private static CloseRequest TeamClose(Guid teamId, params GradeRequest[] grades) => new(teamId, [.. grades], null, null, null);

    [Theory]
    [OnEveryDatabase]
    public async Task ThePreviewProposesGradesFromProgressAndListsUnfinishedWork(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, objective, half, untouched, _, _) = await ArrangeAsync(app, "Preview");
        var preview = await app.Admin.GetAsync<ClosePreviewDto>($"/api/v1/cycles/{cycle.Id}/close-preview?team={team.Id}");
        var o = Assert.Single(preview.Objectives);
        Assert.Equal(objective.Id, o.Id);
        Assert.Equal([(half.Id, 0.5, true), (untouched.Id, 0.0, true)], o.KeyResults.Select(k => (k.Id, k.ProposedGrade, k.Unfinished)));
        Assert.Equal(0.3, o.ProposedGrade); // (0.5 + 0.0) / 2 = 0.25, rounded to 0.3
        Assert.True(o.Unfinished);
        Assert.True(preview.CanClose);
        Assert.Null(preview.ClosingId);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ClosingFreezesTheGradesWhateverHappensLater(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, objective, half, untouched, lead, _) = await ArrangeAsync(app, "Freeze");
        var closing = await lead.PostAsync<ClosingDto>($"/api/v1/cycles/{cycle.Id}/closings",
            new CloseRequest(team.Id, [new GradeRequest(untouched.Id, 0.3, "Referrals came in after the quarter's end")],
                [new RetrospectiveRequest(objective.Id, "We started referrals too late.")], null, null));

        var o = Assert.Single(closing.Objectives);
        Assert.Equal(0.4, o.Grade); // (0.5 + 0.3) / 2
        Assert.Equal("We started referrals too late.", o.Retrospective);
        Assert.Equal([(0.5, 0.5, (string?)null), (0.0, 0.3, "Referrals came in after the quarter's end")],
            o.KeyResults.Select(k => (k.Progress, k.Grade, k.OverrideReason)));
        Assert.Equal(2, closing.Distribution.Total);
        Assert.Equal(1, closing.Distribution.Counts[5]);
        Assert.Equal(1, closing.Distribution.Counts[3]);

        var closed = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}");
        Assert.Equal(ObjectiveState.Closed, closed.State);
        Assert.Equal("We started referrals too late.", closed.Retrospective);

        // Later: a check-in to the target, the untouched key result's target edited, the first one deleted; each refused.
        app.Clock.Advance(TimeSpan.FromDays(3));
        using var lateCheckIn = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/key-results/{half.Id}/check-ins", new CheckInRequest(50, Confidence.OnTrack, null, null));
        await Api.AssertProblemAsync(lateCheckIn, HttpStatusCode.Conflict);
        var current = await app.Admin.GetAsync<KeyResultDto>($"/api/v1/key-results/{untouched.Id}");
        using var lateEdit = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/key-results/{untouched.Id}",
            new KeyResultRequest(objective.Id, "Grow referrals from 0 to 1", null, KeyResultType.IncreaseTo, "%", 0, 1, null, null, null, null, null), $"\"{current.Version}\"");
        await Api.AssertProblemAsync(lateEdit, HttpStatusCode.Conflict);

        var again = await app.Admin.GetAsync<ClosingDto>($"/api/v1/closings/{closing.Id}");
        Assert.Equal(JsonSerializer.Serialize(closing with { CarriedOver = null, Cloned = null }, Api.Json), JsonSerializer.Serialize(again, Api.Json));
        var shown = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}");
        Assert.Equal((0.4, 0.25), (shown.Grade, shown.Progress));
        Assert.Equal([(0.5, 0.5, 40.0), (0.3, 0.0, 0.0)], shown.KeyResults.Select(k => (k.Grade, k.Progress, k.Current)));

        await Api.AssertProblemAsync(await app.Admin.SendJsonAsync(HttpMethod.Delete, $"/api/v1/key-results/{half.Id}", null), HttpStatusCode.Conflict);
        Assert.Equal((0.4, 0.25), ((await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}")) is var d ? (d.Grade, d.Progress) : default));
        Assert.Equal(2, Assert.Single((await app.Admin.GetAsync<List<ClosingDto>>($"/api/v1/cycles/{cycle.Id}/closings")).Single().Objectives).KeyResults.Count);

        // The live rows drift anyway (as by a write from before the rule): the closing is a snapshot, not a view of them.
        await app.QueryAsync(db => db.KeyResults.Where(k => k.Id == untouched.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.Current, 1.0).SetProperty(k => k.Target, 2.0)));
        var afterDrift = await app.Admin.GetAsync<ClosingDto>($"/api/v1/closings/{closing.Id}");
        Assert.Equal(JsonSerializer.Serialize(again, Api.Json), JsonSerializer.Serialize(afterDrift, Api.Json));
        Assert.Equal(0.4, (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}")).Grade);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task OverrideReasonsAreInTheAuditLog(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, _, half, untouched, _, _) = await ArrangeAsync(app, "Audited");
        await app.Admin.PostAsync<ClosingDto>($"/api/v1/cycles/{cycle.Id}/closings",
            TeamClose(team.Id, new GradeRequest(half.Id, 0.7, "The survey under-counts happy customers"), new GradeRequest(untouched.Id, 0.2, "Two referrals are signed")));

        foreach (var (id, reason, grade) in new[] { (half.Id, "The survey under-counts happy customers", 0.7), (untouched.Id, "Two referrals are signed", 0.2) })
        {
            var events = await app.Admin.GetAsync<Page<AuditEventDto>>($"/api/v1/audit?entity=KeyResult&entityId={id}&action=update");
            var graded = Assert.Single(events.Items, e => e.Changes.TryGetProperty("finalGrade", out _));
            Assert.Equal(reason, graded.Reason);
            Assert.Equal(grade, graded.Changes.GetProperty("finalGrade").GetProperty("after").GetDouble());
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task InvalidInputIsRefusedWithEveryErrorAndNothingChanges(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, objective, half, untouched, lead, _) = await ArrangeAsync(app, "Invalid");
        var other = await app.Admin.CreateObjectiveAsync(cycle.Id, (await app.Admin.CreateTeamAsync("Invalid others")).Id, "Not this team's");
        var request = new CloseRequest(team.Id,
            [new GradeRequest(half.Id, 0.8, null), new GradeRequest(untouched.Id, 0.65, "between"), new GradeRequest(Guid.NewGuid(), 0.5, null), new GradeRequest(half.Id, 1.5, "x")],
            [new RetrospectiveRequest(other.Id, "Someone else's")],
            new CarryOverPlan(cycle.Id, [objective.Id], [Guid.NewGuid()]),
            new ClonePlan(Guid.NewGuid(), [other.Id]));
        using var response = await lead.SendJsonAsync(HttpMethod.Post, $"/api/v1/cycles/{cycle.Id}/closings", request);
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(new HashSet<string>
        {
            "grades[0].reason", "grades[1].grade", "grades[2].keyResultId", "grades[3].keyResultId", "retrospectives[0].objectiveId",
            "carryOver.targetCycleId", "carryOver.keyResultIds", "clone.targetCycleId", "clone.objectiveIds",
        }, fields);

        Assert.Equal(0, await app.QueryAsync(db => db.CycleClosings.CountAsync(c => c.CycleId == cycle.Id)));
        var unchanged = await app.QueryAsync(db => db.Objectives.SingleAsync(o => o.Id == objective.Id));
        Assert.Equal((ObjectiveState.Active, (double?)null), (unchanged.State, unchanged.FinalGrade));
        Assert.All(await app.QueryAsync(db => db.KeyResults.Where(k => k.ObjectiveId == objective.Id).ToListAsync()), k => Assert.Null(k.FinalGrade));
        Assert.Equal(1, await app.QueryAsync(db => db.Objectives.CountAsync(o => o.Title == objective.Title)));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AGradeReasonLongerThanItsColumnIsRefusedAndNothingChanges(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, objective, _, untouched, lead, _) = await ArrangeAsync(app, "Long reason");

        using var response = await lead.SendJsonAsync(HttpMethod.Post, $"/api/v1/cycles/{cycle.Id}/closings",
            TeamClose(team.Id, new GradeRequest(untouched.Id, 0.3, new string('r', KeyResult.MaxGradeReasonLength + 1))));
        await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await app.QueryAsync(db => db.CycleClosings.CountAsync(c => c.CycleId == cycle.Id)));
        Assert.Equal(ObjectiveState.Active, (await app.QueryAsync(db => db.Objectives.SingleAsync(o => o.Id == objective.Id))).State);
        Assert.All(await app.QueryAsync(db => db.KeyResults.Where(k => k.ObjectiveId == objective.Id).ToListAsync()),
            k => Assert.Equal(((double?)null, (string?)null), (k.FinalGrade, k.GradeReason)));

        var longest = new string('r', KeyResult.MaxGradeReasonLength);
        var closing = await lead.PostAsync<ClosingDto>($"/api/v1/cycles/{cycle.Id}/closings", TeamClose(team.Id, new GradeRequest(untouched.Id, 0.3, longest)));
        Assert.Equal(longest, Assert.Single(closing.Objectives).KeyResults.Single(k => k.KeyResultId == untouched.Id).OverrideReason);
        Assert.Equal(longest, (await app.QueryAsync(db => db.KeyResults.SingleAsync(k => k.Id == untouched.Id))).GradeReason);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TeamLeadsAndAdminsCloseForATeamMembersDoNotAndOnlyAdminsCloseTheCompany(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, _, _, _, lead, member) = await ArrangeAsync(app, "Rights");
        var viewer = await app.ClientForAsync((await app.Admin.CreatePersonAsync("Rights Viewer", Role.Viewer)).Id, TokenScope.Read);
        foreach (var client in new[] { member, viewer })
        {
            using var refused = await client.SendJsonAsync(HttpMethod.Post, $"/api/v1/cycles/{cycle.Id}/closings", TeamClose(team.Id));
            await Api.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        }

        Assert.False((await member.GetAsync<ClosePreviewDto>($"/api/v1/cycles/{cycle.Id}/close-preview?team={team.Id}")).CanClose);
        using (var company = await lead.SendJsonAsync(HttpMethod.Post, $"/api/v1/cycles/{cycle.Id}/closings", TeamClose(Guid.Empty) with { TeamId = null }))
        {
            await Api.AssertProblemAsync(company, HttpStatusCode.Forbidden);
        }

        Assert.Equal(0, await app.QueryAsync(db => db.CycleClosings.CountAsync(c => c.CycleId == cycle.Id)));
        await lead.PostAsync<ClosingDto>($"/api/v1/cycles/{cycle.Id}/closings", TeamClose(team.Id));
        using var twice = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/cycles/{cycle.Id}/closings", TeamClose(team.Id));
        await Api.AssertProblemAsync(twice, HttpStatusCode.Conflict);

        var other = await app.Admin.CreateTeamAsync("Rights admin-closed");
        await app.Admin.CreateObjectiveAsync(cycle.Id, other.Id, "Closed by an admin");
        Assert.Single((await app.Admin.PostAsync<ClosingDto>($"/api/v1/cycles/{cycle.Id}/closings", TeamClose(other.Id))).Objectives);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheCompanyCloseGradesWhatTeamClosesLeftAndClosesTheCycle(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, objective, _, _, lead, _) = await ArrangeAsync(app, "Company");
        var rest = await app.Admin.CreateObjectiveAsync(cycle.Id, (await app.Admin.CreateTeamAsync("Company rest")).Id, "Left for the company close");
        await lead.PostAsync<ClosingDto>($"/api/v1/cycles/{cycle.Id}/closings", TeamClose(team.Id));

        var preview = await app.Admin.GetAsync<ClosePreviewDto>($"/api/v1/cycles/{cycle.Id}/close-preview");
        Assert.Equal([rest.Id], preview.Objectives.Select(o => o.Id));
        var company = await app.Admin.PostAsync<ClosingDto>($"/api/v1/cycles/{cycle.Id}/closings", new CloseRequest(null, null, null, null, null));
        Assert.Equal([rest.Id], company.Objectives.Select(o => o.ObjectiveId));
        Assert.Null(company.TeamId);
        Assert.Equal(CycleState.Closed, (await app.Admin.GetAsync<CycleDto>($"/api/v1/cycles/{cycle.Id}")).State);
        Assert.Equal(ObjectiveState.Closed, (await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{rest.Id}")).State);
        Assert.Equal(2, (await app.Admin.GetAsync<List<ClosingDto>>($"/api/v1/cycles/{cycle.Id}/closings")).Count);

        using var again = await app.Admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/cycles/{cycle.Id}/closings", new CloseRequest(null, null, null, null, null));
        await Api.AssertProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Equal(objective.Id, Assert.Single((await app.Admin.GetAsync<List<ClosingDto>>($"/api/v1/cycles/{cycle.Id}/closings"))[0].Objectives).ObjectiveId);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ACycleIsNotClosedByEditingItsStateOnlyByItsClose(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var cycle = await app.Admin.CreateCycleAsync("Edited closed");
        using var response = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/cycles/{cycle.Id}",
            new CycleRequest(cycle.Name, cycle.Start, cycle.End, cycle.Kind, CycleState.Closed, null), $"\"{cycle.Version}\"");
        Assert.True((await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("state", out _));
        Assert.Equal(CycleState.Active, (await app.Admin.GetAsync<CycleDto>($"/api/v1/cycles/{cycle.Id}")).State);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task CarryOverKeepsTheLinkToTheObjectiveAndItsUnfinishedKeyResultsAndCloneDoesNot(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, objective, half, _, lead, _) = await ArrangeAsync(app, "Carry");
        var done = await app.Admin.CreateKeyResultAsync(objective.Id, "Ship the survey from 0 to 1", 0, 1);
        await app.Admin.PostAsync<KeyResultDto>($"/api/v1/key-results/{done.Id}/check-ins", new CheckInRequest(1, null, null, null));
        var next = await app.Admin.CreateCycleAsync("Carry Q2");

        var closing = await lead.PostAsync<ClosingDto>($"/api/v1/cycles/{cycle.Id}/closings",
            new CloseRequest(team.Id, null, null, new CarryOverPlan(next.Id, [objective.Id], null), new ClonePlan(next.Id, [objective.Id])));
        var carried = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{Assert.Single(closing.CarriedOver!)}");
        Assert.Equal((next.Id, objective.Id, ObjectiveState.Draft), (carried.CycleId, carried.ContinuedFromId, carried.State));
        // The finished key result stays behind; the half-way one starts where it stood.
        Assert.Equal(2, carried.KeyResults.Count);
        var continued = Assert.Single(carried.KeyResults, k => k.Title == half.Title);
        Assert.Equal((40.0, 50.0), (continued.Start, continued.Target));
        Assert.Equal(half.Id, await app.QueryAsync(db => db.KeyResults.Where(k => k.Id == continued.Id).Select(k => k.ContinuedFromId).SingleAsync()));

        var cloned = await app.Admin.GetAsync<ObjectiveDto>($"/api/v1/objectives/{Assert.Single(closing.Cloned!)}");
        Assert.Null(cloned.ContinuedFromId);
        Assert.Equal(3, cloned.KeyResults.Count);
        Assert.Equal(30, Assert.Single(cloned.KeyResults, k => k.Title == half.Title).Start);
        Assert.All(await app.QueryAsync(db => db.KeyResults.Where(k => k.ObjectiveId == cloned.Id).ToListAsync()), k => Assert.Null(k.ContinuedFromId));

        // Standalone: carry over only the chosen key result, or clone, into a third cycle.
        var third = await app.Admin.CreateCycleAsync("Carry Q3");
        var again = await lead.PostAsync<ObjectiveDto>($"/api/v1/objectives/{objective.Id}/carry-over", new CarryOverRequest(third.Id, [half.Id]));
        Assert.Equal((objective.Id, 1), (again.ContinuedFromId, again.KeyResults.Count));
        var copy = await lead.PostAsync<ObjectiveDto>($"/api/v1/objectives/{carried.Id}/clone", new CloneRequest(third.Id));
        Assert.Null(copy.ContinuedFromId);
        Assert.Equal(40, Assert.Single(copy.KeyResults, k => k.Title == half.Title).Start);

        using var closedTarget = await lead.SendJsonAsync(HttpMethod.Post, $"/api/v1/objectives/{objective.Id}/carry-over", new CarryOverRequest(cycle.Id, null));
        Assert.True((await Api.AssertProblemAsync(closedTarget, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("cycleId", out _));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task CarryOverKeepsAlignmentToAParentCarriedOverWithIt(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, child, _, _, _, _) = await ArrangeAsync(app, "Aligned");
        var parent = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Aligned company goal");
        await app.Admin.CreateKeyResultAsync(parent.Id, "Grow revenue from 0 to 100", 0, 100);
        await app.Admin.PostAsync<AlignmentLinkDto>($"/api/v1/objectives/{child.Id}/parents", new AlignmentLinkRequest(parent.Id, null, 2, true));
        var next = await app.Admin.CreateCycleAsync("Aligned Q2");

        var closing = await app.Admin.PostAsync<ClosingDto>($"/api/v1/cycles/{cycle.Id}/closings",
            new CloseRequest(team.Id, null, null, new CarryOverPlan(next.Id, [child.Id, parent.Id], null), null));
        var copies = await app.Admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={next.Id}");
        Assert.Equal(closing.CarriedOver!.ToHashSet(), copies.Items.Select(o => o.Id).ToHashSet());
        var newChild = Assert.Single(copies.Items, o => o.ContinuedFromId == child.Id);
        var newParent = Assert.Single(copies.Items, o => o.ContinuedFromId == parent.Id);
        var link = Assert.Single(newChild.Parents);
        Assert.Equal((newParent.Id, 2.0), (link.ParentObjectiveId, link.Weight));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task OtherOrganisationsSeeNoClosesAndPrivateObjectivesStayHidden(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var (cycle, team, _, _, _, lead, _) = await ArrangeAsync(app, "Private");
        var secret = await app.Admin.CreateObjectiveAsync(cycle.Id, team.Id, "Private acquisition", Visibility.Private);
        var closing = await lead.PostAsync<ClosingDto>($"/api/v1/cycles/{cycle.Id}/closings", TeamClose(team.Id));
        Assert.Contains(secret.Id, closing.Objectives.Select(o => o.ObjectiveId));

        var outsider = await app.ClientForAsync((await app.Admin.CreatePersonAsync("Private Outsider", Role.Member)).Id, TokenScope.Read);
        Assert.DoesNotContain(secret.Id, (await outsider.GetAsync<ClosingDto>($"/api/v1/closings/{closing.Id}")).Objectives.Select(o => o.ObjectiveId));
        Assert.Single((await outsider.GetAsync<ClosingDto>($"/api/v1/closings/{closing.Id}")).Objectives);

        var (_, otherAdmin) = await app.CreateOrganisationAsync("Private elsewhere");
        foreach (var url in new[] { $"/api/v1/closings/{closing.Id}", $"/api/v1/cycles/{cycle.Id}/closings", $"/api/v1/cycles/{cycle.Id}/close-preview" })
        {
            using var response = await otherAdmin.GetAsync(url);
            await Api.AssertProblemAsync(response, HttpStatusCode.NotFound);
        }
    }
}
