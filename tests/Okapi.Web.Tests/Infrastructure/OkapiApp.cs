using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Okapi.Core.Access;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Setup;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Tests.Infrastructure;

/// <summary>How an app differs from the plain one: demo data, an SMTP listener, its own job timer, extra services.</summary>
public sealed record AppOptions
{
    /// <summary>Okapi started with the demo organisation, as the README's run command does.</summary>
    public bool Demo { get; init; }

    /// <summary>
    /// Whether the scheduled jobs run on the app's own timer. Off by default: the fake clock fires that timer whenever a
    /// test moves it, so a test that runs the jobs itself would race it; tests run passes with <c>JobRunner.RunDueAsync</c>.
    /// </summary>
    public bool RunsJobsOnItsOwn { get; init; }

    /// <summary>Whether <c>Okapi:Smtp</c> points at a real SMTP listener (<see cref="OkapiApp.Smtp"/>) started with the app.</summary>
    public bool WithSmtp { get; init; }

    /// <summary>
    /// Whether the app listens on a real loopback port (<see cref="OkapiApp.BaseUrl"/>), for clients in another process
    /// such as a Prometheus server; otherwise it is reached in memory.
    /// </summary>
    public bool OnRealPort { get; init; }

    /// <summary>
    /// Where the app's clock starts instead of <see cref="OkapiApp.Start"/>, e.g. the real time for a receiver that
    /// compares a request's timestamp with its own clock.
    /// </summary>
    public DateTimeOffset? ClockStart { get; init; }

    /// <summary>More host configuration: extra services, settings.</summary>
    public Action<IWebHostBuilder>? Configure { get; init; }
}

