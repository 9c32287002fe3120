using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

public static class OrganisationApi
{
    public static RouteGroupBuilder MapOrganisationApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organisation").WithTags("Organisation");
        group.MapGet("/", Get).WithSummary("The caller's organisation and its settings.");
        group.MapPut("/", Update).WithSummary("Change the organisation's settings (admins).");
        return api;
    }

    public static async Task<Ok<OrganisationDto>> Get(OkapiDbContext db, HttpContext http, CancellationToken ct)
    {
        var organisation = await db.Organisations.AsNoTracking().FirstAsync(o => o.Id == db.OrganisationId, ct);
        ETags.Set(http, organisation);
        return TypedResults.Ok(OrganisationDto.From(organisation));
    }

    public static async Task<Results<Ok<OrganisationDto>, ValidationProblem, ProblemHttpResult>> Update(
        OrganisationRequest request, OkapiDbContext db, Caller caller, HttpContext http, CancellationToken ct)
    {
        if (!caller.IsAdmin)
        {
            return Problems.Forbidden("Only admins change the organisation's settings.");
        }

        var organisation = await db.Organisations.FirstAsync(o => o.Id == db.OrganisationId, ct);
        if (!ETags.Matches(http, db, organisation))
        {
            return Problems.PreconditionFailed(organisation);
        }

        var errors = new ValidationErrors()
            .Text(request.Name, "name", 200)
            .Require(Core.Organisations.Organisation.IsKnownTimeZone(request.TimeZone ?? ""), "timeZone", "must be an IANA time-zone id such as Europe/Berlin.")
            .Require(request.FiscalYearStartMonth is >= 1 and <= 12, "fiscalYearStartMonth", "must be between 1 and 12.")
            .Require(request.CheckInHour is >= 0 and <= 23, "checkInHour", "must be between 0 and 23.");
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        organisation.Name = request.Name.Trim();
        organisation.TimeZone = request.TimeZone!;
        organisation.FiscalYearStartMonth = request.FiscalYearStartMonth;
        organisation.CheckInWeekday = request.CheckInWeekday;
        organisation.CheckInHour = request.CheckInHour;
        organisation.WeekStart = request.WeekStart;
        organisation.Vision = request.Vision;
        await db.SaveChangesAsync(ct);
        ETags.Set(http, organisation);
        return TypedResults.Ok(OrganisationDto.From(organisation));
    }
}
