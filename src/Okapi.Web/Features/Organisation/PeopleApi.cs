using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Core.Organisations;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

public static class PeopleApi
{
    public static RouteGroupBuilder MapPeopleApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/people").WithTags("People");
        group.MapGet("/", List).WithSummary("List people.").WithDescription("By name; filter by team, role and search (name or email). Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapGet("/me", Me).WithSummary("The calling person.").WithDescription("Viewers may call it too.");
        group.MapPut("/me/notifications", UpdateNotifications)
            .WithSummary("Turn your own weekly check-in reminders and weekly digest on or off; a field left out stays as it is.").WithDescription("Only the caller's own settings; viewers may call it too.").RequireAuthorization(ApiPolicies.OwnData);
        group.MapPut("/me/password", ChangePassword).RequireAuthorization(ApiPolicies.OwnData)
            .WithSummary("Change your own password: the current one is required, the new one follows the password rules (at least 10 characters).").WithDescription("Only the caller's own password; viewers may call it too. A wrong current password is a validation problem; 403 when passwords are switched off for single sign-on.");
        group.MapGet("/{id:guid}", Get).WithSummary("Get a person by id, with the ETag.").WithDescription("Anyone who may read; 404 when the person does not exist.");
        group.MapPost("/", Create).RequireAuthorization(ApiPolicies.Admins).WithSummary("Invite a person with a role and, optionally, an initial password (admins).").WithDescription("Admins only (403 otherwise); an email already in use is a validation problem.");
        group.MapPut("/{id:guid}", Update).RequireAuthorization(ApiPolicies.Admins).WithSummary("Change a person's name, email or role (admins).").WithDescription("Admins only (403 otherwise); demoting the last admin is a validation problem. 412 when If-Match is stale.");
        group.MapDelete("/{id:guid}", Delete).RequireAuthorization(ApiPolicies.Admins).WithSummary("Remove a person and their sign-in account (admins).").WithDescription("Admins only; 409 when the person is the organisation's last admin. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Ok<Page<PersonDto>>> List(PersonService people, Guid? team, EnumQuery<Role>? role, string? search, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await people.ListAsync(new PersonFilter(team, role?.Value, search), page, ct));

    public static async Task<Results<Ok<PersonDto>, NotFound>> Me(PersonService people, HttpContext http, CancellationToken ct) =>
        (await people.MeAsync(ct)).ToOk(http);

    public static async Task<Results<Ok<PersonDto>, NotFound>> UpdateNotifications(
        NotificationSettingsRequest request, PersonService people, HttpContext http, CancellationToken ct) =>
        (await people.UpdateNotificationsAsync(request, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest request, PasswordService passwords, Caller caller) =>
        (await passwords.ChangeAsync(caller.PersonId, request)).ToNoContent();

    public static async Task<Results<Ok<PersonDto>, NotFound>> Get(Guid id, PersonService people, HttpContext http, CancellationToken ct) =>
        (await people.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<PersonDto>, ValidationProblem, ProblemHttpResult>> Create(PersonRequest request, PersonService people, HttpContext http, CancellationToken ct) =>
        (await people.CreateAsync(request, ct)).ToCreated(http, p => $"/api/v1/people/{p.Id}");

    public static async Task<Results<Ok<PersonDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(Guid id, PersonRequest request, PersonService people, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await people.UpdateAsync(id, request, ifMatch, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, PersonService people, IfMatch ifMatch, CancellationToken ct) =>
        (await people.DeleteAsync(id, ifMatch, ct)).ToNoContent();
}
