using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Okapi.Data;

namespace Okapi.Web.Features.Alerts;

public sealed class AlertOptions
{
    public const string Section = "Okapi:Alerts";

    /// <summary>How often every rule is evaluated even without new values (no data, pending periods ending).</summary>
    public int EvaluationSeconds { get; set; } = 15;
}

/// <summary>
/// Evaluates every organisation's rules on a timer. Several instances may run it at once: the one-open-alert-per-rule
/// index and the alert's version make a racing pass lose without notifying twice.
/// </summary>
public sealed class AlertWorker(IServiceScopeFactory scopes, IOptions<AlertOptions> options, TimeProvider clock, ILogger<AlertWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.EvaluationSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
                await RunPassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Alert evaluation pass failed");
            }
        }
    }

    /// <summary>One pass over every organisation, each in a fresh scope; returns how many alerts changed state.</summary>
    public async Task<int> RunPassAsync(CancellationToken ct)
    {
        List<Guid> organisations;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            organisations = await db.Organisations.AsNoTracking().Select(o => o.Id).ToListAsync(ct);
        }

        var transitions = 0;
        foreach (var organisationId in organisations)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<OkapiDbContext>().OrganisationId = organisationId;
                transitions += await scope.ServiceProvider.GetRequiredService<AlertEvaluator>().EvaluateAllAsync(ct);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Alert evaluation failed for organisation {OrganisationId}", organisationId);
            }
        }

        return transitions;
    }
}
