using Okapi.Core.Organisations;

namespace Okapi.Core.Tests.Organisations;

public class OrganisationValidationTests
{
    private static Organisation Valid() => new() { Name = "Acme", Slug = "acme", TimeZone = "Europe/Berlin", Vision = "Outfit everyone." };

    private static IDictionary<string, string[]> Errors(ValidationErrors errors) => errors.ToDictionary();

    [Fact]
    public void ValidSettingsPass() => Assert.True(Valid().Validate().IsValid);

    [Fact]
    public void AVisionLongerThan4000CharactersIsRefused()
    {
        var organisation = Valid();
        organisation.Vision = new string('v', Organisation.MaxVisionLength + 1);

        Assert.Equal(["vision"], Errors(organisation.Validate()).Keys);
    }

    [Fact]
    public void TextWithANulCharacterIsRefused()
    {
        var organisation = Valid();
        organisation.Name = "Ac\0me";

        Assert.Equal(["name"], Errors(organisation.Validate()).Keys);
    }

    [Fact]
    public void UnknownWeekdaysAndTimeZonesAreRefused()
    {
        var organisation = Valid();
        organisation.CheckInWeekday = (DayOfWeek)9;
        organisation.WeekStart = (DayOfWeek)(-1);
        organisation.TimeZone = "Mars/Olympus";

        Assert.Equal(["checkInWeekday", "timeZone", "weekStart"], Errors(organisation.Validate()).Keys.Order());
    }

    [Fact]
    public void APersonNeedsAnEmailAddressAndAKnownRole()
    {
        var person = new Person { Name = "Liam", Email = "liam.example", Role = (Role)7 };

        Assert.Equal(["email", "role"], Errors(person.Validate()).Keys.Order());
    }

    [Fact]
    public void ATeamMissionIsCappedAndItsNameRequired()
    {
        var team = new Team { Name = " ", Mission = new string('m', Team.MaxMissionLength + 1) };

        Assert.Equal(["mission", "name"], Errors(team.Validate()).Keys.Order());
    }

    [Fact]
    public void ANestedCycleLiesWithinItsParentAndHasAKnownKind()
    {
        var parent = new Cycle { Name = "2027", Start = new(2027, 1, 1), End = new(2027, 12, 31), Kind = CycleKind.Year };
        var cycle = new Cycle { Name = "Q4+", Start = new(2027, 10, 1), End = new(2028, 1, 31), Kind = (CycleKind)5 };

        Assert.Equal(["kind", "parentCycleId"], Errors(cycle.Validate(parent)).Keys.Order());
        Assert.True(parent.Validate().IsValid);
    }

    [Fact]
    public void ACycleEndingBeforeItStartsIsRefused()
    {
        var cycle = new Cycle { Name = "Backwards", Start = new(2027, 3, 31), End = new(2027, 1, 1) };

        Assert.Equal(["end"], Errors(cycle.Validate()).Keys);
    }
}
