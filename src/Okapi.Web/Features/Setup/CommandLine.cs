using Microsoft.EntityFrameworkCore;
using Okapi.Core.Access;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Setup;

using Organisation = Okapi.Core.Organisations.Organisation;

/// <summary>
/// Administrative commands run instead of the server (<see cref="Usage"/> lists them): each prints only its result on
/// standard output, what went wrong on standard error, and exits 2 on a bad argument.
/// </summary>
public sealed class CommandLine
{
    public const string Usage = """
        Usage: Okapi.Web [command] [options]   (without a command, Okapi serves)

        Commands, run against the configured database (Okapi:Database):
          create-token --scope <read|write|kpi:ingest|admin> [--scope ...] [--name ci] [--email someone@example.com] [--expires-in-days N]
              Prints a new API token of the first admin, or of the person signing in with --email.
          create-organisation --name "Acme" --admin-email a@acme.example [--admin-name "Ada"] [--time-zone Europe/Berlin]
              Creates another organisation and prints its admin's password.
          backup --output <file> [--force]
              Takes a consistent backup while Okapi runs: SQLite's online backup, or pg_dump --format=custom on PostgreSQL.
              --force replaces an existing file.
          restore --input <file> [--force]
              Restores a backup into the configured database; stop Okapi first. A database that is not empty is
              replaced only with --force.
          healthcheck [--url http://127.0.0.1:8080/healthz]
              Exits 0 when the server running beside it answers /healthz, 1 otherwise (for container health checks,
              where no curl is at hand); without --url it asks the first of ASPNETCORE_HTTP_PORTS (8080 if unset).
          help
              Prints this text.
        """;

    // The options each command takes; those mapped to true are flags without a value.
    private static readonly Dictionary<string, Dictionary<string, bool>> Commands = new()
    {
        ["create-token"] = new() { ["name"] = false, ["scope"] = false, ["email"] = false, ["expires-in-days"] = false },
        ["create-organisation"] = new() { ["name"] = false, ["admin-email"] = false, ["admin-name"] = false, ["time-zone"] = false },
        ["backup"] = new() { ["output"] = false, ["force"] = true },
        ["restore"] = new() { ["input"] = false, ["force"] = true },
        ["healthcheck"] = new() { ["url"] = false },
        ["help"] = [],
    };

    private readonly string _name;
    private readonly ILookup<string, string> _options;
    private readonly string? _error;

    private CommandLine(string name, ILookup<string, string> options, string? error) => (_name, _options, _error) = (name, options, error);

    public static CommandLine? Parse(string[] args)
    {
        var name = args.Length == 0 ? null : args[0] is "--help" or "-h" ? "help" : args[0];
        if (name is null || !Commands.TryGetValue(name, out var known))
        {
            return null;
        }

        var pairs = new List<(string, string)>();
        for (var i = 1; i < args.Length; i++)
        {
            var option = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (option is null || !known.TryGetValue(option, out var flag))
            {
                return new CommandLine(name, pairs.ToLookup(p => p.Item1, p => p.Item2), $"{name} does not take '{args[i]}'.");
            }

            if (!flag && (i + 1 == args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal)))
            {
                return new CommandLine(name, pairs.ToLookup(p => p.Item1, p => p.Item2), $"--{option} needs a value.");
            }

            pairs.Add((option, flag ? "true" : args[++i]));
        }

