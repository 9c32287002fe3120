using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Okapi.Data;

namespace Okapi.Web.Features.Access;

/// <summary>
/// Where the data-protection key ring (the keys that sign session cookies and antiforgery tokens) is kept and how
/// it is protected, from <c>Okapi:DataProtection</c>. By default the keys lie in the database, unencrypted, beside
/// the password and token hashes: whoever reads the database can forge a session. <c>Certificate:Path</c> (a PFX)
/// and <c>Certificate:Password</c> encrypt every key with that certificate, so the database alone is not enough;
/// <c>KeysFolder</c> keeps the keys in a folder instead (created readable by the app's user only), so that a copy of
/// the database carries no keys. The README's "Protecting the session keys" says what each choice costs.
/// </summary>
public static class KeyRing
{
    public const string Section = "Okapi:DataProtection";

    public static IServiceCollection AddOkapiKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section);
        var protection = services.AddDataProtection().SetApplicationName("Okapi");
        if (settings["KeysFolder"] is { Length: > 0 } folder)
        {
            var path = Path.GetFullPath(folder);
            PrivateFolder.Create(path);

            protection.PersistKeysToFileSystem(new DirectoryInfo(path));
        }
        else
        {
            // Keys in the database: sessions survive restarts and work across instances behind a load balancer.
            protection.PersistKeysToDbContext<Okapi.Data.OkapiDbContext>();
        }

        if (settings["Certificate:Path"] is { Length: > 0 } certificatePath)
        {
            if (!File.Exists(certificatePath))
            {
                throw new InvalidOperationException($"{Section}:Certificate:Path names no file: {Path.GetFullPath(certificatePath)}.");
            }

            // The private key is needed too: the same certificate decrypts the keys it encrypted.
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(certificatePath, settings["Certificate:Password"]);
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"{Section}:Certificate:Path must be a PFX with the private key.");
            }

            protection.ProtectKeysWithCertificate(certificate);
        }

        return services;
    }
}
