using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Reference;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Reference;

/// <summary>
/// The reference generator at 100 people (and a twentieth of its KPI history), written beside the app's own
/// organisation and read back through the API with the tokens the generator issued.
/// </summary>
public sealed class ReferenceOrganisationTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    private static readonly ReferenceSize Size = new(People: 100, ValueScale: 0.05);

    [Theory, OnEveryDatabase]
    public async Task GeneratedOrganisationHasTheReferenceShapeThroughTheApi(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var file = await GenerateAsync(app);
        var admin = app.WithToken(file.AdminToken);
        var member = app.WithToken(file.MemberToken);

        var organisation = await admin.GetFromJsonAsync<OrganisationDto>("/api/v1/organisation", Api.Json);
        Assert.Equal(file.OrganisationId, organisation!.Id);

        var teams = (await admin.GetAsync<Page<TeamDto>>("/api/v1/teams?pageSize=200")).Items;
        Assert.Equal(Size.Teams, teams.Count);
        Assert.True(Depth(teams) >= 4, $"the team tree is {Depth(teams)} deep");
        Assert.All(teams, t => Assert.Contains(t.Members, m => m.IsLead));
        Assert.Equal(Size.People, (await admin.GetAsync<Page<PersonDto>>("/api/v1/people?pageSize=1")).Total);

        var cycles = (await admin.GetAsync<Page<CycleDto>>("/api/v1/cycles?pageSize=200")).Items;
        Assert.Equal(4, cycles.Count);
        Assert.Equal(file.ActiveCycleId, Assert.Single(cycles, c => c.State == CycleState.Active).Id);
        Assert.Equal(3, cycles.Count(c => c.State == CycleState.Closed));

        var objectives = 0;
        var keyResults = 0;
        foreach (var cycle in cycles)
        {
            objectives += (await admin.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?cycle={cycle.Id}&pageSize=1")).Total;
            keyResults += (await admin.GetAsync<Page<KeyResultDto>>($"/api/v1/key-results?cycle={cycle.Id}&pageSize=1")).Total;
        }

        Assert.Equal(4 * Size.ObjectivesPerCycle, objectives);
        Assert.Equal(file.Counts.KeyResults, keyResults);
        Assert.InRange(keyResults, 3 * objectives, 4 * objectives);
        Assert.Equal(Size.Kpis, (await admin.GetAsync<Page<KpiDto>>("/api/v1/kpis?pageSize=1")).Total);

        var alignment = await admin.GetAsync<AlignmentDto>($"/api/v1/alignment?cycle={file.ActiveCycleId}");
        var parentOf = teams.ToDictionary(t => t.Id, t => t.ParentTeamId);
        var ownerOf = alignment.Objectives.ToDictionary(o => o.Id, o => o.OwnerTeamId);
        var teamObjectives = alignment.Objectives.Where(o => o.OwnerTeamId is { } team && parentOf[team] is not null).ToList();
        Assert.NotEmpty(teamObjectives);
        Assert.All(teamObjectives, o => Assert.Contains(alignment.Links,
            l => l.ChildObjectiveId == o.Id && ownerOf.GetValueOrDefault(l.ParentObjectiveId) == parentOf[o.OwnerTeamId!.Value]));
        Assert.Contains(alignment.Links.GroupBy(l => l.ChildObjectiveId), g => g.Count() >= 2);
        Assert.Contains(alignment.Links, l => l.ParentKeyResultId is not null);

        var mine = await member.GetAsync<Page<ObjectiveDto>>($"/api/v1/objectives?team={file.MemberTeamId}&cycle={file.ActiveCycleId}");
        Assert.Equal(3, mine.Total);
        var from = Uri.EscapeDataString(app.Clock.GetUtcNow().AddYears(-1).ToString("O"));
        var series = await member.GetAsync<KpiSeriesDto>($"/api/v1/kpis/{file.MinuteKpiId}/values?from={from}&maxPoints=1000");
        Assert.Equal(Size.MinuteValues, series.RawCount);
        Assert.InRange(series.Points.Count, 2, 1000);
        var tiles = await member.GetAsync<IReadOnlyList<KpiTileDto>>($"/api/v1/kpis/dashboard?team={file.MemberTeamId}");
        Assert.NotEmpty(tiles);
    }

    [Fact]
    public void SizeScalesWithPeopleAndKeepsTheReferenceAtTenThousand()
    {
        var reference = ReferenceSize.Reference;
        Assert.Equal((1_500, 7_500, 5_000, 20_000_000L, 525_600), (reference.Teams, reference.ObjectivesPerCycle, reference.Kpis, reference.KpiValues, reference.MinuteValues));
        Assert.Equal((15, 75, 50), (Size.Teams, Size.ObjectivesPerCycle, Size.Kpis));
        Assert.Equal(263, Size.MinuteValues);
    }

    private static async Task<ReferenceFile> GenerateAsync(OkapiApp app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        return await new ReferenceOrganisation(Size, app.Clock.GetUtcNow(), TextWriter.Null).WriteAsync(db);
    }

    private static int Depth(IReadOnlyList<TeamDto> teams)
    {
        var parentOf = teams.ToDictionary(t => t.Id, t => t.ParentTeamId);
        return teams.Max(t =>
        {
            var depth = 1;
            for (var parent = t.ParentTeamId; parent is { } p; parent = parentOf[p])
            {
                depth++;
            }

            return depth;
        });
    }
}
