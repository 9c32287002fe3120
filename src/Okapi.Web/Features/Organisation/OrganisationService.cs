using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Organisation;

/// <summary>The caller's organisation and its settings, for the API and the pages alike.</summary>
public sealed class OrganisationService(OkapiDbContext db, Caller caller)
{
    public async Task<Outcome<OrganisationDto>> GetAsync(CancellationToken ct) =>
        OrganisationDto.From(await db.Organisations.AsNoTracking().FirstAsync(o => o.Id == db.OrganisationId, ct));

    public async Task<Outcome<OrganisationDto>> UpdateAsync(OrganisationRequest request, IfMatch expectedVersion, CancellationToken ct)
    {
        var organisation = await db.Organisations.FirstAsync(o => o.Id == db.OrganisationId, ct);
        if (Failure.Refuse(caller.IsAdmin, "Only admins change the organisation's settings.", db, organisation, expectedVersion) is { } refused)
        {
            return refused;
        }

        var zone = organisation.TimeZone;
        organisation.Name = request.Name?.Trim() ?? "";
        organisation.TimeZone = request.TimeZone ?? "";
        var missing = new ValidationErrors();
        organisation.FiscalYearStartMonth = missing.Required(request.FiscalYearStartMonth, "fiscalYearStartMonth");
        organisation.CheckInWeekday = missing.Required(request.CheckInWeekday, "checkInWeekday");
        organisation.CheckInHour = missing.Required(request.CheckInHour, "checkInHour");
        organisation.WeekStart = missing.Required(request.WeekStart, "weekStart");
        organisation.Vision = request.Vision;
        if (request.EmailDomains is { } domains)
        {
            // Without the field the domains stay as they are, so that clients that never heard of them keep them.
            organisation.EmailDomains = domains.Select(Core.Organisations.Organisation.NormaliseDomain).ToList();
        }

        var errors = organisation.Validate().Include(missing);
        if (errors.IsValid && await OwnedElsewhereAsync(organisation, ct) is { } taken)
        {
            errors.Add("emailDomains", $"{taken} belongs to another organisation.");
        }

        if (!errors.IsValid)
        {
            return Failure.Invalid(errors);
        }

        await db.SaveChangesAsync(ct);
        if (organisation.TimeZone != zone)
        {
            // KPI days are local dates of the zone; the week start needs nothing, weeks are whole days either way.
            await KpiRollups.RebuildAsync(db, ct);
        }

        return OrganisationDto.From(organisation);
    }

    /// <summary>A domain of <paramref name="organisation"/> that another organisation owns already: each belongs to one at most.</summary>
    private async Task<string?> OwnedElsewhereAsync(Core.Organisations.Organisation organisation, CancellationToken ct)
    {
        foreach (var domain in organisation.EmailDomains)
        {
            if (await db.Organisations.AnyAsync(o => o.Id != organisation.Id && o.EmailDomains.Contains(domain), ct))
            {
                return domain;
            }
        }

        return null;
    }
}
