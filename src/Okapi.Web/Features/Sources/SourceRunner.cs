using Cronos;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Kpis;

namespace Okapi.Web.Features.Sources;

/// <summary>
/// Runs one source of the context's organisation: pulls, stores the value through <see cref="KpiIngestion"/> at
/// the run's instant, and records the outcome and the next run. A failed pull stores nothing: the KPI goes stale,
/// never wrong.
/// </summary>
public sealed class SourceRunner(OkapiDbContext db, KpiPullers pullers, KpiIngestion ingestion, ILogger<SourceRunner> logger)
{
    private const int MaxErrorLength = 2000;

    public async Task<KpiSourceRunDto> RunAsync(KpiSource source, DateTimeOffset now, CancellationToken ct)
    {
        string? error = null;
        double? value = null;
        try
        {
            value = await pullers.PullAsync(source, ct);
            var refused = KpiValue.Validate(now, value.Value, now).ToDictionary();
            if (refused.Count > 0)
            {
                error = string.Join(" ", refused.SelectMany(e => e.Value, (e, message) => $"The {e.Key} {message}"));
            }
            else
            {
                await ingestion.StoreAsync([new NewKpiValue(source.KpiId, now.UtcDateTime, value.Value, KpiValueSource.Pull)], ct);
            }
        }
        catch (PullFailedException e)
        {
            error = e.Message;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "KPI source {Source} failed", source.Id);
            error = "The run failed unexpectedly; the server log has the details.";
        }

        if (error is not null)
        {
            value = null;
            error = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        }

        var zone = (await db.CalendarAsync(ct)).Zone;
        var next = source.Enabled ? NextRun(source.Schedule, now, zone) : null;
        var ran = now.UtcDateTime;
        // In place rather than through the tracked entity: a run is not an edit, so neither the version (the
        // ETag someone editing holds) nor the audit log changes.
        await db.KpiSources.Where(s => s.Id == source.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.LastRunAt, ran)
            .SetProperty(x => x.LastSuccessAt, x => error == null ? ran : x.LastSuccessAt)
            .SetProperty(x => x.LastError, error)
            .SetProperty(x => x.NextRunAt, next)
            .SetProperty(x => x.LockedUntil, (DateTime?)null), ct);
        return new KpiSourceRunDto(source.Id, now, error is null, value, error, next);
    }

    /// <summary>The parsed schedule: five fields, or six with seconds first; null when it is not a cron expression.</summary>
    public static CronExpression? ParseSchedule(string? schedule)
    {
        if (string.IsNullOrWhiteSpace(schedule))
        {
            return null;
        }

        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        return fields is 5 or 6 && CronExpression.TryParse(schedule.Trim(), format, out var cron) ? cron : null;
    }

    /// <summary>The first occurrence of the schedule after <paramref name="after"/>, in the organisation's time zone.</summary>
    public static DateTime? NextRun(string schedule, DateTimeOffset after, TimeZoneInfo zone) =>
        ParseSchedule(schedule)?.GetNextOccurrence(after.UtcDateTime, zone);
}
