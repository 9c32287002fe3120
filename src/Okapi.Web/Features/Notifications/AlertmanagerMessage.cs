using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Okapi.Core.Alerts;

namespace Okapi.Web.Features.Notifications;

/// <summary>
/// A notification as Alertmanager's webhook_config sends it (version 4), so that receivers written for Alertmanager
/// take Okapi's alerts unchanged: one group per rule and KPI, holding the one alert the notification is about.
/// </summary>
public static class AlertmanagerMessage
{
    /// <summary>What Alertmanager writes as the end of an alert that is still firing: Go's zero time.</summary>
    public const string ZeroTime = "0001-01-01T00:00:00Z";

    /// <exception cref="DeliveryFailedException">The notification is not about an alert firing or resolved, nor a test.</exception>
    public static string For(Channel channel, NotificationPayload payload, string? publicUrl)
    {
        var (status, labels, annotations, startsAt, endsAt) = payload switch
        {
            { Event: NotificationEvent.Test } => ("resolved", Labels(("alertname", "OkapiTest"), ("severity", "none")),
                Annotations(payload.Title, payload.Text), Time(payload.At), Time(payload.At)),
            { Event: NotificationEvent.AlertFiring or NotificationEvent.AlertRepeat or NotificationEvent.AlertResolved, Alert: { } alert, Rule: { } rule, Kpi: { } kpi } =>
                (payload.Event == NotificationEvent.AlertResolved ? "resolved" : "firing",
                    Labels(("alertname", rule.Name), ("kpi", kpi.Key), ("severity", SeverityName(alert.Severity)), ("team", kpi.Team)),
                    Annotations(string.IsNullOrWhiteSpace(alert.Summary) ? payload.Title : alert.Summary, payload.Text),
                    Time(alert.StartedAt),
                    payload.Event == NotificationEvent.AlertResolved ? Time(alert.ResolvedAt ?? payload.At) : ZeroTime),
            _ => throw new DeliveryFailedException(
                $"an Alertmanager-format webhook takes alerts firing and resolved only, not {NotificationPayload.EventName(payload.Event)}.", permanent: true),
        };

        var groupLabels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "alertname", "kpi" })
        {
            if (labels.TryGetValue(name, out var value))
            {
                groupLabels[name] = value;
            }
        }

        var alertJson = new JsonObject
        {
            ["status"] = status,
            ["labels"] = Object(labels),
            ["annotations"] = Object(annotations),
            ["startsAt"] = startsAt,
            ["endsAt"] = endsAt,
            ["generatorURL"] = payload.LinkFrom(publicUrl) ?? "",
            ["fingerprint"] = Fingerprint(labels),
        };
        var message = new JsonObject
        {
            ["version"] = "4",
            ["groupKey"] = "{}:{" + string.Join(", ", groupLabels.Select(l => $"{l.Key}={Quote(l.Value)}")) + "}",
            ["truncatedAlerts"] = 0,
            ["status"] = status,
            ["receiver"] = channel.Name,
            ["groupLabels"] = Object(groupLabels),
            ["commonLabels"] = Object(labels),
            ["commonAnnotations"] = Object(annotations),
            ["externalURL"] = NotificationPayload.AbsoluteLink(publicUrl, "") ?? "",
            ["alerts"] = new JsonArray { alertJson },
        };
        return message.ToJsonString();
    }

    /// <summary>
    /// Sixteen hex digits that stay the same for the same labels, as Alertmanager's fingerprints do, so that a receiver
    /// matches a resolved alert to the firing one.
    /// </summary>
    public static string Fingerprint(IReadOnlyDictionary<string, string> labels)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            // A separator no label holds, so that {a="bc"} and {ab="c"} differ.
            text.Append(name).Append('\xff').Append(value).Append('\xff');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    /// <summary>RFC 3339 in UTC, with as many fractional digits as there are, as Go writes times.</summary>
    private static string Time(DateTime at)
    {
        var utc = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc);
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }

    private static string SeverityName(AlertSeverity severity) => severity.ToString().ToLowerInvariant();

    private static SortedDictionary<string, string> Labels(params (string Name, string? Value)[] labels)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in labels)
        {
            // Alertmanager has no empty labels: a KPI without a team has no team label.
            if (!string.IsNullOrEmpty(value))
            {
                sorted[name] = value;
            }
        }

        return sorted;
    }

    private static SortedDictionary<string, string> Annotations(string summary, string description) =>
        new(StringComparer.Ordinal) { ["summary"] = summary, ["description"] = description };

    private static JsonObject Object(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var json = new JsonObject();
        foreach (var (name, value) in pairs)
        {
            json[name] = value;
        }

        return json;
    }

    /// <summary>A label value as Alertmanager quotes it in a group key.</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
