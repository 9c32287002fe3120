using Okapi.Core.Organisations;

namespace Okapi.Core.Tests.Organisations;

public class TimeZoneTests
{
    [Fact]
    public void AKnownIanaIdIsThatZone()
    {
        var organisation = new Organisation { Name = "Acme", Slug = "acme", TimeZone = "Europe/Berlin" };

        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), organisation.FindTimeZone());
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData(null)]
    public void AnUnknownIdFallsBackToUtcInsteadOfFailing(string? id)
    {
        Assert.Equal(TimeZoneInfo.Utc, Organisation.ZoneOf(id));
    }
}
