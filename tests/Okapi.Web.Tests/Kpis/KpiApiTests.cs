using System.Net;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Access;
using Okapi.Core.Kpis;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Kpis;

public sealed class KpiApiTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task KpisAreCreatedReadListedUpdatedAndDeleted(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Marketing");
        var created = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Weekly leads (EU)", team.Id));
        Assert.Equal("weekly-leads-eu", created.Key);
        Assert.Equal(KpiHealth.Unknown, created.Health);
        var twin = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Weekly leads (EU)", team.Id));
        Assert.Equal("weekly-leads-eu-2", twin.Key);

        using var response = await app.Admin.GetAsync($"/api/v1/kpis/{created.Id}");
        Assert.Equal($"\"{created.Version}\"", response.Headers.ETag?.Tag);
        var list = await app.Admin.GetAsync<Page<KpiDto>>($"/api/v1/kpis?team={team.Id}&tag=growth&search=LEADS&health=unknown");
        Assert.Equal([created.Id, twin.Id], list.Items.Select(k => k.Id).Order());
        Assert.Empty((await app.Admin.GetAsync<Page<KpiDto>>($"/api/v1/kpis?team={team.Id}&health=ok")).Items);

        var updated = await app.Admin.PutAsync<KpiDto>($"/api/v1/kpis/{created.Id}", KpiArrangements.Request("Leads per week", team.Id, unit: "people"), ifMatch: $"\"{created.Version}\"");
        Assert.Equal(("Leads per week", "weekly-leads-eu", "people"), (updated.Name, updated.Key, updated.Unit));
        using var stale = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/kpis/{created.Id}", KpiArrangements.Request("Lost update", team.Id), ifMatch: $"\"{created.Version}\"");
        await Api.AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        using var taken = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/kpis/{created.Id}", KpiArrangements.Request("Leads", team.Id, key: twin.Key), ifMatch: $"\"{updated.Version}\"");
        Assert.Contains("key", KpiArrangements.ErrorKeys(await Api.AssertProblemAsync(taken, HttpStatusCode.BadRequest)));

        await app.Admin.DeleteOkAsync($"/api/v1/kpis/{created.Id}");
        await Api.AssertProblemAsync(await app.Admin.GetAsync($"/api/v1/kpis/{created.Id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AKpiNeedsAnOwnerAndMembersCreateOnlyForTheirOwnTeams(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        using var ownerless = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpis", KpiArrangements.Request("Nobody's"), null);
        Assert.Contains("owner", KpiArrangements.ErrorKeys(await Api.AssertProblemAsync(ownerless, HttpStatusCode.BadRequest)));

        var member = await app.Admin.CreatePersonAsync("Mia Member", Role.Member);
        var mine = await app.Admin.CreateTeamAsync("Mia's team", new TeamMemberDto(member.Id, false));
        var other = await app.Admin.CreateTeamAsync("Not Mia's");
        using var client = await app.ClientForAsync(member.Id, TokenScope.Read, TokenScope.Write);
        var kpi = await client.CreateKpiAsync(KpiArrangements.Request("Mia's signups", mine.Id));
        Assert.True(kpi.CanEdit);
        using var foreign = await client.SendJsonAsync(HttpMethod.Post, "/api/v1/kpis", KpiArrangements.Request("Not mine", other.Id), null);
        await Api.AssertProblemAsync(foreign, HttpStatusCode.Forbidden);
        var theirs = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Their revenue", other.Id));
        using var edit = await client.SendJsonAsync(HttpMethod.Put, $"/api/v1/kpis/{theirs.Id}", KpiArrangements.Request("Hijacked", mine.Id), null);
        await Api.AssertProblemAsync(edit, HttpStatusCode.Forbidden);
        using var values = await client.SendJsonAsync(HttpMethod.Post, $"/api/v1/kpis/{theirs.Id}/values", new { value = 1 }, null);
        await Api.AssertProblemAsync(values, HttpStatusCode.Forbidden);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task IngestionIsIdempotentByInstantAndAnswersAfterStoring(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Sales ops");
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Deals", team.Id));
        var at = app.Clock.GetUtcNow().AddHours(-1);
        Assert.Equal(new IngestResultDto(1, 1), await app.Admin.AddValuesAsync(kpi.Id, new { at, value = 1.5 }));
        Assert.Equal(new IngestResultDto(1, 1), await app.Admin.AddValuesAsync(kpi.Id, new[] { new { at, value = 2.5 } }));
        Assert.Equal(new IngestResultDto(1, 1), await app.Admin.AddValuesAsync(kpi.Id, new { value = 7.0 }));

        var stored = await app.QueryAsync(db => db.ValuesOf(kpi.Id).OrderBy(v => v.At).ToListAsync());
        Assert.Equal([2.5, 7.0], stored.Select(v => v.Value));
        Assert.Equal(at.UtcDateTime, stored[0].At);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, stored[1].At);
        var read = await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{kpi.Id}");
        Assert.Equal((7.0, 7.0), (read.LatestValue, read.Current));
        Assert.Equal(app.Clock.GetUtcNow(), read.LatestAt);

        // An older value replaces nothing of the latest.
        await app.Admin.AddValuesAsync(kpi.Id, new { at = at.AddDays(-1), value = 100 });
        Assert.Equal(7.0, (await app.Admin.GetAsync<KpiDto>($"/api/v1/kpis/{kpi.Id}")).LatestValue);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ABadValueOfOneKpiIsRefusedWithItsRowAndStoresNothing(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Finance ops");
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Cash", team.Id));
        using var response = await app.Admin.SendRawAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/values",
            """[{"value": 1}, {"value": "NaN"}, {"at": "1999-12-31T00:00:00Z", "value": 2}]""");
        var problem = await Api.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("rows[2].value", KpiArrangements.ErrorKeys(problem));
        Assert.Contains("rows[3].at", KpiArrangements.ErrorKeys(problem));
        Assert.DoesNotContain("rows[1].value", KpiArrangements.ErrorKeys(problem));
        Assert.Equal(0, await app.QueryAsync(db => db.ValuesOf(kpi.Id).CountAsync()));
        using var malformed = await app.Admin.SendRawAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/values", "{\"value\": ");
        await Api.AssertProblemAsync(malformed, HttpStatusCode.BadRequest);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnotherOrganisationsKpisAreInvisible(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Hidden team");
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Secret sauce", team.Id));
        var (_, otherAdmin) = await app.CreateOrganisationAsync("Other org");
        await Api.AssertProblemAsync(await otherAdmin.GetAsync($"/api/v1/kpis/{kpi.Id}"), HttpStatusCode.NotFound);
        await Api.AssertProblemAsync(await otherAdmin.GetAsync($"/api/v1/kpis/{kpi.Id}/values"), HttpStatusCode.NotFound);
        using var write = await otherAdmin.SendJsonAsync(HttpMethod.Post, $"/api/v1/kpis/{kpi.Id}/values", new { value = 1 }, null);
        await Api.AssertProblemAsync(write, HttpStatusCode.NotFound);
        Assert.DoesNotContain(kpi.Id, (await otherAdmin.GetAsync<Page<KpiDto>>("/api/v1/kpis")).Items.Select(k => k.Id));
        using var bulk = await otherAdmin.SendJsonAsync(HttpMethod.Post, "/api/v1/kpi-values", new[] { new { kpiId = kpi.Id, value = 1 } }, null);
        Assert.Contains("rows[1].kpiId", KpiArrangements.ErrorKeys(await Api.AssertProblemAsync(bulk, HttpStatusCode.BadRequest)));
    }
}
