using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Access;
using Okapi.Core.Alerts;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Features.Rhythm;
using Okapi.Web.Features.Setup;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;
using static Okapi.Web.Tests.Alerts.AlertArrangements;

namespace Okapi.Web.Tests.Rhythm;

public sealed class RhythmTests(RhythmApps apps) : IClassFixture<RhythmApps>
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private sealed record Org(Guid Id, HttpClient Admin, WeeklySlot Slot, CycleDto Cycle);

    private async Task<Org> CreateOrganisationAsync(OkapiApp app, string name, DayOfWeek weekday, int hour)
    {
        Person admin;
        using (var scope = app.Services.CreateScope())
        {
            (_, admin, _) = await scope.ServiceProvider.GetRequiredService<Bootstrap>()
                .CreateOrganisationAsync($"{name} {Guid.NewGuid():N}", "Europe/Berlin", "Admin", $"admin@{Guid.NewGuid():N}.test", "another-password-1", CancellationToken.None);
        }

        var client = await app.ClientForAsync(admin.Id, TokenScope.Admin);
        var organisation = await client.GetAsync<OrganisationDto>("/api/v1/organisation");
        await client.PutAsync<OrganisationDto>("/api/v1/organisation",
            new OrganisationRequest(organisation.Name, "Europe/Berlin", 1, weekday, hour, DayOfWeek.Monday, null), $"\"{organisation.Version}\"");
        return new Org(admin.OrganisationId, client, new WeeklySlot(weekday, hour, Berlin), await CycleAroundNowAsync(app, client));
    }

    /// <summary>An active cycle around the test's (moving) clock.</summary>
    private static Task<CycleDto> CycleAroundNowAsync(OkapiApp app, HttpClient admin)
    {
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        return admin.CreateCycleAsync($"Cycle {Guid.NewGuid():N}", today.AddDays(-30), today.AddDays(150), CycleKind.Custom);
    }

    private static async Task<(PersonDto Person, HttpClient Client)> PersonAsync(HttpClient admin, OkapiApp on, string name)
    {
        var person = await admin.CreatePersonAsync(name, Role.Member);
        return (person, await on.ClientForAsync(person.Id, TokenScope.Write));
    }

    private static Task<ObjectiveDto> ObjectiveAsync(HttpClient client, Guid cycleId, Guid teamId, string title,
        ObjectiveState state = ObjectiveState.Active, Visibility visibility = Visibility.Public) =>
        client.PostAsync<ObjectiveDto>("/api/v1/objectives", new ObjectiveRequest(title, null, cycleId, teamId, null, state, visibility, null));

    private static Task<KeyResultDto> KeyResultAsync(HttpClient client, Guid objectiveId, string title, Guid owner) =>
        client.PostAsync<KeyResultDto>("/api/v1/key-results",
            new KeyResultRequest(objectiveId, title, owner, KeyResultType.IncreaseTo, "%", 0, 100, null, null, null, 7, null));

    private static Task<KeyResultDto> CheckInAsync(HttpClient client, Guid keyResultId, double value) =>
        client.PostAsync<KeyResultDto>($"/api/v1/key-results/{keyResultId}/check-ins", new CheckInRequest(value, Confidence.OnTrack, null, null));

    /// <summary>
    /// One runner pass, as the app's timer makes it. The app's own runner may hold a claim on an occurrence this
    /// pass found taken: unless told otherwise, wait until no one holds one in the organisation.
    /// </summary>
    private async Task RunJobsAsync(OkapiApp app, Guid organisationId, bool waitForOthers = true)
    {
        await app.Services.GetRequiredService<JobRunner>().RunDueAsync(CancellationToken.None);
        if (waitForOthers)
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            await Eventually.FindAsync(async () => await app.QueryAsync(db => db.ScheduledJobs
                .AnyAsync(j => j.State == JobState.Pending && j.LastError == null && j.LockedUntil > now), organisationId) ? null : "idle",
                "no claimed occurrence left running");
        }
    }

    /// <summary>
    /// Moves the clock to the first slot at which key results created now are stale (their update rhythm is 7 days),
    /// running the jobs just before they become stale and an hour before the slot, as the app's timer would.
    /// Returns the slot; <paramref name="beforeSlot"/> runs an hour before it.
    /// </summary>
    private async Task<Occurrence> ArriveAtStaleSlotAsync(OkapiApp app, Org org, Func<Task>? beforeSlot = null, bool runAtSlot = true)
    {
        // A pass while they are not yet stale (exactly seven days is not: staleness needs more than the rhythm), which
        // comes after the slot before the target and over an hour before the target.
        var notYetStale = app.Clock.GetUtcNow() + TimeSpan.FromDays(7);
        var slot = org.Slot.NextAfter(notYetStale);
        app.Clock.SetUtcNow(new[] { notYetStale, slot.DueAt - TimeSpan.FromMinutes(61) }.Min());
        await RunJobsAsync(app, org.Id);
        app.Clock.SetUtcNow(slot.DueAt - TimeSpan.FromHours(1));
        await RunJobsAsync(app, org.Id);
        if (beforeSlot is not null)
        {
            await beforeSlot();
        }

        if (runAtSlot)
        {
            app.Clock.SetUtcNow(slot.DueAt);
            await RunJobsAsync(app, org.Id);
        }

        return slot;
    }

    private Task<List<Notification>> RemindersAsync(OkapiApp app, Guid organisationId, Guid? personId = null) =>
        app.QueryAsync(db => db.Notifications.Where(n => n.Title.StartsWith("Check-in due") && (personId == null || n.PersonId == personId))
            .OrderBy(n => n.CreatedAt).ToListAsync(), organisationId);

    private Task<List<Delivery>> EmailsAsync(OkapiApp app, Guid organisationId, NotificationEvent notification, string? recipient = null) =>
        app.QueryAsync(db => db.Deliveries.Where(d => d.Event == notification && (recipient == null || d.Recipient == recipient)).ToListAsync(), organisationId);

    private Task<List<ScheduledJob>> JobsAsync(OkapiApp app, Guid organisationId, string kind) =>
        app.QueryAsync(db => db.ScheduledJobs.Where(j => j.Kind == kind).OrderBy(j => j.DueAt).ToListAsync(), organisationId);

    [Theory]
    [OnEveryDatabase]
    public async Task EachOwnerOfStaleKeyResultsGetsOneReminderAtTheCheckInWeekdayAndHourAndNoOneElseDoes(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var org = await CreateOrganisationAsync(app, "Reminders", DayOfWeek.Wednesday, 10);
        var (alice, _) = await PersonAsync(org.Admin, app, "Alice Stale");
        var (bob, bobClient) = await PersonAsync(org.Admin, app, "Bob Fresh");
        var (carol, carolClient) = await PersonAsync(org.Admin, app, "Carol Opted Out");
        var (dave, _) = await PersonAsync(org.Admin, app, "Dave Draft");
        var (erin, _) = await PersonAsync(org.Admin, app, "Erin Closed");
        var team = await org.Admin.CreateTeamAsync("Growth", [.. new[] { alice, bob, carol, dave, erin }.Select(p => new TeamMemberDto(p.Id, false))]);

        var growth = await ObjectiveAsync(org.Admin, org.Cycle.Id, team.Id, "Grow the customer base");
        var activation = await KeyResultAsync(org.Admin, growth.Id, "Raise activation to 40 %", alice.Id);
        var retention = await KeyResultAsync(org.Admin, growth.Id, "Raise retention to 90 %", alice.Id);
        var fresh = await KeyResultAsync(org.Admin, growth.Id, "Raise NPS to 50", bob.Id);
        await KeyResultAsync(org.Admin, growth.Id, "Cut churn to 2 %", carol.Id);
        var draft = await ObjectiveAsync(org.Admin, org.Cycle.Id, team.Id, "A plan still in draft", ObjectiveState.Draft);
        await KeyResultAsync(org.Admin, draft.Id, "Draft key result", dave.Id);
        var closedCycle = await CycleAroundNowAsync(app, org.Admin);
        var old = await ObjectiveAsync(org.Admin, closedCycle.Id, team.Id, "Last cycle's objective");
        await KeyResultAsync(org.Admin, old.Id, "Closed key result", erin.Id);
        await app.QueryAsync(db => db.Cycles.Where(c => c.Id == closedCycle.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CycleState.Closed)), org.Id);
        var optOut = await carolClient.PutAsync<PersonDto>("/api/v1/people/me/notifications", new NotificationSettingsRequest(false, null));
        Assert.Equal((false, true), (optOut.RemindersEnabled, optOut.DigestEnabled));

        var slot = await ArriveAtStaleSlotAsync(app, org, beforeSlot: async () =>
        {
            // An hour before the slot nothing was sent; Bob checks in, so his key result is fresh at the slot.
            Assert.Empty(await RemindersAsync(app, org.Id));
            Assert.DoesNotContain(await JobsAsync(app, org.Id, CheckInReminders.KindName), j => j.Key == org.Slot.NextAfter(app.Clock.GetUtcNow()).Key);
            await CheckInAsync(bobClient, fresh.Id, 20);
        });

        // Wednesday 10:00 in Berlin.
        var local = TimeZoneInfo.ConvertTime(slot.DueAt, Berlin);
        Assert.Equal((DayOfWeek.Wednesday, 10, 0), (local.DayOfWeek, local.Hour, local.Minute));
        var reminder = Assert.Single(await RemindersAsync(app, org.Id));
        Assert.Equal((alice.Id, "Check-in due: 2 key results", $"/objectives/{growth.Id}"), (reminder.PersonId, reminder.Title, reminder.Link));
        Assert.Contains("Raise activation to 40 %", reminder.Body);
        Assert.Contains("Raise retention to 90 %", reminder.Body);
        Assert.Single(await EmailsAsync(app, org.Id, NotificationEvent.CheckInReminder));
        var email = await app.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == alice.Email) && m.Subject?.StartsWith("Check-in due", StringComparison.Ordinal) == true);
        Assert.Contains("Raise retention to 90 %", email.TextBody);
        Assert.Contains($"{SmtpSink.PublicUrl}/objectives/{growth.Id}", email.TextBody);

        var inbox = await app.QueryAsync(db => db.InboxItems.Where(i => i.Kind == InboxItemKind.CheckInDue).ToListAsync(), org.Id);
        Assert.Equal(new[] { activation.Id, retention.Id }.Order(), inbox.Select(i => i.SubjectId).Order());
        Assert.All(inbox, i => Assert.Equal((alice.Id, $"/objectives/{growth.Id}", InboxItemState.Open), (i.PersonId, i.Link, i.State)));

        var job = Assert.Single(await JobsAsync(app, org.Id, CheckInReminders.KindName), j => j.Key == slot.Key);
        Assert.Equal((JobState.Done, "1 reminder", 1, slot.DueAt.UtcDateTime), (job.State, job.Result, job.Attempts, job.DueAt));

        // Another pass in the same week sends nothing more.
        app.Clock.Advance(TimeSpan.FromHours(3));
        await RunJobsAsync(app, org.Id);
        Assert.Single(await RemindersAsync(app, org.Id));
        Assert.Single(await EmailsAsync(app, org.Id, NotificationEvent.CheckInReminder));
        Assert.Equal(2, (await app.QueryAsync(db => db.InboxItems.CountAsync(), org.Id)));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheJobsApiListsOccurrencesWithTheirResultForAdminsOnly(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var org = await CreateOrganisationAsync(app, "Jobs", DayOfWeek.Thursday, 8);
        var (member, memberClient) = await PersonAsync(org.Admin, app, "Mia Member");
        var team = await org.Admin.CreateTeamAsync("Ops", new TeamMemberDto(member.Id, false));
        var objective = await ObjectiveAsync(org.Admin, org.Cycle.Id, team.Id, "Run smoothly");
        await KeyResultAsync(org.Admin, objective.Id, "Keep uptime above 99.9 %", member.Id);
        var slot = await ArriveAtStaleSlotAsync(app, org);

        var jobs = await org.Admin.GetAsync<Page<JobDto>>($"/api/v1/jobs?kind={CheckInReminders.KindName}");
        var latest = jobs.Items[0];
        Assert.Equal((slot.Key, JobState.Done, "1 reminder", (string?)null), (latest.Key, latest.State, latest.Result, latest.LastError));
        Assert.Contains((await org.Admin.GetAsync<Page<JobDto>>("/api/v1/jobs?state=done")).Items, j => j.Kind == WeeklyDigest.KindName && j.Key == slot.Key);

        await Api.AssertProblemAsync(await memberClient.GetAsync("/api/v1/jobs"), HttpStatusCode.Forbidden);
        // Another organisation's admin sees only their own organisation's occurrences.
        Assert.DoesNotContain((await app.Admin.GetAsync<Page<JobDto>>("/api/v1/jobs?pageSize=200")).Items, j => j.Id == latest.Id);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ARestartedOrSecondInstanceOnTheSameDatabaseSendsNothingTwice(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var org = await CreateOrganisationAsync(app, "Restart", DayOfWeek.Monday, 9);
        var (owner, _) = await PersonAsync(org.Admin, app, "Olga Owner");
        var team = await org.Admin.CreateTeamAsync("Platform", new TeamMemberDto(owner.Id, false));
        var objective = await ObjectiveAsync(org.Admin, org.Cycle.Id, team.Id, "A platform people love");
        await KeyResultAsync(org.Admin, objective.Id, "Cut build time to 5 minutes", owner.Id);
        await ArriveAtStaleSlotAsync(app, org);
        await RunJobsAsync(app, org.Id);
        Assert.Single(await RemindersAsync(app, org.Id, owner.Id));

        await using var second = app.SecondInstance();
        await second.InitializeAsync();
        second.Clock.SetUtcNow(app.Clock.GetUtcNow() + TimeSpan.FromMinutes(5));
        app.Clock.SetUtcNow(second.Clock.GetUtcNow());
        await second.Services.GetRequiredService<JobRunner>().RunDueAsync(CancellationToken.None);
        await RunJobsAsync(app, org.Id);

        Assert.Single(await RemindersAsync(app, org.Id, owner.Id));
        Assert.Single(await EmailsAsync(app, org.Id, NotificationEvent.CheckInReminder));
        Assert.All(await JobsAsync(app, org.Id, CheckInReminders.KindName), j => Assert.Equal(1, j.Attempts));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AReminderJobWithoutAMailServerSaysItsEmailsFailedAndWhyAndWithOneItDoesNot(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var unsent = await CreateOrganisationAsync(app, "Unsent", DayOfWeek.Tuesday, 9);
        var (owner, _) = await PersonAsync(unsent.Admin, app, "Una Unsent");
        var team = await unsent.Admin.CreateTeamAsync("Support", new TeamMemberDto(owner.Id, false));
        var objective = await ObjectiveAsync(unsent.Admin, unsent.Cycle.Id, team.Id, "Answer every customer");
        await KeyResultAsync(unsent.Admin, objective.Id, "Answer within a day", owner.Id);
        var slot = unsent.Slot.NextAfter(app.Clock.GetUtcNow() + TimeSpan.FromDays(7));

        await using (var withoutSmtp = app.SecondInstance())
        {
            await withoutSmtp.InitializeAsync();
            withoutSmtp.Clock.SetUtcNow(slot.DueAt);
            await withoutSmtp.Services.GetRequiredService<JobRunner>().RunDueAsync(CancellationToken.None);
            app.Clock.SetUtcNow(withoutSmtp.Clock.GetUtcNow());
        }

        var job = Assert.Single(await JobsAsync(app, unsent.Id, CheckInReminders.KindName), j => j.Key == slot.Key);
        Assert.Equal((JobState.Done, "1 reminder; 1 email failed: email is not configured"), (job.State, job.Result));

        var sent = await CreateOrganisationAsync(app, "Sent", DayOfWeek.Tuesday, 9);
        var (other, _) = await PersonAsync(sent.Admin, app, "Sam Sent");
        var otherTeam = await sent.Admin.CreateTeamAsync("Support", new TeamMemberDto(other.Id, false));
        var otherObjective = await ObjectiveAsync(sent.Admin, sent.Cycle.Id, otherTeam.Id, "Answer every customer");
        await KeyResultAsync(sent.Admin, otherObjective.Id, "Answer within a day", other.Id);
        var nextSlot = sent.Slot.NextAfter(app.Clock.GetUtcNow() + TimeSpan.FromDays(7));
        app.Clock.SetUtcNow(nextSlot.DueAt);
        await RunJobsAsync(app, sent.Id);

        var sentJob = Assert.Single(await JobsAsync(app, sent.Id, CheckInReminders.KindName), j => j.Key == nextSlot.Key);
        Assert.Equal((JobState.Done, "1 reminder"), (sentJob.State, sentJob.Result));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnInstanceRunsTheRemindersOnItsOwnTimerWhenTheirHourComes(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var org = await CreateOrganisationAsync(app, "Timer", DayOfWeek.Thursday, 11);
        var (owner, _) = await PersonAsync(org.Admin, app, "Tim Timer");
        var team = await org.Admin.CreateTeamAsync("Finance", new TeamMemberDto(owner.Id, false));
        var objective = await ObjectiveAsync(org.Admin, org.Cycle.Id, team.Id, "Close the books faster");
        await KeyResultAsync(org.Admin, objective.Id, "Close the month in 3 days", owner.Id);
        var slot = org.Slot.NextAfter(app.Clock.GetUtcNow() + TimeSpan.FromDays(7));

        await using var deployed = app.SecondInstance(ownTimer: true);
        await deployed.InitializeAsync();
        deployed.Clock.SetUtcNow(slot.DueAt);

        // Time passes on the deployed instance's clock, a poll interval at a time, and nothing else runs a pass.
        var reminder = await Eventually.FindAsync(async () =>
        {
            deployed.Clock.Advance(TimeSpan.FromSeconds(61));
            return (await RemindersAsync(app, org.Id, owner.Id)).SingleOrDefault();
        }, "the reminder sent by the instance's timer");
        Assert.Equal("Check-in due: 1 key result", reminder.Title);
        var job = await Eventually.FindAsync(async () => (await JobsAsync(app, org.Id, CheckInReminders.KindName)).SingleOrDefault(j => j.Key == slot.Key && j.State == JobState.Done), "the occurrence marked done");
        // The deployed instance has no mail server, so its summary owns up to the email it could not send.
        Assert.Equal((1, "1 reminder; 1 email failed: email is not configured"), (job.Attempts, job.Result));

        // The other tests on this database go on from where the deployed instance left off, not from before what it ran.
        app.Clock.SetUtcNow(deployed.Clock.GetUtcNow());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnOccurrenceWhoseRunnerCrashedBeforeCommittingRunsOnceWhenTheClaimExpires(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var org = await CreateOrganisationAsync(app, "Crash", DayOfWeek.Tuesday, 9);
        var (owner, _) = await PersonAsync(org.Admin, app, "Chris Crash");
        var team = await org.Admin.CreateTeamAsync("Support", new TeamMemberDto(owner.Id, false));
        var objective = await ObjectiveAsync(org.Admin, org.Cycle.Id, team.Id, "Answer every customer");
        await KeyResultAsync(org.Admin, objective.Id, "Answer within 2 hours", owner.Id);
        var slot = await ArriveAtStaleSlotAsync(app, org, beforeSlot: () =>
            // A runner claimed the slot's occurrence and died before its transaction committed: only the claim remains.
            app.QueryAsync(async db =>
            {
                var due = org.Slot.NextAfter(app.Clock.GetUtcNow());
                db.ScheduledJobs.Add(new ScheduledJob
                {
                    Kind = CheckInReminders.KindName,
                    Key = due.Key,
                    DueAt = due.DueAt.UtcDateTime,
                    Attempts = 1,
                    LockedUntil = (due.DueAt + JobRunner.ClaimFor).UtcDateTime,
                    CreatedAt = app.Clock.GetUtcNow().UtcDateTime,
                });
                return await db.SaveChangesAsync();
            }, org.Id), runAtSlot: false);

        app.Clock.SetUtcNow(slot.DueAt);
        await RunJobsAsync(app, org.Id, waitForOthers: false);
        Assert.Empty(await RemindersAsync(app, org.Id));

        app.Clock.Advance(JobRunner.ClaimFor + TimeSpan.FromSeconds(1));
        await RunJobsAsync(app, org.Id);
        await RunJobsAsync(app, org.Id);
        Assert.Single(await RemindersAsync(app, org.Id, owner.Id));
        Assert.Single(await EmailsAsync(app, org.Id, NotificationEvent.CheckInReminder));
        var job = Assert.Single(await JobsAsync(app, org.Id, CheckInReminders.KindName), j => j.Key == slot.Key);
        Assert.Equal((JobState.Done, 2), (job.State, job.Attempts));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnOccurrenceMissedWhileTheAppWasDownIsSentOnceWhenItComesBackAndOlderOnesAreNotBackFilled(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var org = await CreateOrganisationAsync(app, "Downtime", DayOfWeek.Friday, 16);
        var (owner, _) = await PersonAsync(org.Admin, app, "Dana Down");
        var team = await org.Admin.CreateTeamAsync("Sales", new TeamMemberDto(owner.Id, false));
        var objective = await ObjectiveAsync(org.Admin, org.Cycle.Id, team.Id, "Win the market");
        await KeyResultAsync(org.Admin, objective.Id, "Sign 20 new customers", owner.Id);
        var firstMissed = await ArriveAtStaleSlotAsync(app, org, runAtSlot: false);
        var before = (await JobsAsync(app, org.Id, CheckInReminders.KindName)).Select(j => j.Key).ToList();

        // Down for three weeks and two days: the slots come and go without a pass.
        app.Clock.SetUtcNow(firstMissed.DueAt + TimeSpan.FromDays(23));
        var latest = org.Slot.LatestAtOrBefore(app.Clock.GetUtcNow());
        await RunJobsAsync(app, org.Id);
        await RunJobsAsync(app, org.Id);

        var reminder = Assert.Single(await RemindersAsync(app, org.Id, owner.Id));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, reminder.CreatedAt);
        Assert.Single(await EmailsAsync(app, org.Id, NotificationEvent.CheckInReminder, owner.Email));
        await app.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == owner.Email) && m.Subject?.StartsWith("Check-in due", StringComparison.Ordinal) == true);
        var jobs = await JobsAsync(app, org.Id, CheckInReminders.KindName);
        Assert.Equal([.. before, latest.Key], jobs.Select(j => j.Key));
        Assert.Equal((JobState.Done, latest.DueAt.UtcDateTime, app.Clock.GetUtcNow().UtcDateTime), (jobs[^1].State, jobs[^1].DueAt, jobs[^1].CompletedAt));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AFailedRunKeepsNothingRecordsTheErrorIsRetriedAndGivesUpAfterTheLastAttempt(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var flaky = app.Services.GetRequiredService<FlakyState>();
        var org = await CreateOrganisationAsync(app, "Flaky", DayOfWeek.Monday, 9);
        var slot = org.Slot.NextAfter(app.Clock.GetUtcNow());
        flaky.FailuresLeft = 2;
        app.Clock.SetUtcNow(slot.DueAt);
        await RunJobsAsync(app, org.Id, waitForOthers: false);
        var failed = Assert.Single(await JobsAsync(app, org.Id, FlakyWork.KindName));
        Assert.Equal(JobState.Pending, failed.State);
        Assert.Contains("failed as asked", failed.LastError);
        Assert.Empty(await app.QueryAsync(db => db.Notifications.Where(n => n.Title.StartsWith("Flaky")).ToListAsync(), org.Id));

        var job = await RetryUntilSettledAsync(app, org.Id);
        Assert.Equal((JobState.Done, 3, "flaky work done", (string?)null), (job.State, job.Attempts, job.Result, job.LastError));
        Assert.Single(await app.QueryAsync(db => db.Notifications.Where(n => n.Title.StartsWith("Flaky")).ToListAsync(), org.Id));

        // A run that keeps failing is given up after the last attempt.
        var hopeless = await CreateOrganisationAsync(app, "Flaky hopeless", DayOfWeek.Monday, 9);
        flaky.FailuresLeft = 1000;
        app.Clock.SetUtcNow(hopeless.Slot.NextAfter(app.Clock.GetUtcNow()).DueAt);
        await RunJobsAsync(app, hopeless.Id, waitForOthers: false);
        var given = await RetryUntilSettledAsync(app, hopeless.Id);
        flaky.FailuresLeft = 0;
        Assert.Equal((JobState.Failed, JobRunner.MaxAttempts), (given.State, given.Attempts));
        Assert.Contains("failed as asked", given.LastError);
        Assert.Empty(await app.QueryAsync(db => db.Notifications.Where(n => n.Title.StartsWith("Flaky")).ToListAsync(), hopeless.Id));
    }

    private async Task<ScheduledJob> RetryUntilSettledAsync(OkapiApp app, Guid organisationId)
    {
        for (var i = 0; i < 2 * JobRunner.MaxAttempts; i++)
        {
            var job = Assert.Single(await JobsAsync(app, organisationId, FlakyWork.KindName));
            if (job.State != JobState.Pending)
            {
                return job;
            }

            app.Clock.SetUtcNow(new DateTimeOffset(job.LockedUntil!.Value, TimeSpan.Zero) + TimeSpan.FromSeconds(1));
            await RunJobsAsync(app, organisationId, waitForOthers: false);
        }

        throw new Xunit.Sdk.XunitException("The flaky job neither finished nor gave up.");
    }

    [Theory]
    [OnEveryDatabase]
    public async Task TheWeeklyDigestSumsUpMyWeekWithinWhatICanSeeAndSkipsThoseWhoOptedOut(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        // In the first organisation: its KPIs and alerts are arranged through its admin.
        var admin = app.Admin;
        var cycle = await CycleAroundNowAsync(app, admin);
        var (alice, aliceClient) = await PersonAsync(admin, app, "Alice Digest");
        var (bob, bobClient) = await PersonAsync(admin, app, "Bob No Digest");
        var (carol, carolClient) = await PersonAsync(admin, app, "Carol Insider");
        var growth = await admin.CreateTeamAsync($"Growth {Guid.NewGuid():N}"[..14], new TeamMemberDto(alice.Id, false), new TeamMemberDto(bob.Id, false));
        var board = await admin.CreateTeamAsync($"Board {Guid.NewGuid():N}"[..13], new TeamMemberDto(carol.Id, false));
        var onboarding = await ObjectiveAsync(admin, cycle.Id, growth.Id, "Make onboarding effortless");
        var activation = await KeyResultAsync(admin, onboarding.Id, "Raise weekly activation to 60 %", alice.Id);
        var secret = await ObjectiveAsync(admin, cycle.Id, board.Id, "Prepare the secret merger", visibility: Visibility.Private);
        var dueDiligence = await KeyResultAsync(admin, secret.Id, "Finish due diligence", carol.Id);
        var kpi = await app.CreateKpiAsync(growth.Id, name: "Signup conversion");
        await admin.CreateRuleAsync(Rule(kpi.Id));
        await app.StoreValueAsync(kpi.Id, 0.5);

        await CheckInAsync(aliceClient, activation.Id, 25);
        await CheckInAsync(carolClient, dueDiligence.Id, 50);
        await bobClient.PostAsync<CommentDto>("/api/v1/comments", new CommentRequest(onboarding.Id, null, null, "The new welcome email works."));
        var bobSettings = await bobClient.PutAsync<PersonDto>("/api/v1/people/me/notifications", new NotificationSettingsRequest(null, false));
        Assert.Equal((true, false), (bobSettings.RemindersEnabled, bobSettings.DigestEnabled));

        var slot = new WeeklySlot(DayOfWeek.Monday, 9, Berlin).NextAfter(app.Clock.GetUtcNow());
        app.Clock.SetUtcNow(slot.DueAt);
        await RunJobsAsync(app, app.OrganisationId);

        var email = await app.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == alice.Email) && m.Subject?.StartsWith("Your week in Okapi", StringComparison.Ordinal) == true);
        var text = email.TextBody;
        Assert.Contains("Your key results", text);
        Assert.Contains("- Raise weekly activation to 60 % (Make onboarding effortless): 25 %", text);
        Assert.Contains("Your teams", text);
        Assert.Contains($"- {growth.Name}: 25 % across 1 objective", text);
        Assert.Contains("Alerts on your KPIs", text);
        Assert.Contains("- Signup conversion: firing since", text);
        Assert.Contains("This week: 1 check-in, 1 new comment", text);
        Assert.Contains("Alice Digest checked in Raise weekly activation to 60 % at 25 %", text);
        Assert.Contains("Bob No Digest commented on Make onboarding effortless: The new welcome email works.", text);
        Assert.DoesNotContain("secret merger", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("due diligence", text, StringComparison.OrdinalIgnoreCase);

        var carolDigest = await app.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == carol.Email) && m.Subject?.StartsWith("Your week in Okapi", StringComparison.Ordinal) == true);
        Assert.Contains("- Finish due diligence (Prepare the secret merger): 50 %", carolDigest.TextBody);

        var digests = await EmailsAsync(app, app.OrganisationId, NotificationEvent.WeeklyDigest);
        Assert.Single(digests, d => d.Recipient == alice.Email);
        Assert.DoesNotContain(digests, d => d.Recipient == bob.Email);
        var inApp = await app.QueryAsync(db => db.Notifications.Where(n => n.PersonId == alice.Id && n.Title.StartsWith("Your week")).ToListAsync());
        Assert.Equal("/", Assert.Single(inApp).Link);

        // The admin sees the digest setting on people.
        Assert.False((await admin.GetAsync<PersonDto>($"/api/v1/people/{bob.Id}")).DigestEnabled);
    }
}
