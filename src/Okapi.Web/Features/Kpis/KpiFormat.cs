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
        { } v when Math.Abs(v) >= 1_000_000 => (v / 1_000_000).ToString("0.##", CultureInfo.InvariantCulture) + " M",
        { } v when Math.Abs(v) >= 10_000 => v.ToString("#,0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.##", CultureInfo.InvariantCulture),
    };

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

    /// <summary>Whether a change is good news: up for higher-is-better, down for lower-is-better; a band KPI has no good direction.</summary>
    public static bool? IsGood(double change, KpiDirection direction) => change == 0 ? null : direction switch
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

    public static string Arrow(double? change) => change switch { > 0 => "▲", < 0 => "▼", _ => "▬" };

    public static string Change(double? change) => change is not { } c ? "no previous period" : (c > 0 ? "+" : "") + Number(c);

    public static string Direction(KpiDirection direction) => direction switch
    {
        KpiDirection.HigherIsBetter => "Higher is better",
        KpiDirection.LowerIsBetter => "Lower is better",
        _ => "Within a band",
    };

    public static string Percent(double? share) => share is { } s ? Math.Round(s * 100).ToString(CultureInfo.InvariantCulture) + " %" : "–";

    public static string Local(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, zone).ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture);

    public static string Local(DateTimeOffset at, TimeZoneInfo zone) => Local(at.UtcDateTime, zone);
}
