using Okapi.Data;
using Okapi.Web.Features.Search;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

public sealed class SearchInputTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Theory]
    [OnEveryDatabase]
    public async Task ASearchTextWithANulCharacterFindsWhatTheTextWithoutItFinds(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var team = await app.Admin.CreateTeamAsync("Nulltest Crew");
        var hits = await app.Admin.GetAsync<List<SearchHit>>("/api/v1/search?q=Nullt%00est");
        Assert.Contains(hits, h => h.Id == team.Id);
    }
}
