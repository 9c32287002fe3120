using Okapi.Core.Kpis;

namespace Okapi.Core.Tests.Kpis;

public class KpiValueValidationTests
{
    private static readonly DateTimeOffset Now = new(2027, 2, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FiniteValueBetweenTheYear2000AndADayAheadIsValid()
    {
        Assert.True(KpiValue.Validate(Now, 42.5, Now).IsValid);
        Assert.True(KpiValue.Validate(new DateTimeOffset(KpiValue.EarliestAt), -1, Now).IsValid);
        Assert.True(KpiValue.Validate(Now + KpiValue.MaxAhead, 0, Now).IsValid);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteValueIsRefused(double value)
    {
        var errors = KpiValue.Validate(Now, value, Now).ToDictionary();

        Assert.Equal(["must be a finite number (not NaN or infinite)."], errors["value"]);
        Assert.False(errors.ContainsKey("at"));
    }

    [Fact]
    public void InstantBeforeTheYear2000IsRefused()
    {
        var errors = KpiValue.Validate(new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero), 1, Now).ToDictionary();

        Assert.Equal(["must not be before 2000-01-01."], errors["at"]);
    }

    [Fact]
    public void InstantMoreThanADayAheadIsRefused()
    {
        var errors = KpiValue.Validate(Now + KpiValue.MaxAhead + TimeSpan.FromSeconds(1), 1, Now).ToDictionary();

        Assert.Equal(["must not be more than 24 hours in the future."], errors["at"]);
    }

    [Fact]
    public void ErrorsOfANamedRowAreAddedUnderItsPrefixBesideEarlierOnes()
    {
        var errors = new ValidationErrors().Add("values", "at least one value is required.");

        KpiValue.Validate(new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero), double.NaN, Now, errors, "rows[3]");

        Assert.Equal(["rows[3].at", "rows[3].value", "values"], errors.ToDictionary().Keys.Order());
    }
}
