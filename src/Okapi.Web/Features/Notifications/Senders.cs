using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Okapi.Core.Alerts;

namespace Okapi.Web.Features.Notifications;

/// <summary>Thrown by a sender when a channel refused or could not take a notification; the message becomes the delivery's last error.</summary>
/// <param name="permanent">Whether sending again cannot succeed (not configured, refused for good): the delivery then fails at once.</param>
public sealed class DeliveryFailedException(string message, Exception? inner = null, bool permanent = false) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

/// <summary><c>Okapi:Smtp</c>: the mail server email channels send through.</summary>
public sealed class SmtpOptions
{
    /// <summary>Whether email can be sent at all: a server and a sender address are set.</summary>
    [MemberNotNullWhen(true, nameof(Host), nameof(From))]
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? From { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
}

/// <summary><c>Okapi:PublicUrl</c>: where people reach this instance, for links in emails and chat messages.</summary>
public sealed class PublicUrlOptions
{
    public string? PublicUrl { get; set; }
}

/// <summary>Sends email notifications over SMTP, a plain-text and an HTML part with a link to the KPI.</summary>
public sealed class EmailSender(IOptions<SmtpOptions> smtp, IOptions<PublicUrlOptions> urls)
{
    public Task SendAsync(Channel channel, NotificationPayload payload, CancellationToken ct) =>
        SendAsync(ChannelRules.EmailAddresses(channel.Target), payload, ct);

    public Task SendAsync(IEnumerable<string> recipients, NotificationPayload payload, CancellationToken ct) =>
        SendAsync(recipients, payload.Title, payload.Text, payload.LinkFrom(urls.Value.PublicUrl), "Open in Okapi", ct);

    /// <summary>One email with a title, lines of text and a link (none when <paramref name="link"/> is null), as every notice from Okapi looks.</summary>
    public async Task SendAsync(IEnumerable<string> recipients, string title, string text, string? link, string linkLabel, CancellationToken ct)
    {
        var options = smtp.Value;
        if (!options.IsConfigured)
        {
            throw new DeliveryFailedException("email is not configured: set Okapi:Smtp:Host and Okapi:Smtp:From (see the README's configuration table).", permanent: true);
        }

        if (!MailboxAddress.TryParse(options.From, out var from))
        {
            throw new DeliveryFailedException($"Okapi:Smtp:From \"{options.From}\" is not an email address.", permanent: true);
        }

        var message = new MimeMessage();
        message.From.Add(from);
        foreach (var address in recipients)
        {
            message.To.Add(MailboxAddress.Parse(address));
        }

        message.Subject = title;
        message.Body = new BodyBuilder
        {
            TextBody = link is null ? $"{text}\n" : $"{text}\n\n{link}\n",
            HtmlBody = Html(title, text, link, linkLabel),
        }.ToMessageBody();

        using var client = new MailKit.Net.Smtp.SmtpClient { Timeout = (int)OutboundGuard.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(options.Host, options.Port, options.Security switch
            {
                SmtpSecurity.None => SecureSocketOptions.None,
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            }, ct);
            if (!string.IsNullOrEmpty(options.Username))
            {
                await client.AuthenticateAsync(options.Username, options.Password ?? "", ct);
            }

            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (Exception e) when (e is MailKit.ProtocolException or MailKit.Net.Smtp.SmtpCommandException or AuthenticationException or System.Net.Sockets.SocketException or IOException)
        {
            throw new DeliveryFailedException($"SMTP {options.Host}:{options.Port}: {e.Message}", e);
        }
    }

    private static string Html(string title, string text, string? link, string linkLabel)
    {
        var body = new StringBuilder();
        body.Append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        body.Append("<h2>").Append(WebUtility.HtmlEncode(title)).Append("</h2>");
        foreach (var line in text.Split('\n'))
        {
            body.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }

        if (link is not null)
        {
            body.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(link)).Append("\">").Append(WebUtility.HtmlEncode(linkLabel)).Append("</a></p>");
        }

        body.Append("</body></html>");
        return body.ToString();
    }
}

/// <summary>
/// Posts notifications to webhook channels: the payload itself for a generic webhook, a Slack incoming-webhook
/// message, or an Adaptive Card message for a Microsoft Teams Workflows webhook. A 2xx answer is success; anything
/// else fails and is retried.
/// </summary>
public sealed class WebhookSender(OutboundGuard guard, IOptions<PublicUrlOptions> urls, WebhookSecrets secrets, TimeProvider clock)
{
    /// <summary>What every webhook-kind request says it comes from, e.g. <c>Okapi/1.0.0</c>.</summary>
    public static readonly ProductInfoHeaderValue UserAgent = new("Okapi", Version());

