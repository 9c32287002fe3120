using Okapi.Core.Access;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Core.Tests.Access;

/// <summary>The people, teams and things the access tests ask about: Max is in Product unless a test says otherwise.</summary>
internal static class AccessExamples
{
    public static readonly Guid Organisation = Guid.NewGuid();
    public static readonly Guid Product = Guid.NewGuid();
    public static readonly Guid Sales = Guid.NewGuid();
    public static readonly Guid Max = Guid.NewGuid();
    public static readonly Guid Other = Guid.NewGuid();

    public static Actor Person(Role role, Guid[]? teams = null, Guid[]? leads = null, TokenScope[]? scopes = null, Guid? id = null) =>
        new(id ?? Max, Organisation, role, teams ?? [Product], leads, scopes);

    public static Objective Objective(Visibility visibility, Guid? team = null, Guid? person = null) =>
        new() { Title = "Delight our customers", OwnerTeamId = team, OwnerPersonId = person, Visibility = visibility };

    public static Kpi Kpi(Visibility visibility, Guid? team = null, Guid? person = null) =>
        new() { Name = "Weekly leads", Key = "weekly-leads", OwnerTeamId = team, OwnerPersonId = person, Visibility = visibility };
}
