using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Sources;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Sources;

/// <summary>
/// A real HTTP server on a free loopback port, answering what a test registers per path; it records the
/// query strings it was asked with, and the headers of each request.
/// </summary>
public sealed class LocalListener : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _answers = new();
    private WebApplication _app = null!;

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Each request's path and its headers, in the order they came.</summary>
    public ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Headers)> Received { get; } = new();
    public Uri BaseUri { get; private set; } = null!;

    public static async Task<LocalListener> StartAsync()
    {
        var listener = new LocalListener();
        (listener._app, listener.BaseUri) = await Listening.StartHttpAsync(app => app.Run(listener.AnswerAsync));
        return listener;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        Requests.Enqueue(context.Request.Path + context.Request.QueryString);
        Received.Enqueue((context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        if (!_answers.TryGetValue(context.Request.Path, out var answer))
        {
            answer = (404, "{}");
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Body);
    }

    public string HostAndPort => $"{BaseUri.Host}:{BaseUri.Port}";

    public string Url(string path) => new Uri(BaseUri, path).ToString();

    public void Answer(string path, int status, string body) => _answers[path] = (status, body);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>Test data the KPI API would create, arranged through the database so these tests stand on their own.</summary>
public static class SourceArrangements
{
    public static async Task<Kpi> AddKpiAsync(this OkapiApp app, Guid teamId, string name, Cadence cadence = Cadence.Weekly,
        PeriodAggregation aggregation = PeriodAggregation.Last, Okapi.Core.Okrs.Visibility visibility = Okapi.Core.Okrs.Visibility.Public, Guid? organisationId = null)
    {
        var kpi = new Kpi
        {
            Name = name,
            Key = $"kpi-{Guid.NewGuid():N}",
            OwnerTeamId = teamId,
            Cadence = cadence,
            Aggregation = aggregation,
            Visibility = visibility,
        };
        return await app.QueryAsync(async db =>
        {
            db.Kpis.Add(kpi);
            await db.SaveChangesAsync();
            return kpi;
        }, organisationId);
    }

    public static Task AddValuesAsync(this OkapiApp app, Guid kpiId, params (DateTimeOffset At, double Value)[] values) =>
        app.QueryAsync(async db =>
        {
            var number = await db.Kpis.Where(k => k.Id == kpiId).Select(k => k.Number).SingleAsync();
            db.KpiValues.AddRange(values.Select(v => new KpiValue { KpiNumber = number, At = v.At.UtcDateTime, Value = v.Value, Source = KpiValueSource.Api }));
            var stored = await db.SaveChangesAsync();
            // Written past ingestion, as a data generator does, so the rollups are made from the values afterwards.
            await KpiRollups.RebuildAsync(db, kpiId, CancellationToken.None);
            return stored;
        });

    public static Task<List<KpiValue>> ValuesAsync(this OkapiApp app, Guid kpiId) =>
        app.QueryAsync(db => db.ValuesOf(kpiId).AsNoTracking().OrderBy(v => v.At).ToListAsync());

    /// <summary>Lets the organisation's outbound calls reach a host that the guard would refuse as internal.</summary>
    public static Task AllowHostAsync(this OkapiApp app, string hostAndPort) =>
        app.QueryAsync(async db =>
        {
            // A later listener of the same fixture may get a port an earlier one had.
            if (await db.AllowedHosts.AnyAsync(h => h.Host == hostAndPort))
            {
                return 0;
            }

            db.AllowedHosts.Add(new AllowedHost { Host = hostAndPort, CreatedAt = app.Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync();
        });

    public static SourceWorker Worker(this OkapiApp app) => app.Services.GetRequiredService<SourceWorker>();
}

/// <summary>A SQLite file with a table of numbers that SQL sources query, named <c>metrics</c> in the configuration.</summary>
public sealed class MetricsDatabase : IDisposable
{
    public const string Name = "metrics";
    private readonly string _folder = Directory.CreateTempSubdirectory("okapi-metrics-").FullName;

    public string ConnectionString => $"Data Source={Path.Combine(_folder, "metrics.db")};Pooling=false";

    public MetricsDatabase()
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE orders (id INTEGER PRIMARY KEY, amount REAL NOT NULL); INSERT INTO orders (amount) VALUES (120.5), (79.5), (300);";
        command.ExecuteNonQuery();
    }

    public void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting($"{SourceConnections.Section}:{Name}:Provider", "Sqlite");
        builder.UseSetting($"{SourceConnections.Section}:{Name}:ConnectionString", ConnectionString);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

/// <summary>
/// Okapi with a metrics database that SQL sources query. Both providers' apps share it: sources only read it, and the
/// tests check that they never change it.
/// </summary>
public sealed class SourcesApps : OkapiApps
{
    public MetricsDatabase Metrics { get; } = new();

    protected override AppOptions Options => new() { Configure = Metrics.Configure };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Metrics.Dispose();
    }
}
