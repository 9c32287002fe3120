using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Okapi.Data;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Tests.Infrastructure;
using Okapi.Web.Tests.Kpis;

namespace Okapi.Web.Tests.Operations;

/// <summary>The backup and restore commands, run as their own processes beside a serving Okapi, on every provider.</summary>
public sealed class BackupTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("okapi-backup-").FullName;

    [Theory]
    [OnEveryDatabase]
    public async Task ABackupTakenWhileValuesArePostedRestoresIntoAFreshDatabaseWithEveryValueAcknowledgedBeforeIt(DatabaseProvider provider)
    {
        await using var app = new OkapiApp(provider);
        await app.InitializeAsync();
        var team = await app.Admin.CreateTeamAsync("Backed up");
        var kpi = await app.Admin.CreateKpiAsync(KpiArrangements.Request("Backed up leads", team.Id));
        var first = app.Clock.GetUtcNow().AddDays(-20);

        // Writers post values one request at a time, each at its own instant, until the backup has finished.
        var acknowledged = new ConcurrentQueue<int>();
        var next = 0;
        using var stop = new CancellationTokenSource();
        async Task WriteAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref next);
                await app.Admin.AddValuesAsync(kpi.Id, new { at = first.AddSeconds(n), value = (double)n });
                acknowledged.Enqueue(n);
            }
        }

        var writers = new[] { WriteAsync(), WriteAsync(), WriteAsync() };
        while (acknowledged.Count < 100)
        {
            await Task.Delay(10);
        }

        var beforeBackup = acknowledged.ToArray();
        var file = Path.Combine(_folder, "okapi.backup");
        var (exit, _, error) = await OkapiCommand.RunAsync(provider, app.ConnectionString, ["backup", "--output", file]);
        var whenBackupEnded = acknowledged.Count;
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.True(exit == 0, error);
        Assert.True(whenBackupEnded > beforeBackup.Length, "no value was written while the backup ran");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(file));
        Assert.False(File.Exists(file + ".partial"));

        await using var fresh = TestDatabase.Create(provider);
        (exit, _, error) = await OkapiCommand.RunAsync(provider, fresh.ConnectionString, ["restore", "--input", file]);
        Assert.True(exit == 0, error);
        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.Equal("ok", await IntegrityCheckAsync(fresh.ConnectionString));
        }

        await using var restored = OkapiApp.OnDatabase(provider, fresh.ConnectionString);
        await restored.InitializeAsync();
        var series = await restored.Admin.GetAsync<KpiSeriesDto>(
            $"/api/v1/kpis/{kpi.Id}/values?from={Uri.EscapeDataString(first.ToString("O"))}&to={Uri.EscapeDataString(first.AddDays(1).ToString("O"))}&maxPoints=10000");
        var values = series.Points.Select(p => (int)p.Value).ToHashSet();
        var missing = beforeBackup.Where(n => !values.Contains(n)).Order().ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {beforeBackup.Length} values acknowledged before the backup are missing, such as {string.Join(", ", missing.Take(10))}");
        Assert.All(series.Points, p => Assert.Equal(first.AddSeconds(p.Value), p.At));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task RestoreRefusesADatabaseInUseWithoutForceAndReplacesItWithForce(DatabaseProvider provider)
    {
        await using var app = new OkapiApp(provider);
        await app.InitializeAsync();
        await app.Admin.CreateTeamAsync("In the backup");
        var file = Path.Combine(_folder, "okapi.backup");
        var (exit, _, error) = await OkapiCommand.RunAsync(provider, app.ConnectionString, ["backup", "--output", file]);
        Assert.True(exit == 0, error);

        await using var other = TestDatabase.Create(provider);
        await using (var used = OkapiApp.OnDatabase(provider, other.ConnectionString))
        {
            await used.InitializeAsync();
            await used.Admin.CreateTeamAsync("Only in the other database");
        }

        (exit, var output, error) = await OkapiCommand.RunAsync(provider, other.ConnectionString, ["restore", "--input", file]);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains("is not empty", error);
        Assert.Contains("--force", error);
        Assert.Equal(["Only in the other database"], await TeamNamesAsync(provider, other.ConnectionString));

        if (provider == DatabaseProvider.Postgres)
        {
            // As if a newer version had added a table: a restore of an older backup must not leave it behind.
            await using var connection = new Npgsql.NpgsqlConnection(other.ConnectionString);
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand("CREATE TABLE \"FromANewerVersion\" (\"Id\" int)", connection);
            await create.ExecuteNonQueryAsync();
        }

        (exit, _, error) = await OkapiCommand.RunAsync(provider, other.ConnectionString, ["restore", "--input", file, "--force"]);
        Assert.True(exit == 0, error);
        Assert.Equal(["In the backup"], await TeamNamesAsync(provider, other.ConnectionString));
        if (provider == DatabaseProvider.Postgres)
        {
            await using var connection = new Npgsql.NpgsqlConnection(other.ConnectionString);
            await connection.OpenAsync();
            await using var exists = new Npgsql.NpgsqlCommand("SELECT to_regclass('public.\"FromANewerVersion\"') IS NOT NULL", connection);
            Assert.False((bool)(await exists.ExecuteScalarAsync())!);
        }
    }

    [Fact]
    public async Task ARestoreIntoADatabaseOutOfReachFailsWithExitCodeOneAndSaysWhy()
    {
        var file = Path.Combine(_folder, "any.backup");
        await File.WriteAllTextAsync(file, "not read");
        var (exit, output, error) = await OkapiCommand.RunAsync(DatabaseProvider.Postgres, "Host=127.0.0.1;Port=1;Username=postgres;Database=nowhere;Timeout=3", ["restore", "--input", file]);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.StartsWith("restore failed:", error.Trim());
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("backup", "--output")]
    [InlineData("restore")]
    [InlineData("restore", "--input", "okapi.backup", "--everything")]
    [InlineData("restore", "--input", "no-such-backup")]
    public async Task ABadArgumentIsRefusedWithExitCodeTwoAndSaysWhy(params string[] args)
    {
        await using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var (exit, output, error) = await OkapiCommand.RunAsync(DatabaseProvider.Sqlite, database.ConnectionString, args);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Matches("needs|does not take|There is no backup", error);
    }

    [Fact]
    public async Task HelpListsEveryCommand()
    {
        await using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var (exit, output, _) = await OkapiCommand.RunAsync(DatabaseProvider.Sqlite, database.ConnectionString, ["--help"]);
        Assert.Equal(0, exit);
        Assert.All(new[] { "create-token", "create-organisation", "backup --output", "restore --input" }, command => Assert.Contains(command, output));
    }

    private static async Task<string?> IntegrityCheckAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string?)await command.ExecuteScalarAsync();
    }

    /// <summary>The teams other than the organisation's own, read by an app started on the database.</summary>
    private static async Task<string[]> TeamNamesAsync(DatabaseProvider provider, string connectionString)
    {
        await using var app = OkapiApp.OnDatabase(provider, connectionString);
        await app.InitializeAsync();
        var names = await app.QueryAsync(db => db.Teams.Select(t => t.Name).ToListAsync());
        return [.. names.Where(n => n != "My organisation").Order()];
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
