using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Okapi.Core;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

public sealed record PersonFilter(Guid? Team, Role? Role, string? Search);

/// <summary>People and their sign-in accounts, for the API and the pages alike.</summary>
public sealed class PersonService(OkapiDbContext db, Caller caller, UserManager<Account> users, IOptions<OidcOptions> oidc)
{
    public async Task<Page<PersonDto>> ListAsync(PersonFilter filter, PageRequest page, CancellationToken ct)
    {
        var query = db.People.AsNoTracking();
        if (filter.Team is { } t) query = query.Where(p => db.TeamMemberships.Any(m => m.PersonId == p.Id && m.TeamId == t));
        if (filter.Role is { } r) query = query.Where(p => p.Role == r);
        if (!string.IsNullOrWhiteSpace(filter.Search)) query = query.Where(p => p.Name.ToLower().Contains(filter.Search.ToLower()) || p.Email.ToLower().Contains(filter.Search.ToLower()));
        var (items, total) = await page.ApplyAsync(query.OrderBy(p => p.Name).ThenBy(p => p.Id), ct);
        return new Page<PersonDto>(await ToDtosAsync(items, ct), page.Number, page.Size, total);
    }

    public Task<Outcome<PersonDto>> MeAsync(CancellationToken ct) => GetAsync(caller.PersonId, ct);

