using System.Text;
using CsCheck;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>The text exposition format as Prometheus's parser reads it: escaping, numbers, and no sample timestamps.</summary>
public sealed class PrometheusTextTests
{
    private static PrometheusSample Sample(double value, params (string Name, string Value)[] labels) =>
        new([.. labels.Select(l => new KeyValuePair<string, string>(l.Name, l.Value))], value);

    [Fact]
    public void AFamilyHasHelpAndTypeLinesThenOneLinePerSampleWithoutATimestamp()
    {
        var text = new PrometheusText()
            .Gauge("okapi_a", "The a.", [Sample(1.5, ("kpi", "one"), ("team", "Growth")), Sample(2, ("kpi", "two"), ("team", ""))])
            .Gauge("okapi_none", "Nothing yet.", [])
            .ToString();

        Assert.Equal(
            "# HELP okapi_a The a.\n# TYPE okapi_a gauge\n" +
            "okapi_a{kpi=\"one\",team=\"Growth\"} 1.5\nokapi_a{kpi=\"two\",team=\"\"} 2\n" +
            "# HELP okapi_none Nothing yet.\n# TYPE okapi_none gauge\n",
            text);
    }

    [Fact]
    public void LabelValuesEscapeBackslashDoubleQuoteAndLineFeedAndNothingElse()
    {
        var text = new PrometheusText().Gauge("m", "h", [Sample(1, ("name", "C:\\temp \"x\"\nnext\ttab ünï {}=,"))]).ToString();

        Assert.Contains("m{name=\"C:\\\\temp \\\"x\\\"\\nnext\ttab ünï {}=,\"} 1\n", text);
    }

    [Fact]
    public void HelpEscapesBackslashAndLineFeedButKeepsDoubleQuotes()
    {
        var text = new PrometheusText().Gauge("m", "Say \"hi\" \\ back\nlater", []).ToString();

        Assert.StartsWith("# HELP m Say \"hi\" \\\\ back\\nlater\n# TYPE m gauge\n", text);
    }

    [Fact]
    public void EveryLabelValueReadsBackAsItWasAndStaysOnOneLine() =>
        // Mostly the characters that need escaping, next to ones that must be left alone.
        Gen.OneOf(Gen.String["\\\"\nn\r\t{}=, aü"], Gen.String).Sample(value =>
        {
            var escaped = PrometheusText.EscapeLabelValue(value);
            Assert.DoesNotContain('\n', escaped);
            Assert.Equal(value, Unescape(escaped));
        });

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(-3, "-3")]
    [InlineData(1e21, "1E+21")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void NumbersAreWrittenAsGoParsesThemWhateverTheCulture(double value, string expected)
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Equal(expected, PrometheusText.Number(value));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }

    /// <summary>Reads a label value back as Prometheus's text parser does: an escaped unquoted string, no quotes around it.</summary>
    private static string Unescape(string escaped)
    {
        var text = new StringBuilder();
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '"')
            {
                Assert.Fail($"an unescaped double quote ends the value early: {escaped}");
            }

            text.Append(escaped[i] == '\\' ? escaped[++i] switch { 'n' => '\n', var c => c } : escaped[i]);
        }

        return text.ToString();
    }
}
