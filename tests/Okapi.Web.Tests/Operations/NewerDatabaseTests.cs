using Microsoft.Data.Sqlite;
using Npgsql;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Operations;

/// <summary>An older Okapi started on a database a newer one migrated: it says so and exits instead of serving.</summary>
public sealed class NewerDatabaseTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task OkapiRefusesToStartOnADatabaseWithAMigrationItDoesNotKnowAndNamesIt(DatabaseProvider provider)
    {
        await using var database = TestDatabase.Create(provider);
        await using (var app = OkapiApp.OnDatabase(provider, database.ConnectionString))
        {
            await app.InitializeAsync();
        }

        const string future = "29991231235959_FromANewerOkapi";
        await ExecuteAsync(provider, database.ConnectionString,
            $"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('{future}', '99.0.0')");

        var (exit, _, error) = await OkapiCommand.RunAsync(provider, database.ConnectionString, []);
        Assert.Equal(1, exit);
        Assert.Contains("does not start", error);
        Assert.Contains(future, error);

        (exit, var output, error) = await OkapiCommand.RunAsync(provider, database.ConnectionString, ["create-token", "--scope", "admin"]);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.Contains(future, error);
    }

    private static async Task ExecuteAsync(DatabaseProvider provider, string connectionString, string sql)
    {
        await using System.Data.Common.DbConnection connection = provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(connectionString)
            : new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