/// <summary>
/// Okapi on a real database, reached through HTTP. Each app gets its own database (<see cref="TestDatabase"/>) unless it
/// is a <see cref="SecondInstance"/> on another app's.
/// </summary>
public sealed class OkapiApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@okapi.test";
    public const string AdminPassword = "correct-horse-battery";

    /// <summary>The clock every test starts from: mid-February, inside the 2027 Q1 cycle.</summary>
    public static readonly DateTimeOffset Start = new(2027, 2, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly AppOptions _options;
    private readonly TestDatabase? _ownDatabase;
    private SmtpSink? _smtp;
    private Uri? _baseUrl;

    public OkapiApp(DatabaseProvider provider, AppOptions? options = null)
        : this(provider, options ?? new AppOptions(), TestDatabase.Create(provider), connectionString: null)
    {
    }

    private OkapiApp(DatabaseProvider provider, AppOptions options, TestDatabase? ownDatabase, string? connectionString)
    {
        Provider = provider;
        _options = options;
        _ownDatabase = ownDatabase;
        ConnectionString = connectionString ?? ownDatabase!.ConnectionString;
        Clock = new FakeTimeProvider(options.ClockStart ?? Start);
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public FakeTimeProvider Clock { get; }
    public HttpClient Admin { get; private set; } = null!;
    public Guid OrganisationId { get; private set; }
    public Guid AdminId { get; private set; }

    /// <summary>Where the app listens, for apps started <see cref="AppOptions.OnRealPort"/>.</summary>
    public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("This app has no real port: start it with AppOptions.OnRealPort.");

    /// <summary>The SMTP listener that receives Okapi's email; only for apps started <see cref="AppOptions.WithSmtp"/>.</summary>
    public SmtpSink Smtp => _smtp ?? throw new InvalidOperationException("This app has no SMTP listener: start it with AppOptions.WithSmtp.");

    /// <summary>An app on a database the caller made and disposes, such as one a backup was restored into.</summary>
    public static OkapiApp OnDatabase(DatabaseProvider provider, string connectionString) =>
        new(provider, new AppOptions(), ownDatabase: null, connectionString);

    /// <summary>
    /// A second app instance on this app's database, as after a restart or beside it behind a load balancer; with
    /// <paramref name="ownTimer"/> it runs the scheduled jobs on its own timer, as a deployed instance does. The caller
    /// initialises and disposes it; disposing it leaves the database to this app. <paramref name="connectionOptions"/> are
    /// added to its connection string (e.g. a smaller pool); <paramref name="configure"/> adds host settings.
    /// </summary>
    public OkapiApp SecondInstance(bool ownTimer = false, string? connectionOptions = null, Action<IWebHostBuilder>? configure = null) =>
        new(Provider, new AppOptions { RunsJobsOnItsOwn = ownTimer, Configure = configure }, ownDatabase: null,
            connectionOptions is null ? ConnectionString : $"{ConnectionString};{connectionOptions}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Okapi:Database:Provider", Provider.ToString());
        builder.UseSetting("Okapi:Database:ConnectionString", ConnectionString);
        builder.UseSetting("Okapi:AdminEmail", AdminEmail);
        builder.UseSetting("Okapi:AdminPassword", AdminPassword);
        builder.UseSetting("Okapi:TimeZone", "Europe/Berlin");
        builder.UseSetting("Okapi:Demo", _options.Demo.ToString());
        builder.UseSetting("Okapi:Jobs:Enabled", _options.RunsJobsOnItsOwn.ToString());
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddHttpContextAccessor();
            services.AddSingleton<StatementCounter>();
            services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<StatementCounter>());
        });
        _smtp?.Configure(builder);
        _options.Configure?.Invoke(builder);
    }

    public async Task InitializeAsync()
    {
        if (_options.WithSmtp)
        {
            _smtp = new SmtpSink();
            await _smtp.StartAsync();
        }

        // Starting the host runs the migrations and creates the first organisation.
        if (_options.OnRealPort)
        {
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            StartServer();
            _baseUrl = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }
        else
        {
            _ = Server;
        }

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

    /// <summary>
    /// The SQL statements that <paramref name="request"/> ran on the server, sent with <paramref name="client"/> (a
    /// fresh key marks its requests, so that background work and other requests are not counted).
    /// </summary>
    /// <param name="callerRemembered">
    /// Whether the app may know who is calling from its <see cref="CallerCache"/>, as it does for a client's requests
    /// within a second of each other. By default the cache is cleared first, so that a count does not depend on how
    /// quickly the test reached it.
    /// </param>
    public async Task<IReadOnlyList<string>> StatementsOfAsync(HttpClient client, Func<HttpClient, Task<HttpResponseMessage>> request, bool callerRemembered = false)
    {
        if (!callerRemembered)
        {
            Services.GetRequiredService<CallerCache>().Clear();
        }

        var key = Guid.NewGuid().ToString("N");
        client.DefaultRequestHeaders.Remove(StatementCounter.Header);
        client.DefaultRequestHeaders.Add(StatementCounter.Header, key);
        try
        {
            using var response = await request(client);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        }
        finally
        {
            client.DefaultRequestHeaders.Remove(StatementCounter.Header);
        }

        return Services.GetRequiredService<StatementCounter>().Of(key);
    }

    /// <summary>
    /// Runs work in a DI scope of the app's organisation, as the app's background passes do, and returns its result
    /// and the statements it ran, counted as a request's are: under a request context that carries the counter's header.
    /// </summary>
    public async Task<(T Result, IReadOnlyList<string> Statements)> StatementsOfAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        var key = Guid.NewGuid().ToString("N");
        var accessor = Services.GetRequiredService<IHttpContextAccessor>();
        var context = new DefaultHttpContext();
        context.Request.Headers[StatementCounter.Header] = key;
        accessor.HttpContext = context;
        try
        {
            using var scope = Services.CreateScope();
            scope.ServiceProvider.GetRequiredService<OkapiDbContext>().OrganisationId = OrganisationId;
            var result = await work(scope.ServiceProvider);
            return (result, Services.GetRequiredService<StatementCounter>().Of(key));
        }
        finally
        {
            accessor.HttpContext = null;
        }
    }

    /// <summary>The statements of work that returns nothing, run as <see cref="StatementsOfAsync{T}"/> runs it.</summary>
    public async Task<IReadOnlyList<string>> StatementsOfAsync(Func<IServiceProvider, Task> work) =>
        (await StatementsOfAsync(async services =>
        {
            await work(services);
            return true;
        })).Statements;

    /// <summary>Runs a query against the database directly, scoped to an organisation (for "nothing was stored" checks).</summary>
    public async Task<T> QueryAsync<T>(Func<OkapiDbContext, Task<T>> query, Guid? organisationId = null)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        db.OrganisationId = organisationId ?? OrganisationId;
        return await query(db);
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }

        if (_ownDatabase is not null)
        {
            await _ownDatabase.DisposeAsync();
        }
    }
}