    public async Task SendAsync(Channel channel, Delivery delivery, NotificationPayload payload, CancellationToken ct)
    {
        if (!Uri.TryCreate(channel.Target, UriKind.Absolute, out var url))
        {
            throw new DeliveryFailedException("the channel's target is not a URL.", permanent: true);
        }

        if (await guard.RefuseAsync(url, ct) is { } refusal)
        {
            throw new DeliveryFailedException(refusal);
        }

        var body = channel.Kind switch
        {
            ChannelKind.Slack => Slack(payload, payload.LinkFrom(urls.Value.PublicUrl)),
            ChannelKind.Teams => Teams(payload, payload.LinkFrom(urls.Value.PublicUrl)),
            _ when channel.BodyFormat == WebhookBodyFormat.Alertmanager => AlertmanagerMessage.For(channel, payload, urls.Value.PublicUrl),
            _ => Generic(delivery.Payload, payload.LinkFrom(urls.Value.PublicUrl)),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.Add("X-Okapi-Event", NotificationPayload.EventName(payload.Event));

        // Receivers can drop a retried duplicate by this id.
        request.Headers.Add("X-Okapi-Delivery", delivery.Id.ToString());
        if (channel.Kind == ChannelKind.Webhook)
        {
            Sign(request, channel, delivery, body);
        }

        using var client = guard.CreateClient();
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new DeliveryFailedException(Innermost(e), e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new DeliveryFailedException($"no answer within {OutboundGuard.Timeout.TotalSeconds:0} s.", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                throw new DeliveryFailedException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{(text.Length > 0 ? ": " + (text.Length > 300 ? text[..300] : text) : "")}",
                    permanent: Delivery.IsPermanentFailure((int)response.StatusCode));
            }
        }
    }

    /// <summary>
    /// The Standard Webhooks headers: the delivery's id (the same on every retry, so that receivers can drop
    /// duplicates), this attempt's time, and the signature of both and the body with the channel's secret. A webhook
    /// made before signing existed has no secret and goes unsigned until an admin rotates one.
    /// </summary>
    private void Sign(HttpRequestMessage request, Channel channel, Delivery delivery, string body)
    {
        var id = delivery.Id.ToString();
        var timestamp = clock.GetUtcNow();
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (channel.ProtectedSecret is { } secret)
        {
            request.Headers.Add("webhook-signature", secrets.Sign(secret, id, timestamp, body));
        }
    }

    private static string Version()
    {
        var version = typeof(WebhookSender).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";
        // The build's source revision after a "+" means nothing to a receiver.
        return version.Split('+')[0];
    }

    /// <summary>
    /// Okapi's own JSON, the payload as it was queued, with its link absolute under <c>Okapi:PublicUrl</c> or left out
    /// without one (a receiver cannot open a bare path). The stored JSON is changed, not re-serialised, so that it keeps
    /// every field it was queued with.
    /// </summary>
    public static string Generic(string queued, string? link)
    {
        var body = JsonNode.Parse(queued)?.AsObject() ?? throw new DeliveryFailedException("the delivery's payload is empty.", permanent: true);
        if (link is null)
        {
            body.Remove("link");
        }
        else
        {
            body["link"] = link;
        }

        return body.ToJsonString();
    }

