using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Data;

namespace Okapi.Web.Features.Sources;

/// <summary>
/// Runs due pull sources of every organisation every few seconds. Instances claim a source with a conditional
/// update of its lock, so two never run the same source; a crashed run's lock expires and another retries it.
/// </summary>
public sealed class SourceWorker(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SourceWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Longer than a run can take (the pull's timeout plus storing), so a lock outlives its run.</summary>
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "A pass over the KPI sources failed");
            }

            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: every due, enabled source of every organisation is claimed and run; returns how many ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        List<Guid> organisations;
        using (var scope = scopes.CreateScope())
        {
            organisations = await scope.ServiceProvider.GetRequiredService<OkapiDbContext>().Organisations.Select(o => o.Id).ToListAsync(ct);
        }

        var ran = 0;
        foreach (var organisation in organisations)
        {
            ran += await RunDueAsync(organisation, ct);
        }

        return ran;
    }

    private async Task<int> RunDueAsync(Guid organisation, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var at = now.UtcDateTime;
        List<Guid> due;
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            db.OrganisationId = organisation;
            // An archived KPI's sources rest; they are due again as soon as it is restored.
            due = await db.KpiSources.Where(s => s.Enabled && s.NextRunAt <= at && (s.LockedUntil == null || s.LockedUntil < at))
                .Where(s => db.Kpis.InUse().Any(k => k.Id == s.KpiId))
                .OrderBy(s => s.NextRunAt).Select(s => s.Id).ToListAsync(ct);
        }

        var ran = 0;
        foreach (var id in due)
        {
            // A fresh scope per run: ingestion and its observers work in the scope they are given.
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            db.OrganisationId = organisation;
            var until = at + LockFor;
            var claimed = await db.KpiSources
                .Where(s => s.Id == id && s.Enabled && s.NextRunAt <= at && (s.LockedUntil == null || s.LockedUntil < at))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LockedUntil, until), ct);
            if (claimed != 1)
            {
                continue;
            }

            var source = await db.KpiSources.AsNoTracking().SingleAsync(s => s.Id == id, ct);
            await scope.ServiceProvider.GetRequiredService<SourceRunner>().RunAsync(source, now, ct);
            ran++;
        }

        return ran;
    }
}
