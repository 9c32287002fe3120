using Okapi.Core.Kpis;

namespace Okapi.Core.Tests.Kpis;

public class SourceHeaderTests
{
    private static IDictionary<string, string[]> Errors(KpiSourceKind kind, string? name, string? value, bool stored = false) =>
        new ValidationErrors().Validate(kind, name, value, stored).ToDictionary();

    [Theory]
    [InlineData(KpiSourceKind.HttpJson, "Authorization", "Bearer abc.def")]
    [InlineData(KpiSourceKind.Prometheus, "X-API-Key", "k3y\twith tab")]
    public void AnHttpSourceMaySendAHeaderWithAValue(KpiSourceKind kind, string name, string value) =>
        Assert.Empty(Errors(kind, name, value));

    [Fact]
    public void NoHeaderAtAllIsFine() => Assert.Empty(Errors(KpiSourceKind.Sql, null, null));

    [Fact]
    public void AKeptHeaderNeedsNoValueWhenOneIsStored()
    {
        Assert.Empty(Errors(KpiSourceKind.HttpJson, "Authorization", null, stored: true));
        Assert.Equal(["is required for a new header."], Errors(KpiSourceKind.HttpJson, "Authorization", null)["headerValue"]);
    }

    [Fact]
    public void ASqlSourceSendsNoHeader() =>
        Assert.Contains("HTTP JSON and Prometheus", Assert.Single(Errors(KpiSourceKind.Sql, "Authorization", "x")["headerName"]));

    [Fact]
    public void AValueWithoutANameIsRefused() =>
        Assert.True(Errors(KpiSourceKind.HttpJson, null, "secret").ContainsKey("headerValue"));

    [Theory]
    [InlineData("X API Key")]
    [InlineData("X-Key:")]
    [InlineData("Ключ")]
    [InlineData("Host")]
    [InlineData("content-length")]
    public void AHeaderNameThatHttpDoesNotAllowOrTheClientOwnsIsRefused(string name) =>
        Assert.True(Errors(KpiSourceKind.HttpJson, name, "v").ContainsKey("headerName"));

    [Theory]
    [InlineData("Bearer x\r\nX-Injected: 1")]
    [InlineData("a\nb")]
    [InlineData("nul\0")]
    public void AHeaderValueThatWouldSplitTheRequestIsRefused(string value) =>
        Assert.True(Errors(KpiSourceKind.HttpJson, "Authorization", value).ContainsKey("headerValue"));
}
