using Npgsql;
using Okapi.Data;
using Okapi.Reference;

namespace Okapi.Bench;

/// <summary>
/// The fresh database the bench's Okapi runs on: SQLite in the bench's temporary data folder, or a PostgreSQL database
/// with a name of its own on the given server, created here and dropped at the end.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? _server;

    public ReferenceDatabase Okapi { get; }
    public DatabaseProvider Provider => Okapi.Provider;
    public string DataFolder => Okapi.DataFolder;

    /// <summary>The connection string Okapi itself resolves from its settings.</summary>
    public string ConnectionString => new DatabaseOptions { Provider = Provider, DataFolder = DataFolder, ConnectionString = Okapi.ConnectionString }.ResolveConnectionString();

    public string Name => NameOf(Provider);

    public static string NameOf(DatabaseProvider provider) => provider == DatabaseProvider.Sqlite ? "SQLite" : "PostgreSQL";

    private BenchDatabase(ReferenceDatabase okapi, string? server)
    {
        Okapi = okapi;
        _server = server;
    }

    public static async Task<BenchDatabase> CreateAsync(DatabaseProvider provider, string? server, string dataFolder)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            return new(new ReferenceDatabase(provider, dataFolder, null), null);
        }

        var database = new NpgsqlConnectionStringBuilder(server) { Database = $"okapi_bench_{Guid.NewGuid():N}"[..24] };
        await ExecuteAsync(server!, $"CREATE DATABASE \"{database.Database}\"");
        return new(new ReferenceDatabase(provider, dataFolder, database.ConnectionString), server);
    }

    public string Describe() => Provider == DatabaseProvider.Sqlite
        ? $"a fresh SQLite database in {DataFolder}"
        : $"a fresh PostgreSQL database {new NpgsqlConnectionStringBuilder(Okapi.ConnectionString).Database}";

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            // The bench's own pooled connections would keep the database in use; Okapi's process has ended by now.
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(Okapi.ConnectionString).Database}\" WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
