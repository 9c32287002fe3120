using System.Globalization;
using System.Text.Json;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Notifications;

public sealed record PayloadAlert(
    Guid Id, AlertState State, AlertSeverity Severity, string Summary, double? Value,
    DateTime StartedAt, DateTime? FiredAt, DateTime? ResolvedAt);

public sealed record PayloadRule(Guid Id, string Name);

/// <param name="Team">The name of the KPI's owner team, if a team owns it.</param>
public sealed record PayloadKpi(Guid Id, string Key, string Name, string? Unit, string? Team = null);

/// <summary>Something an OKR event names: an objective or key result (its title), a team, a cycle or a person (its name).</summary>
public sealed record PayloadRef(Guid Id, string Name);

public sealed record PayloadCheckIn(Guid Id, double? Previous, double Value, string? Unit, Confidence? Confidence, string? Note);

/// <summary>What an OKR event is about; the parts that do not apply to the event are null.</summary>
public sealed record PayloadOkr(
    PayloadRef? Objective, PayloadRef? KeyResult, PayloadRef? Team, PayloadRef? Cycle, PayloadRef? Actor, PayloadCheckIn? CheckIn);

/// <summary>
/// What one notification says, fixed when it is queued: the generic webhook posts it as is, the other channels
/// render its title, text and link in their own shape.
/// </summary>
public sealed record NotificationPayload(
    NotificationEvent Event, DateTime At, string Title, string Text, string Link,
    PayloadAlert? Alert, PayloadRule? Rule, PayloadKpi? Kpi, PayloadOkr? Okr = null)
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    public static NotificationPayload ForAlert(NotificationEvent notification, AlertRule rule, Alert alert, Kpi kpi, DateTime now, string? team = null)
    {
        string text;
        double? value;
        if (notification == NotificationEvent.AlertResolved)
        {
            // The alert's summary still says why it fired; what people want now is where the KPI stands. A no-data
            // alert, or one resolved because its rule was disabled, has no value of its own, so the KPI's is used.
            value = kpi.CurrentPeriodValue ?? alert.LastValue;
            text = $"Resolved: {kpi.Name} {(value is { } current ? $"is now {Format(current, kpi)}" : "has no value yet")}.";
            if (!string.IsNullOrWhiteSpace(alert.Summary))
            {
                text += $"\nWhen it fired: {alert.Summary}";
            }
        }
        else
        {
            value = alert.LastValue ?? alert.ValueAtStart;
            text = string.IsNullOrWhiteSpace(alert.Summary) ? $"{kpi.Name} needs attention." : alert.Summary;
            if (value is { } v)
            {
                text += $"\n{kpi.Name}: {Format(v, kpi)}";
            }
        }

        return new NotificationPayload(
            notification, now, $"[{Label(notification)}] {rule.Name}", text, $"/kpis/{kpi.Id}",
            new PayloadAlert(alert.Id, alert.State, alert.Severity, alert.Summary, value, alert.StartedAt, alert.FiredAt, alert.ResolvedAt),
            new PayloadRule(rule.Id, rule.Name),
            new PayloadKpi(kpi.Id, kpi.Key, kpi.Name, kpi.Unit, team));
    }

    /// <summary>A notice for one person (a reminder, a digest, a mention, a review), with a link into the app.</summary>
    public static NotificationPayload ForPerson(NotificationEvent notification, DateTime now, string title, string text, string link) =>
        new(notification, now, title, text, link, null, null, null);

    public static NotificationPayload ForTest(Channel channel, DateTime now) => new(
        NotificationEvent.Test, now, $"[{Label(NotificationEvent.Test)}] Test notification from Okapi",
        $"This is a test of the channel \"{channel.Name}\". If you can read it, notifications reach you here.", "/", null, null, null);

    /// <summary>The word in brackets that leads every title, as Alertmanager's templates do.</summary>
    public static string Label(NotificationEvent notification) => notification switch
    {
        NotificationEvent.AlertPending => "PENDING",
        NotificationEvent.AlertFiring or NotificationEvent.AlertRepeat => "FIRING",
        NotificationEvent.AlertResolved => "RESOLVED",
        NotificationEvent.AlertAcknowledged => "ACKNOWLEDGED",
        NotificationEvent.Test => "TEST",
        NotificationEvent.CheckInCreated => "CHECK-IN",
        NotificationEvent.ObjectiveActivated => "ACTIVATED",
        NotificationEvent.ReviewRequested => "REVIEW",
        NotificationEvent.ReviewAnswered => "REVIEWED",
        NotificationEvent.TeamClosed or NotificationEvent.CycleClosed => "CLOSED",
        _ => notification.ToString().ToUpperInvariant(),
    };

    /// <summary>The event as the API and the <c>X-Okapi-Event</c> header spell it, e.g. <c>alertFiring</c>.</summary>
    public static string EventName(NotificationEvent notification) => JsonNamingPolicy.CamelCase.ConvertName(notification.ToString());

    /// <summary>The link as an absolute URL under <c>Okapi:PublicUrl</c>, or null (send no link) without one.</summary>
    public string? LinkFrom(string? publicUrl) => AbsoluteLink(publicUrl, Link);

    /// <summary>
    /// <paramref name="path"/> under the public URL when <c>Okapi:PublicUrl</c> is an http(s) URL, else null: a path
    /// alone is no link a mail or chat client can open (on Linux it even passes for a <c>file://</c> URI), so none is sent.
    /// </summary>
    public static string? AbsoluteLink(string? publicUrl, string path) =>
        Uri.TryCreate(publicUrl?.Trim(), UriKind.Absolute, out var root) && (root.Scheme == Uri.UriSchemeHttps || root.Scheme == Uri.UriSchemeHttp)
            ? publicUrl!.Trim().TrimEnd('/') + path
            : null;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static NotificationPayload FromJson(string json) =>
        JsonSerializer.Deserialize<NotificationPayload>(json, Json) ?? throw new JsonException("The delivery's payload is empty.");

    private static string Format(double value, Kpi kpi) =>
        $"{value.ToString("G6", CultureInfo.InvariantCulture)}{(string.IsNullOrEmpty(kpi.Unit) ? "" : " " + kpi.Unit)}";

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiExtensions.Configure(options);
        return options;
    }
}
