using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Rhythm;

/// <summary>One occurrence of scheduled work as the admin sees it.</summary>
/// <param name="Id">The occurrence.</param>
/// <param name="Kind">What runs, e.g. `check-in-reminders` or `weekly-digest`.</param>
/// <param name="Key">Which occurrence, unique per kind, e.g. the local date and hour it is due (`2027-02-15T09`).</param>
/// <param name="DueAt">When it is due (UTC).</param>
/// <param name="State">`pending`, `done` or `failed` (gave up after the last attempt).</param>
/// <param name="Attempts">How many times it has been tried.</param>
/// <param name="LockedUntil">Until when a runner has claimed it (UTC); null when unclaimed.</param>
/// <param name="CreatedAt">When it was scheduled (UTC).</param>
/// <param name="CompletedAt">When it finished (UTC); null until then.</param>
/// <param name="Result">What the run did, e.g. `3 reminders`.</param>
/// <param name="LastError">The error of the last failed attempt, if any.</param>
public sealed record JobDto(
    Guid Id, string Kind, string Key, DateTime DueAt, JobState State, int Attempts, DateTime? LockedUntil,
    DateTime CreatedAt, DateTime? CompletedAt, string? Result, string? LastError)
{
    public static JobDto From(ScheduledJob j) =>
        new(j.Id, j.Kind, j.Key, j.DueAt, j.State, j.Attempts, j.LockedUntil, j.CreatedAt, j.CompletedAt, j.Result, j.LastError);
}

public sealed record JobFilter(string? Kind, EnumQuery<JobState>? State);

public sealed class JobService(OkapiDbContext db, Caller caller)
{
    public async Task<Outcome<Page<JobDto>>> ListAsync(JobFilter filter, PageRequest page, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins see the scheduled jobs.");
        }

        var query = db.ScheduledJobs.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Kind)) query = query.Where(j => j.Kind == filter.Kind);
        if (filter.State?.Value is { } state) query = query.Where(j => j.State == state);
        var (items, total) = await page.ApplyAsync(query.OrderByDescending(j => j.DueAt).ThenBy(j => j.Kind), ct);
        return new Page<JobDto>(items.Select(JobDto.From).ToList(), page.Number, page.Size, total);
    }
}

public static class JobsApi
{
    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/jobs", List).RequireAuthorization(ApiPolicies.Admins).WithTags("Jobs")
            .WithSummary("Recent occurrences of scheduled work (check-in reminders, weekly digest), newest first, with state, result and error (admins).").WithDescription("Admins only; filter by kind and state. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        return api;
    }

    public static async Task<Results<Ok<Page<JobDto>>, ProblemHttpResult>> List(
        JobService jobs, [AsParameters] JobFilter filter, [AsParameters] PageRequest page, HttpContext http, CancellationToken ct) =>
        (await jobs.ListAsync(filter, page, ct)).ToOk(http);
}
