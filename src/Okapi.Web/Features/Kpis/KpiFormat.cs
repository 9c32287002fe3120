using System.Globalization;
using MudBlazor;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;

namespace Okapi.Web.Features.Kpis;

/// <summary>How KPI numbers, health, change and alert severities read and are coloured on every KPI page.</summary>
public static class KpiFormat
{
    public static string Number(double? value) => value switch
    {
        null => "–",
        { } v when Math.Abs(v) >= 1_000_000 => Plain(v / 1_000_000, "0.##") + " M",
        { } v when Math.Abs(v) >= 10_000 => Plain(v, "#,0"),
        { } v => Plain(v, "0.##"),
    };

    // .NET writes a negative number that rounds to zero as "-0"; a reader sees a drop that is not there.
    private static string Plain(double value, string format)
    {
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    private static string Signed(double value, string format) => (value > 0 ? "+" : "") + Plain(value, format);

    public static string WithUnit(double? value, string? unit) =>
        value is null || string.IsNullOrWhiteSpace(unit) ? Number(value) : unit is "%" ? $"{Number(value)} %" : $"{Number(value)} {unit}";

    public static string Label(KpiHealth health) => health switch
    {
        KpiHealth.Ok => "OK",
        KpiHealth.Warning => "Warning",
        KpiHealth.Critical => "Critical",
        KpiHealth.Stale => "Stale",
        _ => "Unknown",
    };

    public static Color ColorOf(KpiHealth health) => health switch
    {
        KpiHealth.Ok => Color.Success,
        KpiHealth.Warning => Color.Warning,
        KpiHealth.Critical => Color.Error,
        _ => Color.Default,
    };

    public static Color ColorOf(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => Color.Error,
        AlertSeverity.Warning => Color.Warning,
        _ => Color.Info,
    };

    /// <summary>
    /// A relative change (a fraction, as <see cref="KpiPeriod.Change(double, double)"/> gives it) in percent, rounded as
    /// it is shown: one decimal below 10 %, whole percents above. A change that rounds to 0 is no change, so that its
    /// arrow, colour and text agree.
    /// </summary>
    public static double ShownPercent(double change)
    {
        var percent = change * 100;
        return Math.Round(percent, Math.Abs(percent) < 10 ? 1 : 0, MidpointRounding.AwayFromZero) + 0.0;
    }

    /// <summary>Whether a change is good news: up for higher-is-better, down for lower-is-better; a band KPI has no good direction.</summary>
    public static bool? IsGood(double change, KpiDirection direction) => ShownPercent(change) == 0 ? null : direction switch
    {
        KpiDirection.HigherIsBetter => change > 0,
        KpiDirection.LowerIsBetter => change < 0,
        _ => null,
    };

    public static string ChangeClass(double? change, KpiDirection direction) => change is not { } c ? "okapi-change" : IsGood(c, direction) switch
    {
        true => "okapi-change okapi-change--good",
        false => "okapi-change okapi-change--bad",
        null => "okapi-change",
    };

    public static string Arrow(double? change) => change is { } c ? ShownPercent(c) switch { > 0 => "▲", < 0 => "▼", _ => "▬" } : "▬";

    /// <summary>
    /// A change against the previous period: relative in percent, and the difference in the KPI's unit beside it when
    /// the previous value is known (in percentage points for a KPI measured in %, where "+3 %" alone would be ambiguous).
    /// </summary>
    public static string Change(double? change, double? value, double? previous, string? unit)
    {
        if (change is not { } c)
        {
            return "no previous period";
        }

        var percent = ShownPercent(c);
        if (percent == 0)
        {
            return "no change";
        }

        var relative = Signed(percent, Math.Abs(percent) < 10 ? "0.#" : "#,0") + " %";
        if (value is not { } v || previous is not { } p || Number(v - p) == "0")
        {
            return relative;
        }

        var difference = v - p;
        var absolute = (difference > 0 ? "+" : "") + (unit is "%" ? $"{Number(difference)} pp" : WithUnit(difference, unit));
        return $"{relative} ({absolute})";
    }

    public static string Direction(KpiDirection direction) => direction switch
    {
        KpiDirection.HigherIsBetter => "Higher is better",
        KpiDirection.LowerIsBetter => "Lower is better",
        _ => "Within a band",
    };

    public static string Percent(double? share) => share is { } s ? Plain(Math.Round(s * 100), "0") + " %" : "–";

    public static string Local(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture);

    public static string Local(DateTimeOffset at, TimeZoneInfo zone) => Local(at.UtcDateTime, zone);
}
