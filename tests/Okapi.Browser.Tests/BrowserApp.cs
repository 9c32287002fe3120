using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Okapi.Browser.Tests.Pages;
using Okapi.Core.Access;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;

namespace Okapi.Browser.Tests;

/// <summary>
/// Okapi with the demo organisation on a real Kestrel port and a temporary SQLite file, and Debian's Chromium
/// driven by Playwright. One per test class; each test opens its own browser contexts.
/// </summary>
public class BrowserApp : IAsyncLifetime
{
    public const string AdminEmail = "admin@okapi.test";
    public const string Password = "browser-tests-password";
    public const string Chromium = "/usr/bin/chromium";

    private readonly string _folder = Directory.CreateTempSubdirectory("okapi-browser-").FullName;
    private WebApplicationFactory<Program>? _factory;
    private readonly ServerLog _serverLog = new();
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public IServiceProvider Services => _factory!.Services;

    /// <summary>The app's clock: what tests date their values by, so that they hold under <c>OKAPI_TEST_NOW</c> too.</summary>
    public DateTimeOffset Now => Services.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <summary>Where screenshots go: test-output/screenshots at the repository root (not committed).</summary>
    public static string ScreenshotFolder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Okapi.slnx")))
            {
                dir = dir.Parent;
            }

            var folder = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "test-output", "screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    public async Task InitializeAsync()
    {
        // A shared machine runs builds beside the tests: give the pages time rather than flake.
        Assertions.SetDefaultExpectTimeout(15_000);
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: run ./test.sh, which installs Debian's chromium package.");
        }

        await StartingAsync();

        (_factory, BaseUrl) = StartInstance(demo: true);
        await StartedAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Starts Okapi on a real Kestrel port with the settings every test app has; with <paramref name="demo"/> it fills the demo organisation.</summary>
    protected (WebApplicationFactory<Program> Factory, string BaseUrl) StartInstance(bool demo)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            UseDatabase(b);
            b.UseSetting("Okapi:AdminEmail", AdminEmail);
            b.UseSetting("Okapi:AdminPassword", Password);
            b.UseSetting("Okapi:Demo", demo.ToString());
            // Every test signs in through the form, more often than the default limit of a real client allows.
            b.UseSetting("Okapi:SignInAttemptsPerMinute", "1000");
            b.ConfigureLogging(logging => logging.AddProvider(_serverLog));
            // The demo and every page follow the app's clock: OKAPI_TEST_NOW runs them as if it were another day.
            if (Environment.GetEnvironmentVariable("OKAPI_TEST_NOW") is { Length: > 0 } now)
            {
                var offset = DateTimeOffset.Parse(now, CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow;
                b.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(new ShiftedClock(offset)));
            }

            Configure(b);
        });
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return (factory, factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>The database: a temporary SQLite file, unless a variant uses another.</summary>
    protected virtual void UseDatabase(IWebHostBuilder builder)
    {
        builder.UseSetting("Okapi:Database:Provider", "Sqlite");
        builder.UseSetting("Okapi:Database:ConnectionString", $"Data Source={Path.Combine(_folder, "okapi.db")}");
    }

    /// <summary>Runs before the app starts: a variant starts what the app talks to (an SMTP listener, …).</summary>
    protected virtual Task StartingAsync() => Task.CompletedTask;

    /// <summary>Runs once the app has started: a variant starts another instance beside it.</summary>
    protected virtual Task StartedAsync() => Task.CompletedTask;

    /// <summary>A variant's settings, on top of the ones every test app has.</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    /// <summary>A new browser context (its own cookies) at the given width, collecting console errors.</summary>
    public async Task<Session> NewSessionAsync(int width = 1280, int height = 900, string? baseUrl = null)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, BaseURL = baseUrl ?? BaseUrl });
        context.SetDefaultTimeout(15_000);
        _serverLog.Attach(context);
        var page = await context.NewPageAsync();
        var session = new Session(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                session.ConsoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => session.ConsoleErrors.Add(error);
        return session;
    }

    /// <summary>Gives a person of the demo organisation a password, so that they can sign in.</summary>
    public async Task<string> PersonWithPasswordAsync(string email)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Account>>();
        var account = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No account {email}.");
        await users.RemovePasswordAsync(account);
        await users.AddPasswordAsync(account, Password);
        return email;
    }

    /// <summary>An admin API token, for arranging data through the REST API.</summary>
    public async Task<HttpClient> AdminApiAsync()
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        var admin = await db.People.IgnoreQueryFilters().SingleAsync(p => p.Email == AdminEmail);
        db.OrganisationId = admin.OrganisationId;
        var (token, secret) = TokenService.Issue(admin.Id, "browser tests", [TokenScope.Admin], null, TimeProvider.System);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync();
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>One browser context with its page and the console errors it logged.</summary>
public sealed class Session(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;
    public IPage Page { get; } = page;
    public List<string> ConsoleErrors { get; } = [];

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

/// <summary>The system clock moved by a fixed offset: it runs on from the moment it was set to.</summary>
internal sealed class ShiftedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
