using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
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
