using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>What Okapi leaves on disk and in the database is readable by its own user only, and the session keys can be encrypted.</summary>
public sealed class AtRestTests
{
    private static async Task WithAppAsync(Action<IWebHostBuilder> configure, Func<OkapiApp, Task> test)
    {
        var app = new OkapiApp(DatabaseProvider.Sqlite, new AppOptions { Configure = configure });
        try
        {
            await app.InitializeAsync();
            await test(app);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task SignInWithACookieAsync(OkapiApp app)
    {
        using var client = app.CreateClient(new() { HandleCookies = true });
        using var signIn = await client.PostAsJsonAsync("/account/sign-in", new SignInRequest(OkapiApp.AdminEmail, OkapiApp.AdminPassword));
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        Assert.Equal(app.AdminId, (await client.GetAsync<PersonDto>("/api/v1/people/me")).Id);
    }

    private static UnixFileMode ModeOf(string path) => OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(path);

    [Fact]
    public async Task TheSqliteFolderAndFilesOkapiCreatesAreReadableByItsUserOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var root = Directory.CreateTempSubdirectory("okapi-rest-").FullName;
        var folder = Path.Combine(root, "data");
        try
        {
            await WithAppAsync(b =>
            {
                b.UseSetting("Okapi:Database:ConnectionString", "");
                b.UseSetting("Okapi:Database:DataFolder", folder);
            }, async app =>
            {
                await app.Admin.CreateTeamAsync("Written");
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, ModeOf(folder));
                var files = Directory.GetFiles(folder);
                Assert.Contains(Path.Combine(folder, "okapi.db"), files);
                Assert.Contains(Path.Combine(folder, "okapi.db-wal"), files);
                foreach (var file in files)
                {
                    Assert.True(ModeOf(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file}: {ModeOf(file)}");
                }
            });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task WithACertificateTheSessionKeysAreStoredEncryptedAndCookiesStillWork()
    {
        var folder = Directory.CreateTempSubdirectory("okapi-keys-").FullName;
        try
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=Okapi key ring test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            var pfx = Path.Combine(folder, "keys.pfx");
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));

            await WithAppAsync(b =>
            {
                b.UseSetting("Okapi:DataProtection:Certificate:Path", pfx);
                b.UseSetting("Okapi:DataProtection:Certificate:Password", "pfx-password");
            }, async app =>
            {
                await SignInWithACookieAsync(app);
                var keys = await app.QueryAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
                Assert.NotEmpty(keys);
                Assert.All(keys, xml =>
                {
                    Assert.Contains("encryptedSecret", xml);
                    Assert.DoesNotContain("<value>", xml);
                });
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task WithAKeysFolderTheSessionKeysStayOutOfTheDatabase()
    {
        var root = Directory.CreateTempSubdirectory("okapi-keys-").FullName;
        var folder = Path.Combine(root, "keys");
        try
        {
            await WithAppAsync(b => b.UseSetting("Okapi:DataProtection:KeysFolder", folder), async app =>
            {
                await SignInWithACookieAsync(app);
                Assert.Empty(await app.QueryAsync(db => db.DataProtectionKeys.ToListAsync()));
                Assert.NotEmpty(Directory.GetFiles(folder, "*.xml"));
                Assert.True(OperatingSystem.IsWindows() || ModeOf(folder) == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
