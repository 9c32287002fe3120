using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Okapi.Data;

/// <summary>
/// Keeps SQLite's query planner statistics current, as SQLite recommends for long-lived applications: at start and
/// then every few hours, <c>PRAGMA optimize</c> analyses the tables that were never analysed or whose size changed
/// a lot since, each on a sample of rows (<c>analysis_limit</c>), which takes a fraction of a second even on a
/// database of gigabytes. Without statistics SQLite cannot tell a selective index (a key result's check-ins) from an
/// unselective one (every row of the organisation) and may scan the organisation for one key result. A pooled
/// connection keeps the statistics it read when it opened, so the pool is cleared after an analysis. PostgreSQL's
/// autovacuum analyses by itself.
/// </summary>
internal sealed class SqliteStatistics(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SqliteStatistics> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(3);

    // Samples of fewer rows make composite and mostly-null indexes look unselective and the planner falls back to the
    // organisation's index; ten thousand rows per index keep the estimates close and the whole pass well under a second.
    private const string Limit = "PRAGMA analysis_limit=10000;";

    // 0x10000: every table, not only those this connection used; 0x02: analyse those that need it; 0x01: only list them.
    private const string WhatToAnalyse = "PRAGMA optimize=0x10003;";
    private const string Analyse = "PRAGMA optimize=0x10002;";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await OptimizeAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Updating SQLite's statistics failed; trying again later.");
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

    private async Task OptimizeAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using (var limit = connection.CreateCommand())
            {
                limit.CommandText = Limit;
                await limit.ExecuteNonQueryAsync(ct);
            }

            var tables = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = WhatToAnalyse;
                await using var reader = await list.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    tables.Add(reader.GetString(0));
                }
            }

            if (tables.Count == 0)
            {
                return;
            }

            await using (var analyse = connection.CreateCommand())
            {
                analyse.CommandText = Analyse;
                await analyse.ExecuteNonQueryAsync(ct);
            }

            log.LogInformation("Updated SQLite's statistics: {Statements}", string.Join(" ", tables));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        SqliteConnection.ClearPool(connection);
    }
}
