using System.Data.Common;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Access;

/// <summary>
/// One organisation with a resource of every kind and a person of every role, plus a second organisation with its
/// own admin: what the authorisation matrix calls every endpoint against.
/// </summary>
public sealed class MatrixWorld
{
    /// <summary>Resource ids by the route segment that names them ("teams" → the team): the route's {id} is filled from the segment before it.</summary>
    public Dictionary<string, Guid> Ids { get; } = [];

    /// <summary>Ids that callers other than admins (and the board team) must never see: a private objective of a team they are not in, and its key result.</summary>
    public List<Guid> Private { get; } = [];

    /// <summary>The app the world lives in.</summary>
    public required OkapiApp App { get; init; }

    public required HttpClient Admin { get; init; }
    public required HttpClient Viewer { get; init; }
    public required HttpClient Member { get; init; }
    public required HttpClient Lead { get; init; }
    public required HttpClient ReadToken { get; init; }
    public required HttpClient IngestToken { get; init; }
    public required HttpClient UnknownToken { get; init; }
    public required HttpClient Anonymous { get; init; }
    public required HttpClient OtherAdmin { get; init; }
    public Guid OrganisationId { get; init; }
}

/// <summary>Arranges the matrix's world and tells whether a request changed anything.</summary>
public static class MatrixArrangements
{
    public static async Task<MatrixWorld> ArrangeMatrixAsync(this OkapiApp app)
    {
        var admin = app.Admin;
        var viewer = await admin.CreatePersonAsync("Vera Viewer", Role.Viewer);
        var member = await admin.CreatePersonAsync("Max Member", Role.Member);
        var lead = await admin.CreatePersonAsync("Lee Lead", Role.Member);
        var (_, otherAdmin) = await app.CreateOrganisationAsync("Elsewhere");

        var world = new MatrixWorld
        {
            App = app,
            Admin = admin,
            Viewer = await app.ClientForAsync(viewer.Id, TokenScope.Read, TokenScope.Write),
            Member = await app.ClientForAsync(member.Id, TokenScope.Read, TokenScope.Write),
            Lead = await app.ClientForAsync(lead.Id, TokenScope.Read, TokenScope.Write),
            // The admin's own tokens: a refusal of these is the scope's, never the role's.
            ReadToken = await app.ClientForAsync(app.AdminId, TokenScope.Read),
            IngestToken = await app.ClientForAsync(app.AdminId, TokenScope.KpiIngest),
            UnknownToken = app.WithToken("okapi_not-a-real-token-at-all"),
            Anonymous = app.WithToken(null),
            OtherAdmin = otherAdmin,
            OrganisationId = app.OrganisationId,
        };
        var ids = world.Ids;
        ids["people"] = member.Id;
        ids["lead"] = lead.Id;

        // Everyone but the admin is in the product team, so the viewer is refused for their role, not for being an outsider.
        ids["teams"] = await IdAsync(admin, "/api/v1/teams", new
        {
            name = "Product",
            members = new object[] { new { personId = lead.Id, isLead = true }, new { personId = member.Id, isLead = false }, new { personId = viewer.Id, isLead = false } },
        });
        var board = await IdAsync(admin, "/api/v1/teams", new { name = "Board" });
        ids["cycles"] = (await admin.CreateCycleAsync("2027 Q1")).Id;
        var cycle = ids["cycles"];
        ids["objectives"] = await IdAsync(admin, "/api/v1/objectives", new { title = "Delight our customers", cycleId = cycle, ownerTeamId = ids["teams"], state = "active" });
        var parent = await IdAsync(admin, "/api/v1/objectives", new { title = "Be the customers' favourite", cycleId = cycle, ownerTeamId = board, state = "active" });
        ids["parents"] = await IdAsync(admin, $"/api/v1/objectives/{ids["objectives"]}/parents", new { parentObjectiveId = parent });
        ids["key-results"] = await IdAsync(admin, "/api/v1/key-results", new
        {
            objectiveId = ids["objectives"],
            title = "Raise satisfaction from 30 % to 50 %",
            type = "increaseTo",
            unit = "%",
            start = 30,
            target = 50,
            ownerPersonId = member.Id,
        });
        ids["check-ins"] = await IdAsync(admin, $"/api/v1/key-results/{ids["key-results"]}/check-ins", new { value = 35, confidence = "onTrack" });
        ids["initiatives"] = await IdAsync(admin, "/api/v1/initiatives", new { objectiveId = ids["objectives"], title = "Call ten customers a week" });
        // Max writes the comment and mentions Vera: the comment is Max's to edit, the notification and inbox item Vera's.
        ids["comments"] = await IdAsync(world.Member, "/api/v1/comments", new { objectiveId = ids["objectives"], body = $"@[Vera Viewer](person:{viewer.Id}) please have a look" });
        ids["notifications"] = await app.QueryAsync(db => db.Notifications.Where(n => n.PersonId == viewer.Id).Select(n => n.Id).FirstAsync());
        ids["inbox"] = await app.QueryAsync(db => db.InboxItems.Where(i => i.PersonId == viewer.Id).Select(i => i.Id).FirstAsync());

        var privateObjective = await IdAsync(admin, "/api/v1/objectives", new { title = "Prepare the acquisition", cycleId = cycle, ownerTeamId = board, state = "active", visibility = "private" });
        world.Private.Add(privateObjective);
        world.Private.Add(await IdAsync(admin, "/api/v1/key-results", new
        {
            objectiveId = privateObjective,
            title = "Sign the term sheet",
            type = "milestone",
            start = 0,
            target = 1,
        }));

        ids["channels"] = await IdAsync(admin, "/api/v1/channels", new { name = "In the app", kind = "inApp" });
        ids["kpis"] = await IdAsync(admin, "/api/v1/kpis", new
        {
            name = "Satisfaction",
            ownerTeamId = ids["teams"],
            unit = "%",
            direction = "higherIsBetter",
            cadence = "daily",
            aggregation = "last",
            criticalLower = 20,
        });
        using (var value = await admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/kpis/{ids["kpis"]}/values", new { at = app.Clock.GetUtcNow().AddHours(-1), value = 10 }))
        {
            Assert.True(value.IsSuccessStatusCode, await value.Content.ReadAsStringAsync());
        }

        ids["alert-rules"] = await IdAsync(admin, "/api/v1/alert-rules", new { kpiId = ids["kpis"], name = "Too low", kind = "threshold", thresholdLevel = "critical", channelIds = new[] { ids["channels"] } });
        ids["alerts"] = await app.QueryAsync(db => db.Alerts.Where(a => a.RuleId == ids["alert-rules"]).Select(a => a.Id).FirstAsync());
        ids["allowed-hosts"] = await IdAsync(admin, "/api/v1/allowed-hosts", new { host = "metrics.intranet" });
        ids["kpi-sources"] = await IdAsync(admin, "/api/v1/kpi-sources", new { kpiId = ids["kpis"], kind = "httpJson", schedule = "0 * * * *", url = "https://metrics.intranet/satisfaction", jsonPath = "$.value" });
        using (var test = await admin.SendJsonAsync(HttpMethod.Post, $"/api/v1/channels/{ids["channels"]}/test", new { }))
        {
            Assert.True(test.IsSuccessStatusCode, await test.Content.ReadAsStringAsync());
        }

        ids["deliveries"] = await app.QueryAsync(db => db.Deliveries.Select(d => d.Id).FirstAsync());
        ids["tokens"] = await app.QueryAsync(async db =>
        {
            // A second token of Max's: revoking it leaves the one Max calls with.
            var (token, _) = TokenService.Issue(member.Id, "spare", [TokenScope.Read], null, app.Clock);
            db.ApiTokens.Add(token);
            await db.SaveChangesAsync();
            return token.Id;
        });

        // Max asks Lee to review a draft of the product team.
        var draft = await IdAsync(admin, "/api/v1/objectives", new { title = "Win back churned customers", cycleId = cycle, ownerTeamId = ids["teams"], state = "draft" });
        ids["reviews"] = await IdAsync(world.Member, $"/api/v1/objectives/{draft}/review", new { reviewerId = lead.Id }, HttpStatusCode.Created);

        // A closed cycle of the past, for the closing routes.
        var past = await IdAsync(admin, "/api/v1/cycles", new { name = "2026 Q4", start = "2026-10-01", end = "2026-12-31", kind = "quarter", state = "active" });
        ids["closings"] = await IdAsync(admin, $"/api/v1/cycles/{past}/closings", new { });

        foreach (var (name, id) in ids)
        {
            Assert.True(id != Guid.Empty, $"the arrangement has no {name}");
        }

        return world;
    }

    private static async Task<Guid> IdAsync(HttpClient client, string url, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var created = await client.PostAsync<JsonElement>(url, body, expected);
        return (created.TryGetProperty("id", out var id) ? id : created.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Object).Value.GetProperty("id")).GetGuid();
    }

