using Microsoft.AspNetCore.DataProtection;

namespace Okapi.Web.Features.Sources;

/// <summary>
/// Encrypts pull sources' header values with the server's data-protection keys (see <c>KeyRing</c>): a copy of the
/// database without the keys does not reveal the tokens that other systems accept.
/// </summary>
public sealed class SourceHeaderProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Okapi.Sources.HeaderValue");

    public string Protect(string value) => _protector.Protect(value);

    public string Unprotect(string protectedValue)
    {
        try
        {
            return _protector.Unprotect(protectedValue);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new PullFailedException("The header's value cannot be decrypted with this server's keys; enter it again.", e);
        }
    }
}
