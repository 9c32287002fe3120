using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Alerts;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Web.Features.Rhythm;
using Okapi.Web.Tests.Infrastructure;
using Organisation = Okapi.Core.Organisations.Organisation;

namespace Okapi.Web.Tests.Rhythm;

/// <summary>
/// Okapi with a real SMTP listener and one extra kind of scheduled work that fails on demand, to see the runner
/// throw away a failed run's changes, record the error and retry.
/// </summary>
public sealed class RhythmApps : OkapiApps
{
    protected override AppOptions Options => new() { WithSmtp = true, Configure = builder => builder.ConfigureServices(FlakyWork.Register) };
}

/// <summary>How many more runs of <see cref="FlakyWork"/> fail.</summary>
public sealed class FlakyState
{
    public int FailuresLeft { get; set; }
}

/// <summary>
/// Work for organisations whose name starts with "Flaky": each run notifies the organisation's people, then fails
/// while <see cref="FlakyState.FailuresLeft"/> is above zero (after it added its notifications, as a crash would).
/// </summary>
public sealed class FlakyWork(OkapiDbContext db, FlakyState state, TimeProvider clock) : IScheduledWork
{
    public const string KindName = "flaky-test-work";

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<FlakyState>();
        services.AddScoped<IScheduledWork, FlakyWork>();
    }

    public string Kind => KindName;

    public Occurrence? LatestDue(Organisation organisation, DateTimeOffset now) =>
        organisation.Name.StartsWith("Flaky", StringComparison.Ordinal) ? CheckInSlot.Of(organisation).LatestAtOrBefore(now) : null;

    public Task<string> RunAsync(Organisation organisation, Occurrence occurrence, CancellationToken ct)
    {
        foreach (var person in db.People.ToList())
        {
            db.Notifications.Add(new Notification { PersonId = person.Id, Title = $"Flaky {occurrence.Key}", CreatedAt = clock.GetUtcNow().UtcDateTime });
        }

        if (state.FailuresLeft > 0)
        {
            state.FailuresLeft--;
            throw new InvalidOperationException("The flaky work failed as asked.");
        }

        return Task.FromResult("flaky work done");
    }
}