    /// <summary>
    /// A Slack incoming-webhook message: text for notifications and clients without blocks, blocks for the rest. All of
    /// it is the payload's text, escaped; the link (none without a public URL) is the only markup.
    /// </summary>
    public static string Slack(NotificationPayload payload, string? link)
    {
        // The text gives way to the link when the section is too long for Slack.
        var linkLine = link is null ? "" : $"\n<{link}|Open in Okapi>";
        var section = LimitSlack(ForSlack(payload.Text), 3000 - linkLine.Length) + linkLine;
        var message = new JsonObject
        {
            ["text"] = $"{ForSlack(payload.Title)}: {ForSlack(payload.Text.Split('\n')[0])}",
            ["blocks"] = new JsonArray
            {
                new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = LimitSlack(ForSlack(payload.Title), 150) } },
                new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = section } },
            },
        };
        return message.ToJsonString();
    }

    /// <summary>
    /// Text for Slack, escaped as Slack asks (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>): a name such as <c>&lt;!here&gt;</c>
    /// would otherwise ping the whole channel, and <c>&lt;https://…|label&gt;</c> would show a link under a false label.
    /// </summary>
    public static string ForSlack(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>
    /// A Teams Workflows message ("When a Teams webhook request is received"): one Adaptive Card, its title coloured by
    /// what happened, a text block per line, and a button to the link when there is one. Workflows take only Adaptive
    /// Cards; the MessageCard format was for the retired Office 365 connectors.
    /// </summary>
    public static string Teams(NotificationPayload payload, string? link)
    {
        var colour = payload.Event switch
        {
            NotificationEvent.AlertResolved => "Good",
            NotificationEvent.Test or NotificationEvent.AlertAcknowledged => "Accent",
            _ when payload.Okr is not null => "Accent",
            _ when payload.Alert?.Severity == AlertSeverity.Critical => "Attention",
            _ => "Warning",
        };
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = ForTeams(payload.Title), ["size"] = "Large", ["weight"] = "Bolder", ["color"] = colour, ["wrap"] = true },
        };

        // A block per line: in a TextBlock's Markdown a single line break does not break the line.
        foreach (var line in payload.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = ForTeams(line), ["wrap"] = true });
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (link is not null)
        {
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in Okapi", ["url"] = link } };
        }

        var message = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card },
            },
        };
        return message.ToJsonString();
    }

    /// <summary>
    /// Text for an Adaptive Card TextBlock, whose Markdown subset (bold, italic, lists, <c>[label](url)</c> links) would
    /// otherwise format a name or turn it into a link: its markup characters are escaped with a backslash.
    /// </summary>
    public static string ForTeams(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '[' or ']' or '<' or '>' or '`' or '~')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>Shortens escaped Slack text to its limit without cutting an entity such as <c>&amp;amp;</c> in two.</summary>
    private static string LimitSlack(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var cut = text[..(length - 1)];
        var amp = cut.LastIndexOf('&');
        return (amp >= 0 && cut.IndexOf(';', amp) < 0 ? cut[..amp] : cut) + "…";
    }

    private static string Innermost(Exception e)
    {
        // The guard's refusal and socket errors sit inside the HttpRequestException; their message says more.
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message = inner.Message;
        }

        return message.StartsWith("refused:", StringComparison.Ordinal) ? message : $"{e.Message} {(message == e.Message ? "" : message)}".Trim();
    }
}

/// <summary>What a channel's target must look like, shared by the API and the senders.</summary>
public static class ChannelRules
{
    public const int MaxEmailAddresses = 50;

    public static IReadOnlyList<string> EmailAddresses(string? target) =>
        (target ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool IsWebhook(ChannelKind kind) => kind is ChannelKind.Webhook or ChannelKind.Slack or ChannelKind.Teams;

    /// <summary>A single plain address such as <c>ops@example.com</c> (MimeKit's parser, plus an @ and a domain).</summary>
    public static bool IsEmailAddress(string text) =>
        MailboxAddress.TryParse(text, out var mailbox) && mailbox.Address == text && mailbox.Address.IndexOf('@') is > 0 and var at && at < mailbox.Address.Length - 1;
}
