using System.Linq.Expressions;
using Okapi.Core.Access;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Core.Tests.Access;

using static AccessExamples;

public class ActorTests
{
    private static readonly Objective[] Objectives =
    [
        Objective(Visibility.Public, Sales),
        Objective(Visibility.Private, Product),
        Objective(Visibility.Private, Sales),
        Objective(Visibility.Private, null, Max),
        Objective(Visibility.Private, null, Other),
    ];

    private static readonly Actor[] Actors =
    [
        Person(Role.Viewer),
        Person(Role.Member),
        Person(Role.Member, teams: []),
        Person(Role.Admin, teams: []),
        Person(Role.Admin, teams: [], scopes: [TokenScope.Read]),
        Person(Role.Member, id: Other, teams: [Sales]),
    ];

    [Fact]
    public void APublicObjectiveIsSeenByEveryone() =>
        Assert.All(Actors, a => Assert.True(a.MaySee(Objective(Visibility.Public, Sales))));

    [Fact]
    public void APrivateObjectiveIsSeenByItsTeamItsOwnerAndAdminsOnly()
    {
        var member = Person(Role.Member);
        Assert.True(member.MaySee(Objective(Visibility.Private, Product)));
        Assert.True(member.MaySee(Objective(Visibility.Private, null, Max)));
        Assert.False(member.MaySee(Objective(Visibility.Private, Sales)));
        Assert.False(member.MaySee(Objective(Visibility.Private, null, Other)));
        Assert.True(Person(Role.Admin, teams: []).MaySee(Objective(Visibility.Private, Sales)));
    }

    [Fact]
    public void AnAdminsReadTokenStillSeesPrivateObjectivesButIsNoAdmin()
    {
        var token = Person(Role.Admin, teams: [], scopes: [TokenScope.Read]);

        Assert.True(token.MaySee(Objective(Visibility.Private, Sales)));
        Assert.False(token.IsAdmin);
        Assert.False(token.CanWrite);
    }

    [Fact]
    public void TheQueryFilterAndTheInMemoryCheckAgreeForEveryActorAndObjective()
    {
        foreach (var actor in Actors)
        {
            var filtered = Objectives.AsQueryable().Where(actor.SeesObjective).ToList();
            Assert.Equal(Objectives.Where(actor.MaySee), filtered);
        }
    }

    [Fact]
    public void TheKpiQueryFilterAndTheInMemoryCheckAgree()
    {
        Kpi[] kpis = [Kpi(Visibility.Public, Sales), Kpi(Visibility.Private, Product), Kpi(Visibility.Private, Sales), Kpi(Visibility.Private, null, Max)];
        foreach (var actor in Actors)
        {
            Assert.Equal(kpis.Where(actor.MaySee), kpis.AsQueryable().Where(actor.SeesKpi).ToList());
        }

        Assert.Equal([true, true, false, true], kpis.Select(Person(Role.Member).MaySee));
    }

    [Fact]
    public void AnAdminsFilterIsNoFilterAtAll() =>
        Assert.Equal(true, Assert.IsType<ConstantExpression>(Person(Role.Admin).SeesObjective.Body).Value);

    [Fact]
    public void AnotherPersonsFilterHoldsNoAdminBranch()
    {
        var filter = Person(Role.Member).SeesObjective.ToString();
        Assert.DoesNotContain(nameof(Actor.SeesEverything), filter);
        Assert.DoesNotContain("False", filter);
    }

    [Fact]
    public void AnAdminsFilterIsNoFilter() =>
        Assert.Equal(true, Assert.IsType<ConstantExpression>(Person(Role.Admin, teams: []).SeesObjective.Body).Value);

    [Fact]
    public void AWriteTokenReadsAndAnAdminTokenHoldsEveryScope()
    {
        var write = Person(Role.Member, scopes: [TokenScope.Write]);
        var admin = Person(Role.Admin, scopes: [TokenScope.Admin]);

        Assert.True(write.CanRead);
        Assert.False(write.HasScope(TokenScope.KpiIngest));
        Assert.All(Enum.GetValues<TokenScope>(), s => Assert.True(admin.HasScope(s)));
        Assert.True(admin.IsAdmin);
    }

    [Fact]
    public void ASignedInPersonIsLimitedByTheirRoleOnly()
    {
        Assert.True(Person(Role.Admin).IsAdmin);
        Assert.True(Person(Role.Member).CanWrite);
        Assert.False(Person(Role.Viewer).CanWrite);
        Assert.True(Person(Role.Viewer).MayChangeOwnData);
        Assert.False(Person(Role.Viewer, scopes: [TokenScope.Read]).MayChangeOwnData);
    }

