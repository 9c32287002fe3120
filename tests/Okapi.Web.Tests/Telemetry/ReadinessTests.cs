using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Telemetry;

/// <summary><c>/readyz</c>: a JSON body with the database's and the migrations' status, 503 while either fails.</summary>
public sealed class ReadinessTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task ReadyzIsHealthyWhenTheDatabaseAnswersAndEveryMigrationIsApplied(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var (status, body) = await ReadyzAsync(app);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("migrations").GetProperty("status").GetString());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ReadyzAnswers503NamingAMigrationTheDatabaseLacks(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var latest = await app.QueryAsync(db => Task.FromResult(db.Database.GetMigrations().Last()));
        // As if this build were newer than the database: its latest migration is not applied yet.
        await app.QueryAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {latest}"));

        var (status, body) = await ReadyzAsync(app);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        var migrations = body.GetProperty("checks").GetProperty("migrations");
        Assert.Equal("unhealthy", migrations.GetProperty("status").GetString());
        Assert.Contains(latest, migrations.GetProperty("description").GetString());
    }

    [Fact]
    public async Task ReadyzAnswers503WhenTheDatabaseIsGone()
    {
        await using var app = await StartAsync(DatabaseProvider.Postgres);
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database;
        await using (var connection = new NpgsqlConnection($"{TestDatabase.PostgresServer};Database=postgres"))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        var (status, body) = await ReadyzAsync(app);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("migrations").GetProperty("status").GetString());
    }

    private static async Task<OkapiApp> StartAsync(DatabaseProvider provider)
    {
        var app = new OkapiApp(provider);
        await app.InitializeAsync();
        return app;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyzAsync(OkapiApp app)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/readyz");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
