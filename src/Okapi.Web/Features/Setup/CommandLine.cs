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
/// Administrative commands run instead of the server:
/// <c>create-token --name ci --scope admin [--scope read] [--email someone@example.com]</c> prints only the token;
/// <c>create-organisation --name "Acme" --admin-email a@acme.example [--time-zone Europe/Berlin]</c> prints the admin's password;
/// <c>healthcheck [--url http://127.0.0.1:8080/healthz]</c> exits 0 when the running server answers <c>/healthz</c>, 1
/// otherwise (for container health checks, where no curl is at hand); without <c>--url</c> it asks the first of
/// <c>ASPNETCORE_HTTP_PORTS</c> (8080 if unset) on this machine.
/// </summary>
public sealed class CommandLine
{
    private readonly string _name;
    private readonly ILookup<string, string> _options;

    private CommandLine(string name, ILookup<string, string> options) => (_name, _options) = (name, options);

    public static CommandLine? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("create-token" or "create-organisation" or "healthcheck"))
        {
            return null;
        }

        var pairs = new List<(string, string)>();
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            pairs.Add((args[i].TrimStart('-'), args[i + 1]));
        }

        return new CommandLine(args[0], pairs.ToLookup(p => p.Item1, p => p.Item2));
    }

    public async Task<int> RunAsync(IServiceProvider services)
    {
        if (_name == "healthcheck")
        {
            // Asks the server that runs beside it; this process touches no database.
            return await CheckHealthAsync(services.GetRequiredService<IConfiguration>());
        }

        await services.BootstrapAsync();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        try
        {
            return _name == "create-token"
                ? await CreateTokenAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>())
                : await CreateOrganisationAsync(scope.ServiceProvider.GetRequiredService<Bootstrap>());
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
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
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
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
