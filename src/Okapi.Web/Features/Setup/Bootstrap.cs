using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Closing;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Setup;

using Organisation = Okapi.Core.Organisations.Organisation;

/// <summary>Configuration section <c>Okapi</c>: first-start organisation, admin and demo data.</summary>
public sealed class BootstrapOptions
{
    public string OrganisationName { get; set; } = "My organisation";
    public string TimeZone { get; set; } = "UTC";
    public string AdminEmail { get; set; } = "admin@okapi.local";
    public string AdminName { get; set; } = "Administrator";

    /// <summary>If empty, a password is generated and printed once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Fill the first organisation with the demo OKRs.</summary>
    public bool Demo { get; set; }
}

/// <summary>Applies migrations and, on an empty database, creates the first organisation and its admin.</summary>
public sealed class Bootstrap(OkapiDbContext db, UserManager<Account> users, TimeProvider clock, IServiceProvider services, ILogger<Bootstrap> log)
{
    public async Task RunAsync(BootstrapOptions options, CancellationToken ct)
    {
        await db.Database.MigrateAsync(ct);
        if (await db.Organisations.AnyAsync(ct))
        {
            await KpiRollups.RebuildIfMissingAsync(db, ct);
            return;
        }

        var name = options.Demo ? "Acme Outfitters" : options.OrganisationName;
        var (organisation, admin, password) = await CreateOrganisationAsync(name, options.TimeZone, options.AdminName, options.AdminEmail, options.AdminPassword, ct);
        if (password is not null)
        {
            // Printed once, on purpose: there is no other way to learn a generated first password. Standard error
            // keeps the standard output of commands such as create-token to their result alone.
            Console.Error.WriteLine($"Okapi: created admin {admin.Email} with password {password} (change it after signing in).");
        }

        if (options.Demo)
        {
            await new DemoData(db, users, clock, services.GetRequiredService<Caller>(), services.GetRequiredService<ClosingService>()).SeedAsync(organisation, admin, ct);
            // The demo writes its values straight into the table, so their rollups are made from them afterwards.
            await KpiRollups.RebuildAsync(db, ct);
            log.LogInformation("Seeded the demo organisation {Name}", organisation.Name);
        }
    }

    /// <summary>Creates an organisation with its company team and first admin; returns the generated password, if any.</summary>
    public async Task<(Organisation Organisation, Person Admin, string? GeneratedPassword)> CreateOrganisationAsync(
        string name, string timeZone, string adminName, string adminEmail, string? adminPassword, CancellationToken ct)
    {
        if (await users.FindByEmailAsync(adminEmail) is not null)
        {
            throw new InvalidOperationException($"Someone already signs in as {adminEmail}.");
        }

        var slug = Slug(name);
        var taken = await db.Organisations.CountAsync(o => o.Slug == slug || o.Slug.StartsWith(slug + "-"), ct);
        var organisation = new Organisation
        {
            Name = name,
            Slug = taken == 0 ? slug : $"{slug}-{taken + 1}",
            TimeZone = timeZone,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Organisations.Add(organisation);
        db.OrganisationId = organisation.Id;
        var admin = new Person { Name = adminName, Email = adminEmail, Role = Role.Admin };
        db.People.Add(admin);
        db.Teams.Add(new Team { Name = name, Mission = "The whole company.", Members = [new TeamMembership { PersonId = admin.Id, IsLead = true }] });
        await db.SaveChangesAsync(ct);

        var password = string.IsNullOrWhiteSpace(adminPassword) ? GeneratePassword() : adminPassword;
        var account = new Account { Id = admin.Id, OrganisationId = organisation.Id, UserName = adminEmail, Email = adminEmail, EmailConfirmed = true };
        var result = await users.CreateAsync(account, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Cannot create the admin account: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        if (string.IsNullOrWhiteSpace(adminPassword))
        {
            await services.GetRequiredService<PasswordService>().RequireChangeAsync(account);
        }

        await transaction.CommitAsync(ct);
        return (organisation, admin, string.IsNullOrWhiteSpace(adminPassword) ? password : null);
    }

    private static string GeneratePassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', 'x').Replace('/', 'y');

    private static string Slug(string name)
    {
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var slug = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length == 0 ? "organisation" : slug[..Math.Min(slug.Length, 60)];
    }
}
