using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

public static class OrganisationApi
{
    public static RouteGroupBuilder MapOrganisationApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organisation").WithTags("Organisation");
        group.MapGet("/", Get).WithSummary("The caller's organisation and its settings.").WithDescription("Anyone who may read, viewers included.");
        group.MapPut("/", Update).RequireAuthorization(ApiPolicies.Admins).WithSummary("Change the organisation's settings (admins).").WithDescription("Admins only (403 otherwise). 412 when If-Match is stale.");
        return api;
    }

    public static async Task<Ok<OrganisationDto>> Get(OrganisationService organisation, HttpContext http, CancellationToken ct) =>
        (await organisation.GetAsync(ct)).ToOk(http);

    public static async Task<Results<Ok<OrganisationDto>, ValidationProblem, ProblemHttpResult>> Update(OrganisationRequest request, OrganisationService organisation, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await organisation.UpdateAsync(request, ifMatch, ct)).ToOk(http);
}