        return new CommandLine(name, pairs.ToLookup(p => p.Item1, p => p.Item2), null);
    }

    public async Task<int> RunAsync(IServiceProvider services)
    {
        if (_name == "help")
        {
            await Console.Out.WriteLineAsync(Usage);
            return 0;
        }

        if (_error is not null)
        {
            return await BadArgumentAsync(_error);
        }

        if (_name == "healthcheck")
        {
            // Asks the server that runs beside it; this process touches no database.
            return await CheckHealthAsync(services.GetRequiredService<IConfiguration>());
        }

        // Backup and restore work on the database as it is: migrating it or making a first organisation would change
        // what is backed up and make an empty database to restore into look used.
        if (_name is "backup" or "restore")
        {
            await using var backupScope = services.CreateAsyncScope();
            var backup = new DatabaseBackup(backupScope.ServiceProvider.GetRequiredService<OkapiDbContext>(), services.GetRequiredService<DatabaseOptions>());
            var force = _options["force"].Any();
            try
            {
                return _name == "backup"
                    ? _options["output"].FirstOrDefault() is { } output ? await backup.BackupAsync(output, force, CancellationToken.None) : await BadArgumentAsync("backup needs --output <file>.")
                    : _options["input"].FirstOrDefault() is { } input ? await backup.RestoreAsync(input, force, CancellationToken.None) : await BadArgumentAsync("restore needs --input <file>.");
            }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // A database out of reach, a full disk, a tool that cannot run: the command failed, said in one line.
                await Console.Error.WriteLineAsync($"{_name} failed: {e.Message}");
                return 1;
            }
        }

        if (!await services.BootstrapAsync())
        {
            return 1;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        try
        {
            return _name == "create-token"
                ? await CreateTokenAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>())
                : await CreateOrganisationAsync(scope.ServiceProvider.GetRequiredService<Bootstrap>());
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static async Task<int> BadArgumentAsync(string message)
    {
        await Console.Error.WriteLineAsync(message + Environment.NewLine + Environment.NewLine + Usage);
        return 2;
    }

    private async Task<int> CreateTokenAsync(OkapiDbContext db, TimeProvider clock)
    {
        var email = _options["email"].FirstOrDefault();
        var people = db.People.IgnoreQueryFilters();
        var person = email is null
            ? await people.Where(p => p.Role == Role.Admin).OrderBy(p => p.CreatedAt).FirstOrDefaultAsync()
            : await people.FirstOrDefaultAsync(p => p.Email == email);
        if (person is null)
        {
            throw new InvalidOperationException(email is null ? "There is no admin yet." : $"No person signs in as {email}.");
        }

        var scopes = _options["scope"].Select(name => (Name: name, Scope: ParseScope(name))).DistinctBy(s => s.Scope).ToList();
        if (scopes.Count == 0)
        {
            throw new ArgumentException("Give at least one --scope: read, write, kpi:ingest or admin.");
        }

        // The person as they act when signed in: the command grants no more than they could grant themselves in the app.
        var owner = new Actor(person.Id, person.OrganisationId, person.Role, []);
        if (scopes.FirstOrDefault(s => !owner.MayGrant(s.Scope)).Name is { } refused)
        {
            throw new ArgumentException($"{person.Email} is a {person.Role.ToString().ToLowerInvariant()} and cannot hold a token with the '{refused}' scope.");
        }

        db.OrganisationId = person.OrganisationId;
        db.ActorId = person.Id;
        db.ActorName = "create-token";
        var days = _options["expires-in-days"].Select(int.Parse).FirstOrDefault();
        var (token, secret) = TokenService.Issue(person.Id, _options["name"].FirstOrDefault() ?? "cli", scopes.Select(s => s.Scope).ToList(),
            days > 0 ? clock.GetUtcNow().UtcDateTime.AddDays(days) : null, clock);
        token.OrganisationId = person.OrganisationId;
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync();
        Console.WriteLine(secret);
        return 0;
    }

    private async Task<int> CreateOrganisationAsync(Bootstrap bootstrap)
    {
        var name = _options["name"].FirstOrDefault() ?? throw new ArgumentException("--name is required.");
        var email = _options["admin-email"].FirstOrDefault() ?? throw new ArgumentException("--admin-email is required.");
        var zone = _options["time-zone"].FirstOrDefault() ?? "UTC";
        if (!Organisation.IsKnownTimeZone(zone))
        {
            throw new ArgumentException($"Unknown time zone {zone}.");
        }

        var (_, _, password) = await bootstrap.CreateOrganisationAsync(name, zone, _options["admin-name"].FirstOrDefault() ?? "Administrator", email, null, CancellationToken.None);
        Console.WriteLine(password);
        return 0;
    }

    private async Task<int> CheckHealthAsync(IConfiguration configuration)
    {
        var port = configuration["HTTP_PORTS"]?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "8080";
        var url = _options["url"].FirstOrDefault() ?? $"http://127.0.0.1:{port}/healthz";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(url);
            Console.WriteLine($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException or NotSupportedException)
        {
            await Console.Error.WriteLineAsync($"{url}: {e.Message}");
            return 1;
        }
    }

    private static TokenScope ParseScope(string value) => value switch
    {
        "read" => TokenScope.Read,
        "write" => TokenScope.Write,
        "kpi:ingest" => TokenScope.KpiIngest,
        "admin" => TokenScope.Admin,
        _ => throw new ArgumentException($"Unknown scope '{value}': use read, write, kpi:ingest or admin."),
    };
}
