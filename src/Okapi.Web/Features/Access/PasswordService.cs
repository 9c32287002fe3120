using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Okapi.Data.Identity;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Access;

public sealed record ChangePasswordRequest([property: Required, StringLength(200)] string CurrentPassword, [property: Required, StringLength(200)] string NewPassword);

/// <summary>
/// A person's own password, for the API and the password page alike: changing it needs the current one and follows
/// Identity's password rules. A generated first password carries <see cref="MustChangeClaim"/> until it is changed.
/// </summary>
public sealed class PasswordService(UserManager<Account> users)
{
    /// <summary>On an account whose password was generated and printed once: it must be replaced at the first sign-in.</summary>
    public const string MustChangeClaim = "okapi:must-change-password";

    public static bool MustChange(ClaimsPrincipal user) => user.HasClaim(c => c.Type == MustChangeClaim);

    /// <summary>Marks an account whose password someone other than its owner has seen.</summary>
    public Task<IdentityResult> RequireChangeAsync(Account account) => users.AddClaimAsync(account, new Claim(MustChangeClaim, "true"));

    public async Task<Outcome<Done>> ChangeAsync(Guid personId, ChangePasswordRequest request)
    {
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
                : Failure.Invalid("newPassword", string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        var generated = (await users.GetClaimsAsync(account)).Where(c => c.Type == MustChangeClaim).ToList();
        if (generated.Count > 0)
        {
            await users.RemoveClaimsAsync(account, generated);
        }

        return new Done();
    }
}
