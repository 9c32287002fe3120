using Npgsql;
using Okapi.Data;

namespace Okapi.Web.Tests.Infrastructure;

/// <summary>
/// A database of one app's own: a temporary SQLite file, or a fresh database on the PostgreSQL server named by
/// <c>OKAPI_TEST_POSTGRES</c> (started by test.sh). Disposing it deletes it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly DatabaseProvider _provider;

    /// <summary>The SQLite file's folder, or the PostgreSQL database's name.</summary>
    private readonly string _place;

    private TestDatabase(DatabaseProvider provider, string place, string connectionString)
    {
        _provider = provider;
        _place = place;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>Connections per app; requests beyond it wait for one, as they do in production at the pool's limit.</summary>
    public const int MaxPoolSize = 20;

    /// <summary>The server test.sh started; without it the PostgreSQL tests fail rather than pass silently.</summary>
    public static string PostgresServer => Environment.GetEnvironmentVariable("OKAPI_TEST_POSTGRES") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException("OKAPI_TEST_POSTGRES is not set: run ./test.sh, which starts a throwaway PostgreSQL server.");

    public static TestDatabase Create(DatabaseProvider provider)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var folder = Directory.CreateTempSubdirectory("okapi-test-").FullName;
                return new TestDatabase(provider, folder, $"Data Source={Path.Combine(folder, "okapi.db")};Pooling=false");
            case DatabaseProvider.Postgres:
                var database = $"okapi_test_{Guid.NewGuid():N}";
                // Test classes run side by side, each app with a pool of its own: at Npgsql's default of 100 connections per
                // pool, one burst of concurrent requests could take every connection the server allows from the others.
                return new TestDatabase(provider, database, $"{PostgresServer};Database={database};Maximum Pool Size={MaxPoolSize}");
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "No test database for this provider.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider == DatabaseProvider.Sqlite)
        {
            Directory.Delete(_place, recursive: true);
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection($"{PostgresServer};Database=postgres");
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_place}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