    public async Task<Outcome<PersonDto>> GetAsync(Guid id, CancellationToken ct) =>
        await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) is { } person ? (await ToDtosAsync([person], ct))[0] : Failure.NotFound;

    public async Task<Outcome<PersonDto>> CreateAsync(PersonRequest request, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Failure.Forbidden("Only admins manage people.");
        }

        var missing = new ValidationErrors();
        var person = new Person { Name = request.Name?.Trim() ?? "", Email = request.Email?.Trim() ?? "", Role = missing.Required(request.Role, "role"), RemindersEnabled = request.RemindersEnabled ?? true, DigestEnabled = request.DigestEnabled ?? true };
        var errors = person.Validate().Include(missing);
        RefusePasswordWhileSwitchedOff(request, errors);
        var existing = errors.IsValid ? await users.FindByEmailAsync(person.Email) : null;
        if (errors.IsValid && await IsTakenHereAsync(person.Email, existing, exceptId: null, ct))
        {
            errors.Add("email", "Someone already signs in with this email.");
        }

        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.People.Add(person);
        await db.SaveChangesAsync(ct);
        if (existing is not null)
        {
            // The email signs in to another organisation. Refusing would tell this organisation's admin that the
            // address has an account somewhere, so the person is added as asked, as Perdoo or Tability answer an
            // invitation the same way whoever it goes to; they are in the directory (owner, reminders by email)
            // but sign in only where their account is, since one email signs in to one organisation.
            await transaction.CommitAsync(ct);
            return (await ToDtosAsync([person], ct))[0];
        }

        var account = new Account { Id = person.Id, OrganisationId = db.OrganisationId, UserName = person.Email, Email = person.Email, EmailConfirmed = true };
        var result = request.Password is { } password ? await users.CreateAsync(account, password) : await users.CreateAsync(account);
        if (!result.Succeeded)
        {
            return PasswordRefused(result);
        }

        await transaction.CommitAsync(ct);
        return (await ToDtosAsync([person], ct))[0];
    }

    /// <summary>The caller turns their own reminders or digest on or off; no admin needed.</summary>
    public async Task<Outcome<PersonDto>> UpdateNotificationsAsync(NotificationSettingsRequest request, CancellationToken ct)
    {
        var person = await db.People.FirstOrDefaultAsync(p => p.Id == caller.PersonId, ct);
        if (person is null)
        {
            return Failure.NotFound;
        }

        person.RemindersEnabled = request.RemindersEnabled ?? person.RemindersEnabled;
        person.DigestEnabled = request.DigestEnabled ?? person.DigestEnabled;
        await db.SaveChangesAsync(ct);
        return (await ToDtosAsync([person], ct))[0];
    }

    public async Task<Outcome<PersonDto>> UpdateAsync(Guid id, PersonRequest request, IfMatch expectedVersion, CancellationToken ct)
    {
        var person = await db.People.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (person is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.IsAdmin, "Only admins manage people.", db, person, expectedVersion) is { } refused)
        {
            return refused;
        }

        var wasAdmin = person.Role == Role.Admin;
        person.Name = request.Name?.Trim() ?? "";
        person.Email = request.Email?.Trim() ?? "";
        var missing = new ValidationErrors();
        person.Role = missing.Required(request.Role, "role");
        person.RemindersEnabled = request.RemindersEnabled ?? person.RemindersEnabled;
        person.DigestEnabled = request.DigestEnabled ?? person.DigestEnabled;
        var errors = person.Validate().Include(missing);
        RefusePasswordWhileSwitchedOff(request, errors);
        var account = await users.FindByIdAsync(id.ToString());
        var other = errors.IsValid ? await users.FindByEmailAsync(person.Email) : null;
        if (errors.IsValid && await IsTakenHereAsync(person.Email, other?.Id == id ? null : other, exceptId: id, ct))
        {
            errors.Add("email", "Someone else already signs in with this email.");
        }

        if (wasAdmin && person.Role != Role.Admin && !await db.People.AnyAsync(p => p.Role == Role.Admin && p.Id != id, ct))
        {
            errors.Add("role", "The organisation needs at least one admin.");
        }

        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (account is not null)
        {
            // An email that signs in to another organisation is taken without saying so (see CreateAsync); the
            // account keeps signing in with its old email.
            if (other is null || other.Id == id)
            {
                account.Email = account.UserName = person.Email;
            }

            var updated = await users.UpdateAsync(account);
            if (!updated.Succeeded)
            {
                return Failure.Invalid("email", string.Join(" ", updated.Errors.Select(e => e.Description)));
            }
            if (request.Password is { } password)
            {
                await users.RemovePasswordAsync(account);
                var result = await users.AddPasswordAsync(account, password);
                if (!result.Succeeded)
                {
                    return PasswordRefused(result);
                }
            }
        }

        await transaction.CommitAsync(ct);
        return (await ToDtosAsync([person], ct))[0];
    }

    public async Task<Outcome<Done>> DeleteAsync(Guid id, IfMatch expectedVersion, CancellationToken ct)
    {
        var person = await db.People.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (person is null)
        {
            return Failure.NotFound;
        }

        if (Failure.Refuse(caller.IsAdmin, "Only admins manage people.", db, person, expectedVersion) is { } refused)
        {
            return refused;
        }

        if (person.Role == Role.Admin && !await db.People.AnyAsync(p => p.Role == Role.Admin && p.Id != id, ct))
        {
            return Failure.Conflict("The organisation needs at least one admin.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.People.Remove(person);
        await db.SaveChangesAsync(ct);
        if (await users.FindByIdAsync(id.ToString()) is { } account)
        {
            await users.DeleteAsync(account);
        }

        await transaction.CommitAsync(ct);
        return new Done();
    }

    /// <summary>
    /// Whether someone in this organisation already has <paramref name="email"/>: a person here, or the account found
    /// for it when that account is here. An account in another organisation does not count, and is not told.
    /// </summary>
    private async Task<bool> IsTakenHereAsync(string email, Account? account, Guid? exceptId, CancellationToken ct)
    {
        if (account is not null && account.OrganisationId == db.OrganisationId)
        {
            return true;
        }

        var upper = email.ToUpperInvariant();
        return await db.People.AnyAsync(p => p.Id != exceptId && p.Email.ToUpper() == upper, ct);
    }

    /// <summary>Where everyone signs in with single sign-on, a password set here could never be used.</summary>
    private void RefusePasswordWhileSwitchedOff(PersonRequest request, ValidationErrors errors)
    {
        if (request.Password is not null && oidc.Value.PasswordsDisabled)
        {
            errors.Add("password", "Passwords are switched off on this server: people sign in with single sign-on.");
        }
    }

    /// <summary>Identity's password rules, as a validation failure; the open transaction rolls back.</summary>
    private static Failure PasswordRefused(IdentityResult result) =>
        Failure.Invalid("password", string.Join(" ", result.Errors.Select(e => e.Description)));

    private async Task<IReadOnlyList<PersonDto>> ToDtosAsync(IReadOnlyList<Person> people, CancellationToken ct)
    {
        var ids = people.Select(p => p.Id).ToList();
        var teams = (await db.TeamMemberships.AsNoTracking().Where(m => ids.Contains(m.PersonId)).ToListAsync(ct)).ToLookup(m => m.PersonId, m => m.TeamId);
        return people.Select(p => new PersonDto(p.Id, p.Name, p.Email, p.Role, teams[p.Id].ToList(), p.RemindersEnabled, p.DigestEnabled, p.Version, p.CreatedAt, p.UpdatedAt)).ToList();
    }
}
