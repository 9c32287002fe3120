using Okapi.Core.Access;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Search;
using Okapi.Web.Tests.Alerts;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

public sealed class SearchKpiTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task SearchFindsKpisByNameAndKeepsAnotherTeamsPrivateKpiHidden(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Finance");
        var open = await app.CreateKpiAsync(team.Id, name: "Gross margin");
        await app.CreateKpiAsync(team.Id, Cadence.Daily, Visibility.Private, name: "Gross margin by supplier");
        var max = await app.Admin.CreatePersonAsync("Max Member", Role.Member);
        using var member = await app.ClientForAsync(max.Id, TokenScope.Read);

        var admin = await app.Admin.GetAsync<List<SearchHit>>("/api/v1/search?q=gross%20MARGIN");
        var seen = await member.GetAsync<List<SearchHit>>("/api/v1/search?q=gross%20margin");

        Assert.Equal(["Gross margin", "Gross margin by supplier"], admin.Where(h => h.Kind == SearchKind.Kpi).Select(h => h.Title));
        var hit = Assert.Single(seen, h => h.Kind == SearchKind.Kpi);
        Assert.Equal(open.Id, hit.Id);
        Assert.Equal($"/kpis/{open.Id}", hit.Url, ignoreCase: true);
    }
}
