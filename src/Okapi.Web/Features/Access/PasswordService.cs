using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Okapi.Data.Identity;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Access;

/// <summary>A person's own password change.</summary>
/// <param name="CurrentPassword">The password the person has now; required, at most 200 characters.</param>
/// <param name="NewPassword">The new password: 10 to 200 characters, not the current one. Required.</param>
public sealed record ChangePasswordRequest([property: Required, StringLength(200)] string CurrentPassword, [property: Required, StringLength(200)] string NewPassword);

/// <summary>
/// A person's own password, for the API and the password page alike: changing it needs the current one and follows
/// Identity's password rules. A generated first password carries <see cref="MustChangeClaim"/> until it is changed.
/// </summary>
public sealed class PasswordService(UserManager<Account> users, PasswordResetTokens resetTokens, Microsoft.Extensions.Options.IOptions<OidcOptions> oidc)
{
    /// <summary>On an account whose password was generated and printed once: it must be replaced at the first sign-in.</summary>
    public const string MustChangeClaim = "okapi:must-change-password";

    public static bool MustChange(ClaimsPrincipal user) => user.HasClaim(c => c.Type == MustChangeClaim);

    /// <summary>Marks an account whose password someone other than its owner has seen.</summary>
    public Task<IdentityResult> RequireChangeAsync(Account account) => users.AddClaimAsync(account, new Claim(MustChangeClaim, "true"));

    /// <summary>Whether passwords are switched off (<c>Okapi:Oidc:DisablePasswords</c>): no password is checked, changed or reset.</summary>
    public bool SwitchedOff => oidc.Value.PasswordsDisabled;

    /// <summary>The refusal of every password action while passwords are switched off.</summary>
    public static Failure SwitchedOffFailure => Failure.Forbidden(SignInAnswer.SwitchedOffMessage);

    /// <summary>Whether the person can change their own password here, and if not, why.</summary>
    public async Task<PasswordState> StateAsync(Guid personId)
    {
        if (SwitchedOff)
        {
            return PasswordState.SwitchedOff;
        }

        var account = await users.FindByIdAsync(personId.ToString());
        return account?.PasswordHash is not null ? PasswordState.CanChange
            : account is not null && (await users.GetLoginsAsync(account)).Count > 0 ? PasswordState.SingleSignOnOnly
            : PasswordState.NoPassword;
    }

    public async Task<Outcome<Done>> ChangeAsync(Guid personId, ChangePasswordRequest request)
    {
        if (SwitchedOff)
        {
            return SwitchedOffFailure;
        }

        var account = await users.FindByIdAsync(personId.ToString());
        if (account is null)
        {
            return Failure.NotFound;
        }

        if (account.PasswordHash is null)
        {
            return Failure.Invalid("currentPassword", "This account has no password: an admin sets one under Admin → People.");
        }

        if (request.NewPassword == request.CurrentPassword)
        {
            return Failure.Invalid("newPassword", "The new password must differ from the current one.");
        }

        var result = await users.ChangePasswordAsync(account, request.CurrentPassword, request.NewPassword);
        if (!result.Succeeded)
        {
            return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch))
                ? Failure.Invalid("currentPassword", "The current password is wrong.")
                : NewPasswordRefused(result);
        }

        await ForgetGeneratedAsync(account);
        return new Done();
    }

    /// <summary>
    /// Sets a new password with a link from a forgotten-password email (<see cref="PasswordResetTokens"/>). The link
    /// works once: the new password changes the hash it was made from. Like a change, it renews the security stamp, so
    /// the person's other sessions end.
    /// </summary>
    public async Task<Outcome<Done>> ResetAsync(ResetPasswordRequest request)
    {
        if (SwitchedOff)
        {
            return SwitchedOffFailure;
        }

        var account = await ResetAccountAsync(request.Token);
        if (account is null)
        {
            return Failure.Invalid("token", PasswordResetTokens.Refused);
        }

        // Identity's own reset sets the hash and the security stamp in one update, after its password rules.
        var result = await users.ResetPasswordAsync(account, await users.GeneratePasswordResetTokenAsync(account), request.NewPassword);
        if (!result.Succeeded)
        {
            // Two resets with the same link at once: the one that lost is a link already used.
            return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
                ? Failure.Invalid("token", PasswordResetTokens.Refused)
                : NewPasswordRefused(result);
        }

        await ForgetGeneratedAsync(account);
        return new Done();
    }

    /// <summary>Whether a forgotten-password link can still set a password, so that a used one is not offered a form.</summary>
    public async Task<bool> IsResetLinkLiveAsync(string? token) => !SwitchedOff && token is not null && await ResetAccountAsync(token) is not null;

    /// <summary>The account a reset token is for, while it has the password hash the token was made from.</summary>
    private async Task<Account?> ResetAccountAsync(string token)
    {
        var claim = resetTokens.Read(token);
        var account = claim is null ? null : await users.FindByIdAsync(claim.Value.PersonId.ToString());
        return account is not null && PasswordResetTokens.IsFor(account, claim!.Value.PasswordStamp) ? account : null;
    }

    /// <summary>Identity's password rules (at least 10 characters, see AddOkapiAccess), said the same way wherever a password is chosen.</summary>
    private static Failure NewPasswordRefused(IdentityResult result) =>
        Failure.Invalid("newPassword", string.Join(" ", result.Errors.Select(e => e.Description)));

    /// <summary>A password its owner chose: the mark of a generated one goes.</summary>
    private async Task ForgetGeneratedAsync(Account account)
    {
        var generated = (await users.GetClaimsAsync(account)).Where(c => c.Type == MustChangeClaim).ToList();
        if (generated.Count > 0)
        {
            await users.RemoveClaimsAsync(account, generated);
        }
    }
}

/// <summary>What a person's settings offer for their password.</summary>
public enum PasswordState
{
    /// <summary>They have a password and may change it with the current one.</summary>
    CanChange,

    /// <summary>Passwords are switched off on this server: everyone signs in with single sign-on.</summary>
    SwitchedOff,

    /// <summary>They have no password and sign in with single sign-on.</summary>
    SingleSignOnOnly,

    /// <summary>They have no password yet: an admin sets one.</summary>
    NoPassword,
}
