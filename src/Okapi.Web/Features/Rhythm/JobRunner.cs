using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Rhythm;

using Organisation = Okapi.Core.Organisations.Organisation;

/// <summary>
/// Runs scheduled work from the database. Each pass, per organisation and kind of work, the latest occurrence due
/// is inserted once (the unique index on organisation, kind and key settles races between instances), then every
/// pending due occurrence is claimed with a conditional update and run; its results commit in the same
/// transaction that marks it done. A crash before the commit leaves it pending, to run again once the claim
/// expires; after the commit it never runs again. Only the latest occurrence is ever inserted, so an app that was
/// down catches up on the one it missed but never back-fills older ones.
/// </summary>
public sealed class JobRunner(IServiceScopeFactory scopes, TimeProvider clock, IOptions<JobOptions> options, OkapiInstruments instruments, ILogger<JobRunner> log) : BackgroundService
{
    /// <summary>Longer than a run takes (a digest for a large organisation), short enough that a crashed instance's claim comes back soon.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(10);

    /// <summary>How late an occurrence may still run: a weekly reminder that is over a week late is replaced by the next one.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromDays(7);

    public const int MaxAttempts = 5;

    /// <summary>The wait before retrying after failed attempt number <paramref name="attempts"/>: 1 min, 2, 4, … at most an hour.</summary>
    public static TimeSpan RetryAfter(int attempts) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Clamp(attempts - 1, 0, 10))));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            log.LogInformation("The job runner is off on this instance ({Section}:Enabled is false).", JobOptions.Section);
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogError(e, "A pass over the scheduled jobs failed; retrying at the next poll.");
            }

            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over every organisation: schedules the occurrences due and runs them. Returns how many ran to completion.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        List<Organisation> organisations;
        await using (var scope = scopes.CreateAsyncScope())
        {
            organisations = await scope.ServiceProvider.GetRequiredService<OkapiDbContext>().Organisations.AsNoTracking().ToListAsync(ct);
        }

        var ran = 0;
        foreach (var organisation in organisations)
        {
            await ScheduleAsync(organisation, ct);
            ran += await RunDueAsync(organisation, ct);
        }

        return ran;
    }

    private async Task ScheduleAsync(Organisation organisation, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        db.OrganisationId = organisation.Id;
        var now = clock.GetUtcNow();
        var createdAt = new DateTimeOffset(organisation.CreatedAt);

        // Occurrences that were never run and are now too late give way to the next one instead of running weeks late.
        var tooLate = (now - CatchUp).UtcDateTime;
        await db.ScheduledJobs.Where(j => j.State == JobState.Pending && j.DueAt < tooLate)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Failed).SetProperty(j => j.LockedUntil, (DateTime?)null)
                .SetProperty(j => j.LastError, "Skipped: more than a week late, replaced by the next occurrence."), ct);

        foreach (var work in scope.ServiceProvider.GetServices<IScheduledWork>())
        {
            // Nothing from before the organisation existed, and nothing older than the catch-up window.
            if (work.LatestDue(organisation, now) is not { } occurrence || occurrence.DueAt < createdAt || now - occurrence.DueAt > CatchUp)
            {
                continue;
            }

            if (await db.ScheduledJobs.AnyAsync(j => j.Kind == work.Kind && j.Key == occurrence.Key, ct))
            {
                continue;
            }

            db.ScheduledJobs.Add(new ScheduledJob { Kind = work.Kind, Key = occurrence.Key, DueAt = occurrence.DueAt.UtcDateTime, CreatedAt = now.UtcDateTime });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Another instance inserted the same occurrence first: it exists once, which is all that matters.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<int> RunDueAsync(Organisation organisation, CancellationToken ct)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            db.OrganisationId = organisation.Id;
            due = await Due(db.ScheduledJobs, clock.GetUtcNow()).OrderBy(j => j.DueAt).Select(j => j.Id).ToListAsync(ct);
        }

        var ran = 0;
        foreach (var id in due)
        {
            ran += await RunAsync(organisation, id, ct) ? 1 : 0;
        }

        return ran;
    }

    private static IQueryable<ScheduledJob> Due(IQueryable<ScheduledJob> jobs, DateTimeOffset now)
    {
        var at = now.UtcDateTime;
        var earliest = (now - CatchUp).UtcDateTime;
        return jobs.Where(j => j.State == JobState.Pending && j.DueAt <= at && j.DueAt >= earliest && (j.LockedUntil == null || j.LockedUntil < at));
    }

    private async Task<bool> RunAsync(Organisation organisation, Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        db.OrganisationId = organisation.Id;
        var now = clock.GetUtcNow();
        var until = (now + ClaimFor).UtcDateTime;

        // The claim: a conditional update that succeeds for one runner. Counting the attempt here makes the
        // attempt number the claim's token, and a run that crashes the process still counts towards giving up.
        var claimed = await Due(db.ScheduledJobs.Where(j => j.Id == id), now)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LockedUntil, until).SetProperty(j => j.Attempts, j => j.Attempts + 1), ct);
        if (claimed != 1)
        {
            return false;
        }

        var job = await db.ScheduledJobs.AsNoTracking().SingleAsync(j => j.Id == id, ct);
        var work = scope.ServiceProvider.GetServices<IScheduledWork>().FirstOrDefault(w => w.Kind == job.Kind);
        if (work is null)
        {
            await FailAsync(organisation, job, $"No work of kind '{job.Kind}' is registered.", giveUp: true);
            return false;
        }

        var started = Stopwatch.GetTimestamp();
        using var activity = OkapiInstruments.Activities.StartActivity("okapi.job.run");
        activity?.SetTag("okapi.job.kind", job.Kind);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = scope.ServiceProvider.GetRequiredService<Outbox>()
                .Summarise(await work.RunAsync(organisation, new Occurrence(job.Key, new DateTimeOffset(job.DueAt, TimeSpan.Zero)), ct));
            var completedAt = clock.GetUtcNow().UtcDateTime;
            result = result.Length > 500 ? result[..500] : result;

            // Done only while the claim is still ours: a run that outlived its claim loses to the runner that claimed it next.
            var done = await db.ScheduledJobs.Where(j => j.Id == id && j.State == JobState.Pending && j.Attempts == job.Attempts)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Done).SetProperty(j => j.Result, result)
                    .SetProperty(j => j.CompletedAt, completedAt).SetProperty(j => j.LockedUntil, (DateTime?)null)
                    .SetProperty(j => j.LastError, (string?)null), ct);
            if (done != 1)
            {
                await transaction.RollbackAsync(ct);
                instruments.JobRan(job.Kind, Stopwatch.GetElapsedTime(started), failed: false);
                log.LogWarning("Job {Kind} {Key} was claimed by another runner while it ran; its results were discarded.", job.Kind, job.Key);
                return false;
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Job {Kind} {Key} attempt {Attempt} failed.", job.Kind, job.Key, job.Attempts);
            instruments.JobRan(job.Kind, Stopwatch.GetElapsedTime(started), failed: true);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            await FailAsync(organisation, job, $"{e.GetType().Name}: {e.Message}", giveUp: job.Attempts >= MaxAttempts);
            return false;
        }

        instruments.JobRan(job.Kind, Stopwatch.GetElapsedTime(started), failed: false);
        scope.ServiceProvider.GetRequiredService<Outbox>().Wake();
        log.LogInformation("Job {Kind} {Key} of organisation {Organisation} done.", job.Kind, job.Key, organisation.Slug);
        return true;
    }

    /// <summary>Records a failed attempt in a fresh context (the failed run's changes are thrown away) and schedules the retry.</summary>
    private async Task FailAsync(Organisation organisation, ScheduledJob job, string error, bool giveUp)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        db.OrganisationId = organisation.Id;
        var retryAt = giveUp ? (DateTime?)null : (clock.GetUtcNow() + RetryAfter(job.Attempts)).UtcDateTime;
        var state = giveUp ? JobState.Failed : JobState.Pending;
        error = error.Length > 2000 ? error[..2000] : error;

        // The claim's lock doubles as the retry's not-before time. Not the pass's token: a failure must be recorded even while the host stops.
        await db.ScheduledJobs.Where(j => j.Id == job.Id && j.State == JobState.Pending && j.Attempts == job.Attempts)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, state).SetProperty(j => j.LastError, error).SetProperty(j => j.LockedUntil, retryAt), CancellationToken.None);
    }
}
