using Okapi.Core.Access;
using Okapi.Core.Organisations;

namespace Okapi.Core.Tests.Access;

public class SingleSignOnTests
{
    private static readonly Guid Acme = Guid.NewGuid();
    private static readonly Guid Globex = Guid.NewGuid();
    private static readonly Guid Ada = Guid.NewGuid();

    private static readonly GroupMapping Mapping = new(
        new Dictionary<string, string> { ["growth"] = "Growth", ["sales"] = "Sales" },
        new Dictionary<string, Role> { ["okapi-admins"] = Role.Admin, ["readers"] = Role.Viewer });

    private static ExternalIdentity Who(string? email = "ada@acme.example", bool? verified = true, string? name = "Ada Lovelace", params string[] groups) =>
        new("https://id.acme.example", "sub-1", email, verified, name, groups);

    [Fact]
    public void ALinkedSubjectSignsInWhateverTheEmailSaysNow()
    {
        var decision = SingleSignOn.Decide(Who("someone@elsewhere.example"), new KnownIdentity(Ada, null, null), Mapping);
        Assert.Equal(new SingleSignOnDecision.SignIn(Ada), decision);
    }

    [Fact]
    public void AFirstSignInCreatesThePersonInTheOrganisationOwningTheDomainWithTheMappedRoleAndTeams()
    {
        var decision = SingleSignOn.Decide(Who(groups: ["growth", "readers", "okapi-admins", "unknown"]), new KnownIdentity(null, Acme, null), Mapping);
        var create = Assert.IsType<SingleSignOnDecision.Create>(decision);
        Assert.Equal((Acme, "Ada Lovelace", "ada@acme.example", Role.Admin), (create.OrganisationId, create.Name, create.Email, create.Role));
        Assert.Equal(["Growth"], create.TeamNames);
    }

    [Fact]
    public void WithoutAMappedGroupANewPersonIsAMemberOfNoTeamNamedAfterTheirEmail()
    {
        var create = Assert.IsType<SingleSignOnDecision.Create>(SingleSignOn.Decide(Who(name: " "), new KnownIdentity(null, Acme, null), Mapping));
        Assert.Equal((Role.Member, "ada"), (create.Role, create.Name));
        Assert.Empty(create.TeamNames);
    }

    [Fact]
    public void AnEmailThatSignsInAlreadyInTheOwningOrganisationIsLinked()
    {
        var decision = SingleSignOn.Decide(Who(), new KnownIdentity(null, Acme, (Ada, Acme)), Mapping);
        Assert.Equal(new SingleSignOnDecision.Link(Ada), decision);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("not-an-email", true)]
    [InlineData("ada@acme.example", false)]
    public void NoVerifiedEmailIsRefused(string? email, bool verified)
    {
        var decision = SingleSignOn.Decide(Who(email, verified), new KnownIdentity(null, Acme, null), Mapping);
        Assert.Equal(new SingleSignOnDecision.Refuse(SingleSignOnRefusal.NoEmail), decision);
    }

    [Fact]
    public void ADomainNoOrganisationOwnsIsRefused()
    {
        var decision = SingleSignOn.Decide(Who(), new KnownIdentity(null, null, null), Mapping);
        Assert.Equal(new SingleSignOnDecision.Refuse(SingleSignOnRefusal.DomainNotOwned), decision);
    }

    [Fact]
    public void AnEmailThatSignsInToAnotherOrganisationIsRefused()
    {
        var decision = SingleSignOn.Decide(Who(), new KnownIdentity(null, Acme, (Ada, Globex)), Mapping);
        Assert.Equal(new SingleSignOnDecision.Refuse(SingleSignOnRefusal.EmailElsewhere), decision);
    }

    [Theory]
    [InlineData("Ada@ACME.Example.", "acme.example")]
    [InlineData("ada", null)]
    [InlineData("ada@", null)]
    public void TheDomainOfAnEmailIsLowerCaseWithoutATrailingDot(string email, string? domain) =>
        Assert.Equal(domain, Organisation.DomainOf(email));

    [Theory]
    [InlineData("acme.example", true)]
    [InlineData("mail.acme-corp.co.uk", true)]
    [InlineData("localhost", false)]
    [InlineData("@acme.example", false)]
    [InlineData("acme .example", false)]
    [InlineData("-acme.example", false)]
    [InlineData("Acme.example", false)]
    public void EmailDomainsAreHostNamesOfTwoLabelsOrMore(string domain, bool valid) =>
        Assert.Equal(valid, Organisation.IsEmailDomain(domain));
}