    [Fact]
    public void MembersEditWhatTheirTeamOrTheyOwnAndAdminsEverything()
    {
        Assert.True(Person(Role.Member).MayEdit(Objective(Visibility.Public, Product)));
        Assert.False(Person(Role.Member).MayEdit(Objective(Visibility.Public, Sales)));
        Assert.False(Person(Role.Viewer).MayEdit(Objective(Visibility.Public, Product)));
        Assert.False(Person(Role.Member, scopes: [TokenScope.Read]).MayEdit(Objective(Visibility.Public, Product)));
        Assert.True(Person(Role.Admin, teams: []).MayEdit(Objective(Visibility.Public, Sales)));
    }

    [Fact]
    public void AKeyResultsOwnerEditsItInAnotherTeamsObjective()
    {
        var objective = Objective(Visibility.Public, Sales);
        var keyResult = new KeyResult { Title = "Raise satisfaction", OwnerPersonId = Max };

        Assert.True(Person(Role.Member).MayEdit(objective, keyResult));
        Assert.False(Person(Role.Member).MayEdit(objective));
        Assert.False(Person(Role.Viewer).MayEdit(objective, keyResult));
    }

    [Fact]
    public void AMembersIngestTokenStoresValuesOfAnyKpiTheySeeButEditsNone()
    {
        var token = Person(Role.Member, teams: [], scopes: [TokenScope.KpiIngest]);

        Assert.True(token.MayIngestValues);
        Assert.True(token.MayIngest(Kpi(Visibility.Public, Sales)));
        Assert.False(token.MayIngest(Kpi(Visibility.Private, Sales)));
        Assert.False(token.MayEdit(Kpi(Visibility.Public, Sales)));
        Assert.False(token.CanRead);
    }

    [Fact]
    public void AViewersIngestTokenStoresNothing()
    {
        var token = Person(Role.Viewer, scopes: [TokenScope.KpiIngest]);

        Assert.False(token.MayIngestValues);
        Assert.False(token.MayIngest(Kpi(Visibility.Public, Product)));
    }

    [Fact]
    public void ASignedInMemberIngestsOnlyIntoKpisTheyEdit()
    {
        var member = Person(Role.Member);

        Assert.True(member.MayIngest(Kpi(Visibility.Public, Product)));
        Assert.False(member.MayIngest(Kpi(Visibility.Public, Sales)));
    }

    [Fact]
    public void ATeamsLeadsAndAdminsCloseItsCycleAndOnlyAdminsTheCompanys()
    {
        var lead = Person(Role.Member, leads: [Product]);

        Assert.True(lead.MayCloseCycle(Product));
        Assert.False(lead.MayCloseCycle(Sales));
        Assert.False(lead.MayCloseCycle(null));
        Assert.False(Person(Role.Member).MayCloseCycle(Product));
        Assert.False(Person(Role.Member, leads: [Product], scopes: [TokenScope.Read]).MayCloseCycle(Product));
        Assert.True(Person(Role.Admin, teams: []).MayCloseCycle(null));
        Assert.True(Person(Role.Admin, teams: []).MayCloseCycle(Sales));
    }

    [Fact]
    public void OnlyTheTeamsOfThePersonCanBeLed() =>
        Assert.Empty(Person(Role.Member, teams: [Product], leads: [Sales]).LedTeamIds);

    [Fact]
    public void ACommentIsDeletedByItsAuthorOrAnAdmin()
    {
        var comment = new Comment { Body = "Nice", AuthorId = Max };

        Assert.True(Person(Role.Member).MayDelete(comment));
        Assert.False(Person(Role.Member, id: Other).MayDelete(comment));
        Assert.True(Person(Role.Admin, id: Other).MayDelete(comment));
        Assert.False(Person(Role.Viewer).MayDelete(comment));
    }

    [Fact]
    public void ATokenGrantsNoMoreThanItsOwnersRoleAndTheCallingCredentials()
    {
        Assert.False(Person(Role.Viewer).MayGrant(TokenScope.Write));
        Assert.True(Person(Role.Viewer).MayGrant(TokenScope.Read));
        Assert.False(Person(Role.Member).MayGrant(TokenScope.Admin));
        Assert.True(Person(Role.Admin).MayGrant(TokenScope.Admin));
        Assert.True(Person(Role.Admin, scopes: [TokenScope.Admin]).MayGrant(TokenScope.Write));
        Assert.False(Person(Role.Member, scopes: [TokenScope.Write]).MayCreateTokens);
        Assert.True(Person(Role.Admin, scopes: [TokenScope.Admin]).MayCreateTokens);
        Assert.True(Person(Role.Viewer).MayCreateTokens);
    }
}
