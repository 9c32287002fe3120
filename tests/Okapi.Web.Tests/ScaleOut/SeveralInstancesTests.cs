using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Okapi.Core.Access;
using Okapi.Core.Alerts;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Alerts;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Infrastructure;
using Okapi.Web.Infrastructure.Instances;
using Okapi.Web.Tests.Alerts;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;

namespace Okapi.Web.Tests.ScaleOut;

/// <summary>
/// Two instances behind a load balancer on one PostgreSQL database: what one changes reaches the other's caches, and
/// alerts, deliveries and their notifications happen once between them.
/// </summary>
public sealed class SeveralInstancesTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    private OkapiApp A => instances.A;
    private OkapiApp B => instances.B;

    [Fact]
    public async Task ATokenRevokedOnOneInstanceIsRefusedByTheOtherWithinTwoSeconds()
    {
        var (tokenId, secret) = await IssueTokenAsync(A);
        using var onB = B.WithToken(secret);
        // B now remembers the token, for a minute by these instances' settings.
        using (var before = await onB.GetAsync("/api/v1/teams"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await A.Admin.DeleteOkAsync($"/api/v1/tokens/{tokenId}");
        var revoked = Stopwatch.StartNew();
        while (true)
        {
            using var response = await onB.GetAsync("/api/v1/teams");
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(revoked.Elapsed <= TimeSpan.FromSeconds(2), $"B still accepted the revoked token {revoked.Elapsed.TotalMilliseconds:0} ms after A revoked it.");
            await Task.Delay(100);
        }

        Assert.True(revoked.Elapsed <= TimeSpan.FromSeconds(2), $"B refused the token only after {revoked.Elapsed.TotalMilliseconds:0} ms.");
    }

    [Fact]
    public async Task ATeamCreatedOnOneInstanceIsListedByTheOtherWithinTwoSeconds()
    {
        var name = $"Platform {Guid.NewGuid():N}";
        // B's teams list is remembered (for a minute here) until a change to teams says otherwise.
        Assert.DoesNotContain((await B.Admin.GetAsync<Page<TeamDto>>("/api/v1/teams?pageSize=200")).Items, t => t.Name == name);

        await A.Admin.CreateTeamAsync(name);
        var created = Stopwatch.StartNew();
        while (!(await B.Admin.GetAsync<Page<TeamDto>>("/api/v1/teams?pageSize=200")).Items.Any(t => t.Name == name))
        {
            Assert.True(created.Elapsed <= TimeSpan.FromSeconds(2), $"B did not list the team {created.Elapsed.TotalMilliseconds:0} ms after A created it.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task ACheckInOnOneInstanceIsPublishedToTheOthersLivePages()
    {
        var cycle = await A.Admin.CreateCycleAsync($"Cycle {Guid.NewGuid():N}"[..20]);
        var team = await A.Admin.CreateTeamAsync($"Growth {Guid.NewGuid():N}");
        var objective = await A.Admin.CreateObjectiveAsync(cycle.Id, team.Id);
        var keyResult = await A.Admin.CreateKeyResultAsync(objective.Id);
        var heard = new TaskCompletionSource<OkrChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        var live = B.Services.GetRequiredService<LiveUpdates>();
        void Hear(OkrChanged change)
        {
            if (change.EntityIds.Contains(keyResult.Id))
            {
                heard.TrySetResult(change);
            }
        }

        live.OkrsChanged += Hear;
        try
        {
            await A.Admin.PostAsync<JsonElement>($"/api/v1/key-results/{keyResult.Id}/check-ins", new { value = 42 });
            var change = await heard.Task.WaitAsync(TimeSpan.FromSeconds(2));
            Assert.Equal(A.OrganisationId, change.OrganisationId);
        }
        finally
        {
            live.OkrsChanged -= Hear;
        }
    }

    [Fact]
    public async Task AHundredCrossingValuesPostedAtOnceToBothInstancesFireEachAlertOnceWithOneWebhook()
    {
        await using var listener = await WebhookListener.StartAsync();
        var channel = await WebhookChannelAsync(listener, "/all-crossing");
        var team = await A.Admin.CreateTeamAsync($"Ops {Guid.NewGuid():N}");
        var kpis = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            var kpi = await A.CreateKpiAsync(team.Id, name: $"Conversion {i}");
            await A.Admin.CreateRuleAsync(AlertArrangements.Rule(kpi.Id, name: $"Conversion {i} critical", channelIds: [channel]));
            kpis.Add(kpi.Id);
        }

        // Ten critical values (below 1) for each KPI, every one of them crossing into critical, half through each instance.
        var start = A.Clock.GetUtcNow().AddMinutes(-10);
        await Task.WhenAll(Enumerable.Range(0, 100).Select(n =>
            (n % 2 == 0 ? A : B).Admin.AddValuesAsync(kpis[n % 10], new KpiValueInput(start.AddSeconds(n), 0.5))));

        await Eventually.FindAsync(() => listener.Requests.Count >= kpis.Count ? listener : null, "a webhook for every KPI's alert");
        await QuietAsync(listener);
        var alerts = new List<AlertDto>();
        foreach (var kpi in kpis)
        {
            alerts.Add(Assert.Single(await A.Admin.AlertsOfAsync(kpi, "&pageSize=200")));
        }

        Assert.All(alerts, a => Assert.Equal(AlertState.Firing, a.State));
        var fired = listener.Requests.Select(r => (r.Event, AlertId: AlertIdOf(r))).ToList();
        Assert.Equal(alerts.Select(a => ("alertFiring", a.Id)).Order(), fired.Select(f => (f.Event!, f.AlertId)).Order());
    }

    [Fact]
    public async Task ValuesCrossingBackAndForthThroughBothInstancesFireAndResolveEachAlertOnceWithOneWebhookEach()
    {
        await using var listener = await WebhookListener.StartAsync();
        var channel = await WebhookChannelAsync(listener, "/back-and-forth");
        var team = await A.Admin.CreateTeamAsync($"Sales {Guid.NewGuid():N}");
        var kpi = await A.CreateKpiAsync(team.Id, name: "Win rate");
        await A.Admin.CreateRuleAsync(AlertArrangements.Rule(kpi.Id, name: "Win rate critical", channelIds: [channel]));

        // A hundred values, each crossing: critical (0.5) through A and healthy (5) a second later through B, each pair
        // sent at once. Which of a pair lands first decides whether that critical spell is seen at all, so the number of
        // alerts varies; what may not vary is that each alert fires once and resolves once, each with one webhook. Every
        // tenth pair is sent one value after the other, so that its critical spell is always seen.
        var start = A.Clock.GetUtcNow().AddMinutes(-10);
        for (var pair = 0; pair < 50; pair++)
        {
            var critical = A.Admin.AddValuesAsync(kpi.Id, new KpiValueInput(start.AddSeconds(2 * pair), 0.5));
            if (pair % 10 == 0)
            {
                await critical;
            }

            await Task.WhenAll(critical, B.Admin.AddValuesAsync(kpi.Id, new KpiValueInput(start.AddSeconds((2 * pair) + 1), 5)));
        }

        var alerts = await Eventually.FindAsync(async () =>
            await A.Admin.AlertsOfAsync(kpi.Id, "&pageSize=200") is { Count: >= 5 } all && all.All(a => a.State == AlertState.Resolved) &&
            listener.Requests.Count >= 2 * all.Count ? all : null, "every alert resolved, with its webhooks");
        await QuietAsync(listener);

        var received = listener.Requests.Select(r => (r.Event!, AlertIdOf(r))).Order().ToList();
        var expected = alerts.SelectMany(a => new[] { ("alertFiring", a.Id), ("alertResolved", a.Id) }).Order().ToList();
        Assert.Equal(expected, received);
    }

    [Fact]
    public async Task AnAlertFiredThroughOneInstanceIsResolvedByTheOthersNextHealthyValueAtOnce()
    {
        var team = await A.Admin.CreateTeamAsync($"Support {Guid.NewGuid():N}");
        var kpi = await A.CreateKpiAsync(team.Id, name: "Resolution rate");
        await A.Admin.CreateRuleAsync(AlertArrangements.Rule(kpi.Id, name: "Resolution rate critical"));
        var start = A.Clock.GetUtcNow().AddMinutes(-1);
        // B evaluates a healthy value first, so that it knows the rule holds no open alert.
        await B.Admin.AddValuesAsync(kpi.Id, new KpiValueInput(start, 5));

        await A.Admin.AddValuesAsync(kpi.Id, new KpiValueInput(start.AddSeconds(1), 0.5));
        Assert.Equal(AlertState.Firing, Assert.Single(await A.Admin.AlertsOfAsync(kpi.Id)).State);
        // Well within the second after which B would read the open alerts again anyway: only A's notice tells B.
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        await B.Admin.AddValuesAsync(kpi.Id, new KpiValueInput(start.AddSeconds(2), 5));

        Assert.Equal(AlertState.Resolved, Assert.Single(await A.Admin.AlertsOfAsync(kpi.Id)).State);
    }

    private async Task<Guid> WebhookChannelAsync(WebhookListener listener, string path)
    {
        using (var allowed = await A.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/allowed-hosts", new { host = listener.HostAndPort }))
        {
            Assert.Contains(allowed.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
        }

        return (await A.Admin.PostAsync<ChannelDto>("/api/v1/channels", new { name = $"On-call {Guid.NewGuid():N}", kind = "webhook", target = listener.UrlFor(path).ToString() })).Id;
    }

    /// <summary>Waits until neither instance has a delivery left to send, then a little longer for stragglers.</summary>
    private async Task QuietAsync(WebhookListener listener)
    {
        await Eventually.FindAsync(async () => await A.QueryAsync(db => db.Deliveries.AnyAsync(d => d.State == DeliveryState.Pending)) ? null : listener,
            "every delivery sent");
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    private static Guid AlertIdOf(ReceivedRequest request) =>
        JsonDocument.Parse(request.Body).RootElement.GetProperty("alert").GetProperty("id").GetGuid();

    /// <summary>A token for the instance's admin, written through that instance, with its secret.</summary>
    internal static async Task<(Guid Id, string Secret)> IssueTokenAsync(OkapiApp app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        db.OrganisationId = app.OrganisationId;
        var (token, secret) = TokenService.Issue(app.AdminId, "second instance", [TokenScope.Read], null, app.Clock);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync();
        return (token.Id, secret);
    }
}

/// <summary>An instance stopped while it sends a delivery: another instance takes the delivery over once its claim runs out.</summary>
public sealed class InstanceStoppedMidDeliveryTests
{
    [Fact]
    public async Task AnInstanceStoppedMidDeliveryLeavesTheOtherToDeliverItOnceItsClaimRunsOut()
    {
        var (survivor, doomed) = await TwoInstances.StartAsync();
        await using var _ = survivor;
        var receiver = new HoldingReceiver();
        var (app, url) = await Listening.StartHttpAsync(a => a.MapPost("/{**path}", receiver.ReceiveAsync));
        await using var __ = app;
        try
        {
            using (var allowed = await doomed.Admin.SendJsonAsync(HttpMethod.Post, "/api/v1/allowed-hosts", new { host = $"{url.Host}:{url.Port}" }))
            {
                Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
            }

            var channel = await doomed.Admin.PostAsync<ChannelDto>("/api/v1/channels", new { name = "Slow receiver", kind = "webhook", target = new Uri(url, "/slow").ToString() });
            var deliveryId = (await doomed.Admin.PostAsync<ChannelTestDto>($"/api/v1/channels/{channel.Id}/test", new { }, HttpStatusCode.Accepted)).Delivery!.Id;
            // The doomed instance claimed the delivery and is sending it; the receiver holds its answer back.
            await receiver.First.Task.WaitAsync(Eventually.Timeout);

            // Within the claim (5 s here) the survivor leaves the delivery alone.
            survivor.Clock.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Single(receiver.Received);

            await doomed.DisposeAsync();
            Assert.True(await receiver.Aborted.Task.WaitAsync(Eventually.Timeout), "the stopped instance's request was abandoned");
            var stored = await survivor.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{deliveryId}");
            Assert.Equal((DeliveryState.Pending, 0), (stored.State, stored.Attempts));

            // Once the claim has run out, the survivor's next pass takes the delivery and sends it.
            survivor.Clock.Advance(TimeSpan.FromSeconds(4));
            var delivered = await Eventually.FindAsync(async () =>
                await survivor.Admin.GetAsync<DeliveryDto>($"/api/v1/deliveries/{deliveryId}") is { State: DeliveryState.Delivered } d ? d : null, "the survivor's delivery");
            Assert.Equal((1, (string?)null), (delivered.Attempts, delivered.LastError));

            // Once: later passes send nothing more.
            survivor.Clock.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Equal([deliveryId.ToString(), deliveryId.ToString()], receiver.Received.ToList());
            Assert.Equal(1, receiver.Answered);
        }
        finally
        {
            await doomed.DisposeAsync();
        }
    }

    /// <summary>A webhook receiver that never answers the first request (until its sender gives up) and answers the others.</summary>
    private sealed class HoldingReceiver
    {
        private int _answered;

        public ConcurrentQueue<string?> Received { get; } = new();
        public TaskCompletionSource First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<bool> Aborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Answered => _answered;

        public async Task ReceiveAsync(HttpContext http)
        {
            Received.Enqueue(http.Request.Headers["X-Okapi-Delivery"].FirstOrDefault());
            if (First.TrySetResult())
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    Aborted.TrySetResult(true);
                }

                return;
            }

            Interlocked.Increment(ref _answered);
            http.Response.StatusCode = StatusCodes.Status200OK;
        }
    }
}

/// <summary>An instance whose listening connection is lost may have missed notices: once it listens again it trusts no cache.</summary>
public sealed class ListenerReconnectTests
{
    [Fact]
    public async Task AnInstanceThatLostItsListeningConnectionForgetsItsCachesAndRefreshesPagesOnceItListensAgain()
    {
        var (a, b) = await TwoInstances.StartAsync();
        await using var _ = a;
        await using var __ = b;
        var (tokenId, secret) = await SeveralInstancesTests.IssueTokenAsync(a);
        using var onB = b.WithToken(secret);
        using (var before = await onB.GetAsync("/api/v1/teams"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // Revoked behind every instance's back, as if its notice had been lost: B still trusts what it remembers.
        await using (var connection = new NpgsqlConnection(a.ConnectionString))
        {
            await connection.OpenAsync();
            await using var revoke = new NpgsqlCommand("UPDATE \"ApiTokens\" SET \"RevokedAt\" = now() WHERE \"Id\" = @id", connection);
            revoke.Parameters.AddWithValue("id", tokenId);
            Assert.Equal(1, await revoke.ExecuteNonQueryAsync());
        }

        using (var remembered = await onB.GetAsync("/api/v1/teams"))
        {
            Assert.Equal(HttpStatusCode.OK, remembered.StatusCode);
        }

        var listener = b.Services.GetRequiredService<InstanceListener>();
        var connections = listener.Connections;
        var refreshed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var live = b.Services.GetRequiredService<LiveUpdates>();
        void Refreshed(OkrChanged change)
        {
            if (change.OrganisationId == b.OrganisationId)
            {
                refreshed.TrySetResult();
            }
        }

        live.OkrsChanged += Refreshed;
        try
        {
            await using (var connection = new NpgsqlConnection(a.ConnectionString))
            {
                await connection.OpenAsync();
                await using var terminate = new NpgsqlCommand(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name", connection);
                terminate.Parameters.AddWithValue("name", InstanceChanges.ListenerName);
                Assert.Equal(2L, await terminate.ExecuteScalarAsync());
            }

            await Eventually.FindAsync(() => listener.Connections > connections && listener.Listening ? listener : null, "B to listen again");
            await refreshed.Task.WaitAsync(Eventually.Timeout);
        }
        finally
        {
            live.OkrsChanged -= Refreshed;
        }

        using var after = await onB.GetAsync("/api/v1/teams");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}
