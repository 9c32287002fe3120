using System.Globalization;
using System.Text;

namespace Okapi.Web.Infrastructure;

/// <summary>A sample's labels, in the order they are written.</summary>
public sealed record PrometheusSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);

/// <summary>
/// Writes the Prometheus text exposition format, version 0.0.4: each family's HELP and TYPE lines, then its samples.
/// Samples carry no timestamp, so the server stamps them with the scrape's time: a sample that repeats the timestamp of
/// an earlier scrape is dropped as out of order, and a series whose newest sample is old goes stale after five minutes.
/// </summary>
/// <remarks>
/// Written here rather than taken from a client library: OpenTelemetry's Prometheus exporter (a prerelease) exposes the
/// process's own instruments, one set for every caller and cached between scrapes, and prometheus-net keeps long-lived
/// collectors in registries and has had no release in years; a scrape here renders the rows that one organisation's
/// request read.
/// </remarks>
public sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    /// <summary>A gauge family; its HELP and TYPE lines are written even when it has no samples.</summary>
    public PrometheusText Gauge(string name, string help, IEnumerable<PrometheusSample> samples)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(" gauge\n");
        foreach (var sample in samples)
        {
            _text.Append(name);
            if (sample.Labels.Count > 0)
            {
                _text.Append('{');
                for (var i = 0; i < sample.Labels.Count; i++)
                {
                    _text.Append(i == 0 ? "" : ",").Append(sample.Labels[i].Key).Append("=\"").Append(EscapeLabelValue(sample.Labels[i].Value)).Append('"');
                }

                _text.Append('}');
            }

            _text.Append(' ').Append(Number(sample.Value)).Append('\n');
        }

        return this;
    }

    public override string ToString() => _text.ToString();

    /// <summary>A label value escapes backslash, double quote and line feed, as the format demands.</summary>
    public static string EscapeLabelValue(string value) => value.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");

    /// <summary>HELP text escapes backslash and line feed; a double quote stays as it is.</summary>
    public static string EscapeHelp(string help) => help.Replace("\\", @"\\").Replace("\n", @"\n");

    /// <summary>A value as Go's ParseFloat reads it: the shortest round-trip form, and NaN, +Inf and -Inf spelled its way.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
