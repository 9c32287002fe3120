using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

public static class PeopleApi
{
    public static RouteGroupBuilder MapPeopleApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/people").WithTags("People");
        group.MapGet("/", List);
        group.MapGet("/me", Me).WithSummary("The calling person.");
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create).WithSummary("Invite a person with a role and, optionally, an initial password (admins).");
        group.MapPut("/{id:guid}", Update).WithSummary("Change a person's name, email or role (admins).");
        group.MapDelete("/{id:guid}", Delete).WithSummary("Remove a person and their sign-in account (admins).");
        return api;
    }

    public static async Task<Ok<Page<PersonDto>>> List(OkapiDbContext db, Guid? team, EnumQuery<Role>? role, string? search, [AsParameters] PageRequest page, CancellationToken ct)
    {
        var query = db.People.AsNoTracking();
        if (team is { } t) query = query.Where(p => db.TeamMemberships.Any(m => m.PersonId == p.Id && m.TeamId == t));
        if (role?.Value is { } r) query = query.Where(p => p.Role == r);
        if (!string.IsNullOrWhiteSpace(search)) query = query.Where(p => p.Name.ToLower().Contains(search.ToLower()) || p.Email.ToLower().Contains(search.ToLower()));
        var (items, total) = await page.ApplyAsync(query.OrderBy(p => p.Name).ThenBy(p => p.Id), ct);
        return TypedResults.Ok(new Page<PersonDto>(await ToDtosAsync(db, items, ct), page.Number, page.Size, total));
    }

    public static async Task<Results<Ok<PersonDto>, NotFound>> Me(OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct) =>
        await Get(caller.PersonId, db, http, ct);

    public static async Task<Results<Ok<PersonDto>, NotFound>> Get(Guid id, OkapiDbContext db, HttpContext http, CancellationToken ct)
    {
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (person is null)
        {
            return TypedResults.NotFound();
        }

        ETags.Set(http, person);
        return TypedResults.Ok((await ToDtosAsync(db, [person], ct))[0]);
    }

    public static async Task<Results<Created<PersonDto>, ValidationProblem, ProblemHttpResult>> Create(
        PersonRequest request, OkapiDbContext db, Caller caller, UserManager<Account> users, HttpContext http, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Problems.Forbidden("Only admins manage people.");
        }

        var errors = Validate(request);
        if (errors.IsValid && await users.FindByEmailAsync(request.Email) is not null)
        {
            errors.Add("email", "Someone already signs in with this email.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var person = new Person { Name = request.Name.Trim(), Email = request.Email.Trim(), Role = request.Role, RemindersEnabled = request.RemindersEnabled ?? true };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.People.Add(person);
        await db.SaveChangesAsync(ct);
        var account = new Account { Id = person.Id, OrganisationId = db.OrganisationId, UserName = person.Email, Email = person.Email, EmailConfirmed = true };
        var result = request.Password is { } password ? await users.CreateAsync(account, password) : await users.CreateAsync(account);
        if (!result.Succeeded)
        {
            return Problems.Invalid("password", string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        await transaction.CommitAsync(ct);
        ETags.Set(http, person);
        return TypedResults.Created($"/api/v1/people/{person.Id}", (await ToDtosAsync(db, [person], ct))[0]);
    }

    public static async Task<Results<Ok<PersonDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, PersonRequest request, OkapiDbContext db, Caller caller, UserManager<Account> users, HttpContext http, CancellationToken ct)
    {
        var person = await db.People.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (person is null)
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.IsAdmin, "Only admins manage people.", http, db, person) is { } refused)
        {
            return refused;
        }

        var errors = Validate(request);
        var account = await users.FindByIdAsync(id.ToString());
        var other = errors.IsValid ? await users.FindByEmailAsync(request.Email) : null;
        if (other is not null && other.Id != id)
        {
            errors.Add("email", "Someone else already signs in with this email.");
        }

        if (person.Role == Role.Admin && request.Role != Role.Admin && !await db.People.AnyAsync(p => p.Role == Role.Admin && p.Id != id, ct))
        {
            errors.Add("role", "The organisation needs at least one admin.");
        }

        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        person.Name = request.Name.Trim();
        person.Email = request.Email.Trim();
        person.Role = request.Role;
        person.RemindersEnabled = request.RemindersEnabled ?? person.RemindersEnabled;
        await db.SaveChangesAsync(ct);
        if (account is not null)
        {
            account.Email = account.UserName = person.Email;
            await users.UpdateAsync(account);
            if (request.Password is { } password)
            {
                await users.RemovePasswordAsync(account);
                var result = await users.AddPasswordAsync(account, password);
                if (!result.Succeeded)
                {
                    return Problems.Invalid("password", string.Join(" ", result.Errors.Select(e => e.Description)));
                }
            }
        }

        await transaction.CommitAsync(ct);
        ETags.Set(http, person);
        return TypedResults.Ok((await ToDtosAsync(db, [person], ct))[0]);
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, OkapiDbContext db, Caller caller, UserManager<Account> users, HttpContext http, CancellationToken ct)
    {
        var person = await db.People.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (person is null)
        {
            return TypedResults.NotFound();
        }

        if (Problems.RefuseChange(caller.IsAdmin, "Only admins manage people.", http, db, person) is { } refused)
        {
            return refused;
        }

        if (person.Role == Role.Admin && !await db.People.AnyAsync(p => p.Role == Role.Admin && p.Id != id, ct))
        {
            return Problems.Conflict("The organisation needs at least one admin.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.People.Remove(person);
        await db.SaveChangesAsync(ct);
        if (await users.FindByIdAsync(id.ToString()) is { } account)
        {
            await users.DeleteAsync(account);
        }

        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static ValidationErrors Validate(PersonRequest request) => new ValidationErrors()
        .Text(request.Name, "name", 200)
        .Text(request.Email, "email", 320)
        .Require(request.Email?.Contains('@') == true, "email", "must be an email address.")
        .Require(Enum.IsDefined(request.Role), "role", "must be admin, member or viewer.");

    private static async Task<IReadOnlyList<PersonDto>> ToDtosAsync(OkapiDbContext db, IReadOnlyList<Person> people, CancellationToken ct)
    {
        var ids = people.Select(p => p.Id).ToList();
        var teams = (await db.TeamMemberships.AsNoTracking().Where(m => ids.Contains(m.PersonId)).ToListAsync(ct)).ToLookup(m => m.PersonId, m => m.TeamId);
        return people.Select(p => new PersonDto(p.Id, p.Name, p.Email, p.Role, teams[p.Id].ToList(), p.RemindersEnabled, p.Version, p.CreatedAt, p.UpdatedAt)).ToList();
    }
}
