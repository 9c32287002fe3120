using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Okapi.Data.Identity;
using Okapi.Web.Features.Notifications;

namespace Okapi.Web.Features.Access;

/// <summary>Asks for a forgotten-password email; the answer is the same whether or not the address has an account.</summary>
/// <param name="Email">The email the person signs in with; required, an email address of at most 320 characters.</param>
public sealed record ForgotPasswordRequest([property: Required, EmailAddress, StringLength(320)] string Email);

/// <summary>A new password chosen with the token of a forgotten-password email.</summary>
/// <param name="Token">The token from the email's link; it works once, for 30 minutes. Required, at most 2,000 characters.</param>
/// <param name="NewPassword">The new password: 10 to 200 characters. Required.</param>
public sealed record ResetPasswordRequest([property: Required, StringLength(2000)] string Token, [property: Required, StringLength(200)] string NewPassword);

/// <summary>
/// The token of a forgotten-password link: the person's id, when it expires and a stamp of their password hash, sealed
/// by data protection (the key ring that signs the session cookies) with a time limit. Nothing is stored: the link
/// stops working when it expires or once any new password is set, because the hash it names is gone.
/// </summary>
public sealed class PasswordResetTokens(IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    /// <summary>The one answer for a link that was altered, has expired or was used: which of them it is helps no one.</summary>
    public const string Refused = "This link to choose a new password has expired or was already used. Ask for a new one.";

    private readonly ITimeLimitedDataProtector protector = protection.CreateProtector("Okapi.PasswordReset").ToTimeLimitedDataProtector();

    public string Issue(Account account)
    {
        var expires = clock.GetUtcNow() + Lifetime;
        return protector.Protect($"{account.Id:N}|{expires.ToUnixTimeSeconds()}|{PasswordStamp(account)}", Lifetime);
    }

    /// <summary>
    /// Whom the token is for, or null if it was altered or has expired. The data protector's own limit counts wall-clock
    /// time; the expiry inside counts the app's clock, which is the one that schedules everything else.
    /// </summary>
    public (Guid PersonId, string PasswordStamp)? Read(string token)
    {
        string text;
        try
        {
            text = protector.Unprotect(token, out _);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }

        var parts = text.Split('|');
        return parts.Length == 3 && Guid.TryParseExact(parts[0], "N", out var personId)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && clock.GetUtcNow() < DateTimeOffset.FromUnixTimeSeconds(expires)
                ? (personId, parts[2])
                : null;
    }

    /// <summary>Whether the account still has the password hash the token was made from.</summary>
    public static bool IsFor(Account account, string stamp) =>
        account.PasswordHash is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(PasswordStamp(account)), Encoding.ASCII.GetBytes(stamp));

    /// <summary>A short digest of the hash: it changes with every new password (the hash is salted) and tells nothing about it.</summary>
    private static string PasswordStamp(Account account) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(account.PasswordHash ?? "")), 0, 16);
}

/// <summary>
/// Sends forgotten-password emails. The request only queues the address, and a background loop looks it up and sends:
/// the answer is the same, in content and in time, whether or not the address has an account. Each address gets at
/// most <see cref="MailsPerAddress"/> links an hour (in memory, per instance), so that no one can flood a mailbox;
/// the clients that ask are limited by the <see cref="AccessExtensions.PasswordResetLimit"/> rate limit policy.
/// </summary>
public sealed partial class PasswordResetMail(IServiceScopeFactory scopes, IOptions<SmtpOptions> smtp, IOptions<PublicUrlOptions> urls, ILogger<PasswordResetMail> log)
    : BackgroundService
{
    public const int MailsPerAddress = 3;

    /// <summary>What every request is told, known address or not.</summary>
    public static readonly string Answer =
        $"If an account has this email address, a link to choose a new password is on its way to it. The link works for {PasswordResetTokens.Lifetime.TotalMinutes:0} minutes.";

    private readonly Channel<string> queue = Channel.CreateBounded<string>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropWrite });

    private readonly PartitionedRateLimiter<string> perAddress = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions { PermitLimit = MailsPerAddress, Window = TimeSpan.FromHours(1) }));

    /// <summary>Whether this server sends email at all; without it, forgotten passwords are reset by an admin.</summary>
    public bool IsAvailable => smtp.Value.IsConfigured;

    public void Request(string email)
    {
        var address = email.Trim();
        using var lease = perAddress.AttemptAcquire(address.ToUpperInvariant());
        if (lease.IsAcquired)
        {
            queue.Writer.TryWrite(address);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var address in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await SendAsync(address, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // One address that cannot be mailed (the server is down, the database busy) must not stop the others.
                LogNotSent(e.Message);
            }
        }
    }

    private async Task SendAsync(string address, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = await users.FindByEmailAsync(address);
        if (account?.PasswordHash is null || account.Email is null)
        {
            // No account, or one that signs in otherwise (an admin gives it a password): nothing to reset.
            return;
        }

        var token = scope.ServiceProvider.GetRequiredService<PasswordResetTokens>().Issue(account);
        await scope.ServiceProvider.GetRequiredService<EmailSender>().SendAsync([account.Email], "Choose a new password for Okapi",
            $"Someone, hopefully you, asked to choose a new password for {account.Email} on Okapi.\n" +
            $"The link below works once, for {PasswordResetTokens.Lifetime.TotalMinutes:0} minutes. If you did not ask, ignore this email: your password stays as it is.",
            Link(token), "Choose a new password", ct);
    }

    /// <summary>
    /// Absolute with <c>Okapi:PublicUrl</c>, else the path alone: the request's Host header is not trusted for a link
    /// that carries a secret, since whoever asks for the email chooses it.
    /// </summary>
    private string Link(string token)
    {
        var path = $"/reset-password?token={Uri.EscapeDataString(token)}";
        return string.IsNullOrWhiteSpace(urls.Value.PublicUrl) ? path : urls.Value.PublicUrl.TrimEnd('/') + path;
    }

    public override void Dispose()
    {
        perAddress.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A forgotten-password email was not sent: {Reason}")]
    private partial void LogNotSent(string reason);
}
