using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Okapi.Core.Access;
using Okapi.Data.Identity;

namespace Okapi.Web.Features.Access;

/// <summary>How a password sign-in ended. <see cref="Wait"/> is set when the client must wait before trying again.</summary>
public readonly record struct SignInAnswer(bool Succeeded, TimeSpan Wait)
{
    /// <summary>The one answer for a wrong password, an unknown email and an account that may not sign in: telling them apart would tell a stranger which emails have accounts.</summary>
    public const string Refused = "Email or password is wrong.";

    /// <summary>What to tell someone who tries a password where people sign in only with single sign-on.</summary>
    public const string SwitchedOffMessage = "Password sign-in is switched off on this server: sign in with single sign-on.";

    public bool MustWait => Wait > TimeSpan.Zero;

    /// <summary>Whether passwords are switched off (<c>Okapi:Oidc:DisablePasswords</c>), so no password was checked.</summary>
    public bool SwitchedOff { get; init; }

    /// <summary>What to tell a client that must wait; the same for every email, known or not.</summary>
    public string WaitMessage => $"Too many failed attempts from here: try again in {Math.Ceiling(Wait.TotalSeconds):0} seconds.";
}

/// <summary>
/// Password sign-in for the API and the sign-in page alike. Failures are counted per email and client address
/// (<see cref="SignInBackOff"/>) instead of locking the account, and an unknown email costs the same password hash
/// as a known one, so that neither the answer nor its timing says whether an account exists.
/// </summary>
public sealed class PasswordSignIn(SignInManager<Account> signIn, SignInThrottle throttle, Microsoft.Extensions.Options.IOptions<OidcOptions> oidc)
{
    public async Task<SignInAnswer> SignInAsync(string email, string password, bool remember, HttpContext http)
    {
        if (oidc.Value.PasswordsDisabled)
        {
            return new SignInAnswer(false, TimeSpan.Zero) { SwitchedOff = true };
        }

        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var wait = throttle.WaitFor(email, client);
        if (wait > TimeSpan.Zero)
        {
            return new SignInAnswer(false, wait);
        }

        var account = await signIn.UserManager.FindByNameAsync(email);
        if (account?.PasswordHash is null)
        {
            // No account, or one without a password: hash anyway, so the answer takes as long as a wrong password.
            signIn.UserManager.PasswordHasher.VerifyHashedPassword(DummyAccount, DummyHash(signIn.UserManager.PasswordHasher), password);
        }
        else if ((await signIn.PasswordSignInAsync(account, password, remember, lockoutOnFailure: false)).Succeeded)
        {
            throttle.Succeeded(email, client);
            return new SignInAnswer(true, TimeSpan.Zero);
        }

        throttle.Failed(email, client);
        return new SignInAnswer(false, TimeSpan.Zero);
    }

    private static readonly Account DummyAccount = new();
    private static string? dummyHash;

    private static string DummyHash(IPasswordHasher<Account> hasher) => dummyHash ??= hasher.HashPassword(DummyAccount, Guid.NewGuid().ToString());
}

/// <summary>
/// The failed sign-ins per email and client address, in memory: a restart forgives them, which costs an attacker
/// no more than the rate limit already allows. Bounded, so that guessing many emails cannot fill the memory.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    private const int MostRemembered = 100_000;

    private readonly ConcurrentDictionary<(string Email, string Client), SignInBackOff> failures = new();

    public TimeSpan WaitFor(string email, string client) =>
        failures.TryGetValue(Key(email, client), out var backOff) ? backOff.WaitAt(clock.GetUtcNow()) : TimeSpan.Zero;

    public void Failed(string email, string client)
    {
        var now = clock.GetUtcNow();
        if (failures.Count >= MostRemembered)
        {
            Forget(now);
        }

        failures.AddOrUpdate(Key(email, client), _ => new SignInBackOff().Failed(now), (_, backOff) => backOff.Failed(now));
    }

    public void Succeeded(string email, string client) => failures.TryRemove(Key(email, client), out _);

    /// <summary>Drops the counts no one waits on any more; if guessing still fills the table, starts it afresh.</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var (key, backOff) in failures)
        {
            if (backOff.IsForgotten(now) || backOff.WaitAt(now) == TimeSpan.Zero)
            {
                failures.TryRemove(key, out _);
            }
        }

        if (failures.Count >= MostRemembered)
        {
            failures.Clear();
        }
    }

    private static (string, string) Key(string email, string client) => (email.Trim().ToUpperInvariant(), client);
}
