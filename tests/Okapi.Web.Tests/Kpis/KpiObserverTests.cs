using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Data;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Kpis;

/// <summary>What an observer saw: the KPIs it was told of, their organisation and how many of their values it could read.</summary>
public sealed record Observation(IReadOnlyCollection<Guid> KpiIds, Guid OrganisationId, int VisibleValues);

public sealed class RecordingObserver(OkapiDbContext db, ConcurrentQueue<Observation> seen) : IKpiValueObserver
{
    public async Task OnValuesStoredAsync(IReadOnlyCollection<StoredKpi> kpis, CancellationToken ct)
    {
        var kpiIds = kpis.Select(k => k.Kpi.Id).ToList();
        seen.Enqueue(new Observation(kpiIds, db.OrganisationId, await db.KpiValues.CountAsync(v => db.Kpis.Any(k => kpiIds.Contains(k.Id) && k.Number == v.KpiNumber), ct)));
    }
}

/// <summary>Okapi with an observer that records what it is told of stored values.</summary>
public sealed class ObservedApps : OkapiApps
{
    public ConcurrentQueue<Observation> Seen { get; } = new();

    protected override AppOptions Options => new()
    {
        Configure = builder => builder.ConfigureServices(services => services.AddSingleton(Seen).AddScoped<IKpiValueObserver, RecordingObserver>()),
    };
}

/// <summary>Observers do not depend on the database: SQLite only.</summary>
public sealed class KpiObserverTests(ObservedApps apps) : IClassFixture<ObservedApps>
{
    [Fact]
    public async Task ObserversHearOfCommittedValuesInTheValuesOrganisation()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        var team = await app.Admin.CreateTeamAsync("Observed");
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Observed KPI", team.Id));
        var changes = new ConcurrentQueue<KpiChanged>();
        app.Services.GetRequiredService<LiveUpdates>().KpisChanged += changes.Enqueue;

        await app.Admin.BulkAsync(new[] { new { kpiId = kpi.Id, at = app.Clock.GetUtcNow().AddMinutes(-1), value = 1.0 }, new { kpiId = kpi.Id, at = app.Clock.GetUtcNow(), value = 2.0 } });

        var observation = Assert.Single(apps.Seen, o => o.KpiIds.Contains(kpi.Id));
        Assert.Equal((app.OrganisationId, 2), (observation.OrganisationId, observation.VisibleValues));
        Assert.Contains(changes, c => c.OrganisationId == app.OrganisationId && c.KpiIds.Contains(kpi.Id));
    }
}
