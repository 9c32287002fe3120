using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>
/// The data layer's plumbing as the host registers it: pooled contexts, and SQLite's pragmas once per physical
/// connection. Each test has its own database and its own services, so that the pool it looks at is its own.
/// </summary>
public sealed class DataContextTests
{
    [Theory, OnEveryDatabase]
    public async Task ARentedContextSeesNoOrganisationAndRecordsNoActorWhateverThePreviousScopeSet(DatabaseProvider provider)
    {
        await using var database = TestDatabase.Create(provider);
        await using var services = Services(provider, database.ConnectionString);
        OkapiDbContext previous;
        using (var scope = services.CreateScope())
        {
            previous = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            (previous.OrganisationId, previous.ActorId, previous.ActorName, previous.AuditReason) = (Guid.NewGuid(), Guid.NewGuid(), "Ada", "Grade override");
        }

        using (var scope = services.CreateScope())
        {
            var next = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            Assert.Same(previous, next); // the same pooled instance, or this test would prove nothing
            Assert.Equal((Guid.Empty, (Guid?)null, (string?)null, (string?)null), (next.OrganisationId, next.ActorId, next.ActorName, next.AuditReason));
        }
    }

    [Theory, OnEveryDatabase]
    public async Task APooledContextUsesTheHostsClockAndInterceptors(DatabaseProvider provider)
    {
        await using var database = TestDatabase.Create(provider);
        var clock = new FakeTimeProvider(OkapiApp.Start);
        var queries = new QueryCount();
        await using var services = Services(provider, database.ConnectionString, s => s.AddSingleton<TimeProvider>(clock).AddSingleton<IInterceptor>(queries));
        using (var scope = services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<OkapiDbContext>().Database.MigrateAsync();
        }

        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            var before = queries.Count;
            await db.Teams.CountAsync();
            Assert.Same(clock, db.Clock);
            Assert.Equal(before + 1, queries.Count);
        }
    }

    [Fact]
    public async Task APooledReopenRunsNoPragmasAgainYetEveryConnectionHasForeignKeysAndNormalSynchronous()
    {
        await using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        var pooled = new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = true }.ToString();
        try
        {
            await using var services = Services(DatabaseProvider.Sqlite, pooled);
            using var scope = services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            var handle = connection.Handle;
            Assert.Equal("journal_mode=wal synchronous=1 foreign_keys=1 busy_timeout=5000",
                await PragmasAsync(connection, "journal_mode", "synchronous", "foreign_keys", "busy_timeout"));

            // A mark that the pragmas would overwrite if a reopen ran them again.
            await PragmasAsync(connection, "busy_timeout=1234");
            await db.Database.CloseConnectionAsync();
            await db.Database.OpenConnectionAsync();
            Assert.Same(handle, connection.Handle);
            Assert.Equal("busy_timeout=1234 synchronous=1 foreign_keys=1", await PragmasAsync(connection, "busy_timeout", "synchronous", "foreign_keys"));

            // A second physical connection, opened while the first is busy, gets them too.
            using var otherScope = services.CreateScope();
            var other = otherScope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            var otherConnection = (SqliteConnection)other.Database.GetDbConnection();
            await other.Database.OpenConnectionAsync();
            Assert.NotSame(handle, otherConnection.Handle);
            Assert.Equal("synchronous=1 foreign_keys=1 busy_timeout=5000", await PragmasAsync(otherConnection, "synchronous", "foreign_keys", "busy_timeout"));
            await other.Database.CloseConnectionAsync();
            await db.Database.CloseConnectionAsync();
        }
        finally
        {
            using var connection = new SqliteConnection(pooled);
            SqliteConnection.ClearPool(connection);
        }
    }

    [Fact]
    public async Task AWriterThatAbandonsItsTransactionOnAnOpenConnectionLetsTheNextWriterInOnceItsScopeEnds()
    {
        await using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        await using var services = Services(DatabaseProvider.Sqlite, database.ConnectionString);
        using (var scope = services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<OkapiDbContext>().Database.MigrateAsync();
        }

        DbConnection abandoned;
        using (var scope = services.CreateScope())
        {
            var abandoning = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            abandoned = abandoning.Database.GetDbConnection();
            await abandoning.Database.OpenConnectionAsync();
            await using (await abandoning.Database.BeginTransactionAsync())
            {
                abandoning.Organisations.Add(new Organisation { Name = "Never committed", Slug = "never-committed" });
                await abandoning.SaveChangesAsync();
            }
        }

        // The pool hands the abandoning context out again: a bystander takes it, so that the next writer has another
        // connection and must find the gate free rather than held by its own connection.
        using var bystander = services.CreateScope();
        Assert.Same(abandoned, bystander.ServiceProvider.GetRequiredService<OkapiDbContext>().Database.GetDbConnection());

        // The gate waits up to five seconds for a writer that never lets go; the next writer must not need that.
        var started = Stopwatch.GetTimestamp();
        using (var scope = services.CreateScope())
        {
            var next = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            Assert.NotSame(abandoned, next.Database.GetDbConnection());
            next.Organisations.Add(new Organisation { Name = "Committed", Slug = "committed" });
            await next.SaveChangesAsync();
            Assert.Equal(["Committed"], await next.Organisations.Select(o => o.Name).ToListAsync());
        }

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(4), $"the next writer waited {Stopwatch.GetElapsedTime(started)}");
    }

    [Fact]
    public async Task ManyWritersAtOnceAllCommitInTurn()
    {
        await using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        await using var services = Services(DatabaseProvider.Sqlite, database.ConnectionString);
        using (var scope = services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<OkapiDbContext>().Database.MigrateAsync();
        }

        // Single saves, explicit transactions and bulk updates, all at once: the gate must neither deadlock nor drop one.
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            using var scope = services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
            db.Organisations.Add(new Organisation { Name = $"Writer {i}", Slug = $"writer-{i}" });
            if (i % 3 == 0)
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
            }
            else
            {
                await db.SaveChangesAsync();
            }

            if (i % 3 == 1)
            {
                await db.Organisations.Where(o => o.Name == $"Writer {i}").ExecuteUpdateAsync(s => s.SetProperty(o => o.Name, $"Writer {i} renamed"));
            }
        })));

        using var check = services.CreateScope();
        var names = await check.ServiceProvider.GetRequiredService<OkapiDbContext>().Organisations.Select(o => o.Name).ToListAsync();
        Assert.Equal(60, names.Count);
        Assert.Equal(20, names.Count(n => n.EndsWith(" renamed", StringComparison.Ordinal)));
    }

    private static ServiceProvider Services(DatabaseProvider provider, string connectionString, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Okapi:Database:Provider"] = provider.ToString(),
            ["Okapi:Database:ConnectionString"] = connectionString,
        }).Build();
        var services = new ServiceCollection();
        more?.Invoke(services);
        services.AddOkapiData(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Each pragma's answer on this connection, as <c>name=value</c> separated by spaces.</summary>
    private static async Task<string> PragmasAsync(SqliteConnection connection, params string[] pragmas)
    {
        var answers = new List<string>();
        foreach (var pragma in pragmas)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA " + pragma;
            answers.Add($"{pragma}={await command.ExecuteScalarAsync()}");
        }

        return string.Join(' ', answers);
    }

    private sealed class QueryCount : DbCommandInterceptor
    {
        private int _count;

        public int Count => _count;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }
    }
}
