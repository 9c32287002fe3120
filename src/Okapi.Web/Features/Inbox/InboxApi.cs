using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Inbox;

/// <summary>The inbox: what I must do now.</summary>
public static class InboxApi
{
    public static RouteGroupBuilder MapInboxEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/inbox").WithTags("Inbox").RequireAuthorization(ApiPolicies.OwnData);
        group.MapGet("/", List).WithSummary("My inbox, newest first: open items unless state is given, filtered by kind, with my open items counted per kind.").WithDescription("Only the caller's own items; viewers have an inbox too. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapPost("/{id:guid}/done", Done).WithSummary("Mark one of my inbox items done.").WithDescription("Only the caller's own items (404 for anyone else's); 409 when the item is already done or dismissed.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/dismiss", Dismiss).WithSummary("Dismiss one of my inbox items.").WithDescription("Only the caller's own items (404 for anyone else's); 409 when the item is already done or dismissed.").ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    public static async Task<Ok<InboxList>> List(InboxService inbox, [AsParameters] InboxFilter filter, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await inbox.ListAsync(filter, page, ct));

    public static async Task<Results<Ok<InboxItemDto>, NotFound, ProblemHttpResult>> Done(Guid id, InboxService inbox, HttpContext http, CancellationToken ct) =>
        (await inbox.DoneAsync(id, ct)).ToOk(http);

    public static async Task<Results<Ok<InboxItemDto>, NotFound, ProblemHttpResult>> Dismiss(Guid id, InboxService inbox, HttpContext http, CancellationToken ct) =>
        (await inbox.DismissAsync(id, ct)).ToOk(http);
}
