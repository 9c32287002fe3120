using Okapi.Core.Access;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Core.Tests.Access;

using static AccessExamples;

public class OwnershipTests
{
    private static readonly (Guid? Team, Guid? Person)[] Owners =
        [(Product, null), (Sales, null), (null, Max), (null, Other), (Sales, Max), (Product, Other), (Sales, Other)];

    [Fact]
    public void WhatTheActorOrOneOfTheirTeamsOwnsIsTheirs()
    {
        var member = Person(Role.Member, [Product]);
        Assert.True(member.Owns(Objective(Visibility.Public, Product, null)));
        Assert.True(member.Owns(Objective(Visibility.Public, null, Max)));
        Assert.True(member.Owns(Objective(Visibility.Public, Sales, Max)));
        Assert.True(member.Owns(Objective(Visibility.Public, Product, Other)));
        Assert.False(member.Owns(Objective(Visibility.Public, Sales, null)));
        Assert.False(member.Owns(Objective(Visibility.Public, Sales, Other)));
        Assert.False(member.Owns(Objective(Visibility.Public, null, Other)));
    }

    [Fact]
    public void AnAdminOwnsOnlyWhatTheyOrTheirTeamsOwn() =>
        Assert.False(Person(Role.Admin, teams: []).Owns(Kpi(Visibility.Public, Sales, Other)));

    [Fact]
    public void TheOwnershipFiltersAgreeWithTheChecksInMemory()
    {
        foreach (var actor in new[] { Person(Role.Member, [Product]), Person(Role.Viewer, teams: []), Person(Role.Admin, [Sales, Product]) })
        {
            var objectives = Owners.Select(o => Objective(Visibility.Public, o.Team, o.Person)).ToList();
            Assert.Equal(objectives.Where(actor.Owns), objectives.AsQueryable().Where(actor.OwnsObjective));
            var kpis = Owners.Select(o => Kpi(Visibility.Public, o.Team, o.Person)).ToList();
            Assert.Equal(kpis.Where(actor.Owns), kpis.AsQueryable().Where(actor.OwnsKpi));
        }
    }

    [Fact]
    public void EditingFollowsOwnership()
    {
        // Owners, in order: Product; Sales; Max; Other; Sales and Max; Product and Other; Sales and Other.
        bool[] owned = [true, false, true, false, true, true, false];
        var member = Person(Role.Member, [Product]);
        Assert.Equal(owned, Owners.Select(o => member.MayEdit(Objective(Visibility.Public, o.Team, o.Person))));
        Assert.Equal(owned, Owners.Select(o => member.MayEdit(Kpi(Visibility.Public, o.Team, o.Person))));
        Assert.Equal(owned, Owners.Select(o => member.Owns(Kpi(Visibility.Public, o.Team, o.Person))));
    }

    private sealed record Candidate(Role Role, bool LeadsOwnerTeam);

    [Theory]
    [InlineData(Role.Admin, false, true)]
    [InlineData(Role.Admin, true, true)]
    [InlineData(Role.Member, true, true)]
    [InlineData(Role.Member, false, false)]
    [InlineData(Role.Viewer, true, false)]
    [InlineData(Role.Viewer, false, false)]
    public void AdminsAndLeadsOfAnOwnerTeamReviewButViewersNever(Role role, bool leadsOwnerTeam, bool reviews)
    {
        var mayReview = Actor.MayReview<Candidate>(c => c.Role, c => c.LeadsOwnerTeam);
        Assert.Equal(reviews, new[] { new Candidate(role, leadsOwnerTeam) }.AsQueryable().Any(mayReview));
    }
}
