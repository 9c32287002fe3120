using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Tests.Infrastructure;

/// <summary>
/// Okapi on a real database, reached through HTTP. Each fixture gets its own database: a temporary SQLite
/// file, or a fresh database on the PostgreSQL server named by <c>OKAPI_TEST_POSTGRES</c> (started by test.sh).
/// </summary>
public abstract class OkapiApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@okapi.test";
    public const string AdminPassword = "correct-horse-battery";

    /// <summary>The clock every test starts from: mid-February, inside the 2027 Q1 cycle.</summary>
    public static readonly DateTimeOffset Start = new(2027, 2, 15, 12, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);
    public HttpClient Admin { get; private set; } = null!;
    public Guid OrganisationId { get; private set; }
    public Guid AdminId { get; private set; }

    protected abstract DatabaseProvider Provider { get; }
    public abstract string ConnectionString { get; }
    protected virtual bool Demo => false;

    /// <summary>
    /// Whether the scheduled jobs run on the app's own timer. Off by default: the fake clock fires that timer whenever a
    /// test moves it, so a test that runs the jobs itself would race it; tests run passes with <c>JobRunner.RunDueAsync</c>.
    /// </summary>
    protected virtual bool RunsJobsOnItsOwn => false;

    /// <summary>Whether <c>Okapi:Smtp</c> points at a real SMTP listener (<see cref="Smtp"/>) started with the app.</summary>
    protected virtual bool WithSmtp => false;

    private SmtpSink? _smtp;

    /// <summary>The SMTP listener that receives Okapi's email; only for apps that set <see cref="WithSmtp"/>.</summary>
    public SmtpSink Smtp => _smtp ?? throw new InvalidOperationException($"{GetType().Name} has no SMTP listener: override WithSmtp.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Okapi:Database:Provider", Provider.ToString());
        builder.UseSetting("Okapi:Database:ConnectionString", ConnectionString);
        builder.UseSetting("Okapi:AdminEmail", AdminEmail);
        builder.UseSetting("Okapi:AdminPassword", AdminPassword);
        builder.UseSetting("Okapi:TimeZone", "Europe/Berlin");
        builder.UseSetting("Okapi:Demo", Demo.ToString());
        builder.UseSetting("Okapi:Jobs:Enabled", RunsJobsOnItsOwn.ToString());
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
        _smtp?.Configure(builder);
    }

    public virtual async Task InitializeAsync()
    {
        if (WithSmtp)
        {
            _smtp = new SmtpSink();
            await _smtp.StartAsync();
        }

        _ = Server; // starts the host: migrations and the first organisation
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        var admin = db.People.IgnoreQueryFilters().Single(p => p.Email == AdminEmail);
        OrganisationId = admin.OrganisationId;
        AdminId = admin.Id;
        Admin = await ClientForAsync(admin.Id, TokenScope.Admin);
    }

    /// <summary>A client with a bearer token of the given scopes for an existing person.</summary>
    public async Task<HttpClient> ClientForAsync(Guid personId, params TokenScope[] scopes)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        var person = db.People.IgnoreQueryFilters().Single(p => p.Id == personId);
        db.OrganisationId = person.OrganisationId;
        var (token, secret) = TokenService.Issue(personId, "test", [.. scopes], null, Clock);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync();
        return WithToken(secret);
    }

    public HttpClient WithToken(string? secret)
    {
        var client = CreateClient();
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        return client;
    }

    /// <summary>Creates a second organisation with its own admin, as the create-organisation command does.</summary>
    public async Task<(Guid OrganisationId, HttpClient Admin)> CreateOrganisationAsync(string name)
    {
        using var scope = Services.CreateScope();
        var bootstrap = scope.ServiceProvider.GetRequiredService<Bootstrap>();
        var (organisation, admin, _) = await bootstrap.CreateOrganisationAsync(name, "UTC", "Other admin", $"admin@{Guid.NewGuid():N}.test", "another-password-1", CancellationToken.None);
        return (organisation.Id, await ClientForAsync(admin.Id, TokenScope.Admin));
    }

    /// <summary>Runs a query against the database directly, scoped to an organisation (for "nothing was stored" checks).</summary>
    public async Task<T> QueryAsync<T>(Func<OkapiDbContext, Task<T>> query, Guid? organisationId = null)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        db.OrganisationId = organisationId ?? OrganisationId;
        return await query(db);
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }
    }
}

public class SqliteApp : OkapiApp
{
    private readonly string _folder = Directory.CreateTempSubdirectory("okapi-test-").FullName;

    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    public override string ConnectionString => $"Data Source={Path.Combine(_folder, "okapi.db")};Pooling=false";

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

public class PostgresApp : OkapiApp
{
    private readonly string _database = $"okapi_test_{Guid.NewGuid():N}";

    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override string ConnectionString => $"{ServerConnectionString};Database={_database}";

    /// <summary>The server test.sh started; without it these tests fail rather than pass silently.</summary>
    public static string ServerConnectionString => Environment.GetEnvironmentVariable("OKAPI_TEST_POSTGRES") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException("OKAPI_TEST_POSTGRES is not set: run ./test.sh, which starts a throwaway PostgreSQL server.");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection($"{ServerConnectionString};Database=postgres");
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>Okapi started with the demo organisation, as the README's run command does.</summary>
public sealed class SqliteDemoApp : SqliteApp
{
    protected override bool Demo => true;
}

public sealed class PostgresDemoApp : PostgresApp
{
    protected override bool Demo => true;
}
