using System.Net;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Audit;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

public sealed class OrganisationApiTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task OrganisationSettingsAreReadAndChangedWithAValidTimeZone(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var current = await app.Admin.GetAsync<OrganisationDto>("/api/v1/organisation");
        Assert.Equal("Europe/Berlin", current.TimeZone);

        var changed = await app.Admin.PutAsync<OrganisationDto>("/api/v1/organisation",
            new OrganisationRequest(current.Name, "Europe/Berlin", 4, DayOfWeek.Tuesday, 10, DayOfWeek.Monday, "Get everyone outdoors."), ifMatch: $"\"{current.Version}\"");
        Assert.Equal(4, changed.FiscalYearStartMonth);
        Assert.Equal(DayOfWeek.Tuesday, changed.CheckInWeekday);

        using var bad = await app.Admin.SendJsonAsync(HttpMethod.Put, "/api/v1/organisation",
            new OrganisationRequest(current.Name, "Mars/Olympus_Mons", 4, DayOfWeek.Tuesday, 10, DayOfWeek.Monday, null));
        await Api.AssertProblemAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal("Europe/Berlin", (await app.Admin.GetAsync<OrganisationDto>("/api/v1/organisation")).TimeZone);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ListingTeamsCostsAsManyStatementsWithThirtyTeamsAsWithThree(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var person = await app.Admin.CreatePersonAsync("Mia Member", Role.Member);
        for (var i = 0; i < 2; i++)
        {
            await app.Admin.CreateTeamAsync($"Small {i}", new TeamMemberDto(person.Id, IsLead: false));
        }

        var few = await app.StatementsOfAsync(app.Admin, c => c.GetAsync("/api/v1/teams"));
        for (var i = 0; i < 27; i++)
        {
            await app.Admin.CreateTeamAsync($"Grown {i}", new TeamMemberDto(person.Id, IsLead: i % 2 == 0));
        }

        var many = await app.StatementsOfAsync(app.Admin, c => c.GetAsync("/api/v1/teams"));
        Assert.NotEmpty(few);
        Assert.Equal(few.Count, many.Count);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TeamsFormATreeWithMembersAndLeads(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var lead = await app.Admin.CreatePersonAsync("Liam Lead", Role.Member);
        var member = await app.Admin.CreatePersonAsync("Sofia Seller", Role.Member);
        var company = (await app.Admin.GetAsync<Page<TeamDto>>("/api/v1/teams")).Items.Single(t => t.ParentTeamId is null);
        var sales = await app.Admin.PostAsync<TeamDto>("/api/v1/teams",
            new TeamRequest("Sales", company.Id, "Turn interest into customers", [new(lead.Id, true), new(member.Id, false)]));
        Assert.Equal([lead.Id, member.Id], sales.Members.Select(m => m.PersonId));
        Assert.True(sales.Members[0].IsLead);

        var inside = await app.Admin.PostAsync<TeamDto>("/api/v1/teams", new TeamRequest("Inside sales", sales.Id, null, null));
        Assert.Equal([inside.Id], (await app.Admin.GetAsync<Page<TeamDto>>($"/api/v1/teams?parent={sales.Id}")).Items.Select(t => t.Id));
        Assert.Contains(sales.Id, (await app.Admin.GetAsync<PersonDto>($"/api/v1/people/{member.Id}")).TeamIds);

        using var loop = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/teams/{sales.Id}", new TeamRequest("Sales", inside.Id, null, null));
        await Api.AssertProblemAsync(loop, HttpStatusCode.BadRequest);

        var renamed = await app.Admin.PutAsync<TeamDto>($"/api/v1/teams/{sales.Id}", new TeamRequest("Revenue", company.Id, null, [new(lead.Id, true)]), ifMatch: $"\"{sales.Version}\"");
        Assert.Equal("Revenue", renamed.Name);
        Assert.Equal([lead.Id], renamed.Members.Select(m => m.PersonId));

        using var notEmpty = await app.Admin.SendJsonAsync(HttpMethod.Delete, $"/api/v1/teams/{sales.Id}", null);
        await Api.AssertProblemAsync(notEmpty, HttpStatusCode.Conflict);
        await app.Admin.DeleteOkAsync($"/api/v1/teams/{inside.Id}");
        await app.Admin.DeleteOkAsync($"/api/v1/teams/{sales.Id}");
        await Api.AssertProblemAsync(await app.Admin.GetAsync($"/api/v1/teams/{sales.Id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task PeopleAreInvitedChangedAndRemovedButTheLastAdminStays(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var person = await app.Admin.CreatePersonAsync("Priya Person", Role.Member);
        Assert.Equal(Role.Member, person.Role);
        Assert.Contains(person.Id, (await app.Admin.GetAsync<Page<PersonDto>>("/api/v1/people?role=member&search=priya")).Items.Select(p => p.Id));

        var changed = await app.Admin.PutAsync<PersonDto>($"/api/v1/people/{person.Id}",
            new PersonRequest("Priya Person", person.Email, Role.Viewer, false, null), ifMatch: $"\"{person.Version}\"");
        Assert.Equal(Role.Viewer, changed.Role);
        Assert.False(changed.RemindersEnabled);

        using var duplicate = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/people", new PersonRequest("Copy", person.Email, Role.Member, null, null));
        await Api.AssertProblemAsync(duplicate, HttpStatusCode.BadRequest);

        using var demote = await app.Admin.SendJsonAsync(HttpMethod.Put, $"/api/v1/people/{app.AdminId}", new PersonRequest("Administrator", OkapiApp.AdminEmail, Role.Member, null, null));
        await Api.AssertProblemAsync(demote, HttpStatusCode.BadRequest);

        await app.Admin.DeleteOkAsync($"/api/v1/people/{person.Id}");
        await Api.AssertProblemAsync(await app.Admin.GetAsync($"/api/v1/people/{person.Id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task CyclesNestAndAreActivatedAndDeletedWhenEmpty(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var year = await app.Admin.PostAsync<CycleDto>("/api/v1/cycles", new CycleRequest("2027", new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31), CycleKind.Year, CycleState.Planning, null));
        var quarter = await app.Admin.PostAsync<CycleDto>("/api/v1/cycles", new CycleRequest("2027 Q2", new DateOnly(2027, 4, 1), new DateOnly(2027, 6, 30), CycleKind.Quarter, null, year.Id));
        Assert.Equal(CycleState.Planning, quarter.State);

        var active = await app.Admin.PutAsync<CycleDto>($"/api/v1/cycles/{quarter.Id}",
            new CycleRequest("2027 Q2", quarter.Start, quarter.End, CycleKind.Quarter, CycleState.Active, year.Id), ifMatch: $"\"{quarter.Version}\"");
        Assert.Equal(CycleState.Active, active.State);
        Assert.Contains(quarter.Id, (await app.Admin.GetAsync<Page<CycleDto>>("/api/v1/cycles?state=active")).Items.Select(c => c.Id));

        using var outside = await app.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/cycles",
            new CycleRequest("2028 Q1", new DateOnly(2028, 1, 1), new DateOnly(2028, 3, 31), CycleKind.Quarter, null, year.Id));
        await Api.AssertProblemAsync(outside, HttpStatusCode.BadRequest);

        using var withChildren = await app.Admin.SendJsonAsync(HttpMethod.Delete, $"/api/v1/cycles/{year.Id}", null);
        await Api.AssertProblemAsync(withChildren, HttpStatusCode.Conflict);
        await app.Admin.DeleteOkAsync($"/api/v1/cycles/{quarter.Id}");
        await app.Admin.DeleteOkAsync($"/api/v1/cycles/{year.Id}");

        var audit = await app.Admin.GetAsync<Page<AuditEventDto>>($"/api/v1/audit?entity=Cycle&entityId={quarter.Id}");
        Assert.Equal(3, audit.Total);
    }
}