    /// <summary>
    /// Row counts of every table (audit events included) and the states that change without a row being added:
    /// equal before and after a refused request means it changed nothing.
    /// </summary>
    public static async Task<string> FingerprintAsync(this OkapiApp app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        var tables = db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct().Order().ToList();
        var counts = string.Join(", ", tables.Select(t => $"(SELECT COUNT(*) FROM \"{t}\")"));
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {counts}";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var parts = tables.Select((t, i) => $"{t}={reader.GetValue(i)}").ToList();
        await reader.DisposeAsync();
        parts.Add($"read={await db.Notifications.IgnoreQueryFilters().CountAsync(n => n.ReadAt != null)}");
        parts.Add($"resolved={await db.InboxItems.IgnoreQueryFilters().CountAsync(i => i.ResolvedAt != null)}");
        parts.Add($"revoked={await db.ApiTokens.IgnoreQueryFilters().CountAsync(t => t.RevokedAt != null)}");
        parts.Add($"objectives={await db.Objectives.IgnoreQueryFilters().SumAsync(o => o.Version)}");
        parts.Add($"key-results={await db.KeyResults.IgnoreQueryFilters().SumAsync(k => k.Version)}");
        parts.Add($"sources={await db.KpiSources.IgnoreQueryFilters().CountAsync(k => k.LockedUntil != null || k.LastRunAt != null)}");
        return string.Join(" ", parts);
    }
}

/// <summary>Okapi with the matrix's world arranged once per provider: the matrix's checks only read it or change nothing.</summary>
public sealed class MatrixApps : OkapiApps
{
    private readonly PerProvider<MatrixWorld> _worlds;

    public MatrixApps() => _worlds = new PerProvider<MatrixWorld>(async provider => await (await StartAsync(provider)).ArrangeMatrixAsync());

    public Task<MatrixWorld> WorldAsync(DatabaseProvider provider) => _worlds.GetAsync(provider);
}
