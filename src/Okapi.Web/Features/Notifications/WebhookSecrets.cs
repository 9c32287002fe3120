using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using StandardWebhooks;

namespace Okapi.Web.Features.Notifications;

/// <summary>
/// Generic webhooks' signing secrets, as the Standard Webhooks specification has them: <c>whsec_</c> and the base64
/// of 32 random bytes. Okapi makes each one, shows it once, and keeps it encrypted with the data-protection key ring
/// (the keys that sign session cookies), so that a copy of the database alone does not let anyone forge a webhook.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    public const string Prefix = "whsec_";

    private readonly IDataProtector protector = protection.CreateProtector("Okapi.Channels.WebhookSecret");

    /// <summary>A new secret, and the form in which it is stored.</summary>
    public (string Secret, string Protected) Issue()
    {
        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return (secret, protector.Protect(secret));
    }

    /// <summary>
    /// The <c>webhook-signature</c> header's value for one attempt: <c>v1,</c> and the base64 HMAC-SHA256 of
    /// <c>{id}.{timestamp}.{body}</c> with the channel's secret.
    /// </summary>
    /// <exception cref="DeliveryFailedException">The stored secret cannot be decrypted: the key ring is not the one it was made with.</exception>
    public string Sign(string protectedSecret, string id, DateTimeOffset timestamp, string body)
    {
        string secret;
        try
        {
            secret = protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException e)
        {
            throw new DeliveryFailedException(
                "the channel's signing secret cannot be decrypted (the data-protection keys have changed): rotate the secret and give the new one to the receiver.", e, permanent: true);
        }

        return new StandardWebhook(secret).Sign(id, timestamp, body);
    }
}
