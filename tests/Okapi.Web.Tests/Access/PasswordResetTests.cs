using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using MimeKit;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Access;

/// <summary>Okapi sending email to a real SMTP listener, with room for every test's requests from the one test client.</summary>
public sealed class PasswordResetApps : OkapiApps
{
    protected override AppOptions Options => new()
    {
        WithSmtp = true,
        Configure = b =>
        {
            b.UseSetting("Okapi:PasswordResetRequestsPerHour", "1000");
            b.UseSetting("Okapi:SignInAttemptsPerMinute", "1000");
        },
    };
}

public sealed partial class PasswordResetTests(PasswordResetApps apps) : IClassFixture<PasswordResetApps>
{
    private const string FirstPassword = "first-password-1";

    [Theory]
    [OnEveryDatabase]
    public async Task TheEmailsLinkSetsANewPasswordOnceAndIsRefusedTheSecondTime(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var email = await PersonAsync(app);
        using var client = app.CreateClient();

        using var asked = await client.PostAsJsonAsync("/account/forgot-password", new ForgotPasswordRequest(email));
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var mail = await MailToAsync(app, email);
        Assert.Equal("Choose a new password for Okapi", mail.Subject);
        var link = LinkIn(mail);
        Assert.StartsWith($"{SmtpSink.PublicUrl}/reset-password?token=", link.ToString());
        Assert.Contains($"href=\"{WebUtility.HtmlEncode(link.ToString())}\"", mail.HtmlBody);

        var page = await client.GetStringAsync(link.PathAndQuery);
        Assert.Contains("Set the new password", page);
        using var reset = await client.PostAsJsonAsync("/account/reset-password", new ResetPasswordRequest(TokenOf(link), "second-password-2"));
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await SignInAsync(app, email, FirstPassword, HttpStatusCode.Unauthorized);
        await SignInAsync(app, email, "second-password-2", HttpStatusCode.NoContent);

        var again = await Api.AssertProblemAsync(
            await client.PostAsJsonAsync("/account/reset-password", new ResetPasswordRequest(TokenOf(link), "third-password-3")), HttpStatusCode.BadRequest);
        Assert.Equal(PasswordResetTokens.Refused, again.GetProperty("errors").GetProperty("token")[0].GetString());
        Assert.DoesNotContain("Set the new password", await client.GetStringAsync(link.PathAndQuery));
        await SignInAsync(app, email, "second-password-2", HttpStatusCode.NoContent);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ANewPasswordEndsTheAccountsOtherSessionsAsAChangeDoes(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var email = await PersonAsync(app);
        using var elsewhere = app.CreateClient(new() { HandleCookies = true });
        Assert.Equal(HttpStatusCode.NoContent, (await elsewhere.PostAsJsonAsync("/account/sign-in", new SignInRequest(email, FirstPassword))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/api/v1/people/me")).StatusCode);
        using var someoneElse = app.CreateClient(new() { HandleCookies = true });
        Assert.Equal(HttpStatusCode.NoContent, (await someoneElse.PostAsJsonAsync("/account/sign-in", new SignInRequest(await PersonAsync(app), FirstPassword))).StatusCode);
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/account/forgot-password", new ForgotPasswordRequest(email));
        var token = TokenOf(LinkIn(await MailToAsync(app, email)));

        using var reset = await client.PostAsJsonAsync("/account/reset-password", new ResetPasswordRequest(token, "second-password-2"));
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        // Sessions check the account's security stamp every half hour, as Identity does by default.
        app.Clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.GetAsync("/api/v1/people/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await someoneElse.GetAsync("/api/v1/people/me")).StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnExpiredLinkIsRefusedAndThePasswordStays(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var email = await PersonAsync(app);
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/account/forgot-password", new ForgotPasswordRequest(email));
        var link = LinkIn(await MailToAsync(app, email));

        app.Clock.Advance(PasswordResetTokens.Lifetime + TimeSpan.FromSeconds(1));

        var expired = await Api.AssertProblemAsync(
            await client.PostAsJsonAsync("/account/reset-password", new ResetPasswordRequest(TokenOf(link), "second-password-2")), HttpStatusCode.BadRequest);
        Assert.Equal(PasswordResetTokens.Refused, expired.GetProperty("errors").GetProperty("token")[0].GetString());
        await SignInAsync(app, email, FirstPassword, HttpStatusCode.NoContent);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task AnUnknownAddressGetsTheSameAnswerAndNoEmail(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var known = await PersonAsync(app);
        var unknown = $"nobody.{Guid.NewGuid():N}@okapi.test";
        using var client = app.CreateClient();

        using var forUnknown = await client.PostAsJsonAsync("/account/forgot-password", new ForgotPasswordRequest(unknown));
        using var forKnown = await client.PostAsJsonAsync("/account/forgot-password", new ForgotPasswordRequest(known));

        Assert.Equal(HttpStatusCode.Accepted, forUnknown.StatusCode);
        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(await forKnown.Content.ReadAsStringAsync(), await forUnknown.Content.ReadAsStringAsync());
        Assert.Contains(PasswordResetMail.Answer, await FormAnswerAsync(app, unknown));
        // The emails go out in the order asked: once the known address has its email, the unknown one had its turn.
        await MailToAsync(app, known);
        Assert.DoesNotContain(app.Smtp.Messages, m => m.To.Mailboxes.Any(a => a.Address == unknown));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task ANewPasswordFollowsThePasswordRulesAndAnAlteredLinkIsRefused(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var email = await PersonAsync(app);
        using var client = app.CreateClient();
        await client.PostAsJsonAsync("/account/forgot-password", new ForgotPasswordRequest(email));
        var token = TokenOf(LinkIn(await MailToAsync(app, email)));

        var tooShort = await Api.AssertProblemAsync(
            await client.PostAsJsonAsync("/account/reset-password", new ResetPasswordRequest(token, "short")), HttpStatusCode.BadRequest);
        Assert.Contains("at least 10 characters", tooShort.GetProperty("errors").GetProperty("newPassword")[0].GetString());
        var altered = await Api.AssertProblemAsync(
            await client.PostAsJsonAsync("/account/reset-password", new ResetPasswordRequest(token[..^4] + "AAAA", "second-password-2")), HttpStatusCode.BadRequest);
        Assert.True(altered.GetProperty("errors").TryGetProperty("token", out _));
        await SignInAsync(app, email, FirstPassword, HttpStatusCode.NoContent);

        using var reset = await client.PostAsJsonAsync("/account/reset-password", new ResetPasswordRequest(token, "second-password-2"));
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task OneAddressGetsAFewEmailsAnHourHoweverOftenItIsAskedFor(DatabaseProvider provider)
    {
        var app = await apps.StartAsync(provider);
        var flooded = await PersonAsync(app);
        var other = await PersonAsync(app);
        using var client = app.CreateClient();
        for (var i = 0; i <= PasswordResetMail.MailsPerAddress; i++)
        {
            using var asked = await client.PostAsJsonAsync("/account/forgot-password", new ForgotPasswordRequest(flooded));
            Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        }

        using var last = await client.PostAsJsonAsync("/account/forgot-password", new ForgotPasswordRequest(other));
        await MailToAsync(app, other);
        Assert.Equal(PasswordResetMail.MailsPerAddress, app.Smtp.Messages.Count(m => m.To.Mailboxes.Any(a => a.Address == flooded)));
    }

    private static async Task<string> PersonAsync(OkapiApp app)
    {
        var email = $"pat.{Guid.NewGuid():N}@okapi.test";
        await app.Admin.PostAsync<PersonDto>("/api/v1/people", new PersonRequest("Pat Forgetful", email, Role.Member, null, FirstPassword));
        return email;
    }

    private static Task<MimeMessage> MailToAsync(OkapiApp app, string email) =>
        app.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == email));

    private static Uri LinkIn(MimeMessage mail) => new(ResetLink().Match(mail.TextBody ?? "").Value);

    private static string TokenOf(Uri link) => Uri.UnescapeDataString(link.Query["?token=".Length..]);

    /// <summary>What the forgotten-password form answers, rendered on the server.</summary>
    private static async Task<string> FormAnswerAsync(OkapiApp app, string email)
    {
        using var client = app.CreateClient(new() { HandleCookies = true });
        var form = await client.GetStringAsync("/forgot-password");
        var antiforgery = AntiforgeryToken().Match(form).Groups[1].Value;
        using var posted = await client.PostAsync("/forgot-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "forgot-password",
            ["__RequestVerificationToken"] = antiforgery,
            ["Input.Email"] = email,
        }));
        return WebUtility.HtmlDecode(await posted.Content.ReadAsStringAsync());
    }

    private static async Task SignInAsync(OkapiApp app, string email, string password, HttpStatusCode expected)
    {
        using var client = app.CreateClient(new() { HandleCookies = true });
        using var response = await client.PostAsJsonAsync("/account/sign-in", new SignInRequest(email, password));
        Assert.Equal(expected, response.StatusCode);
    }

    [GeneratedRegex(@"https?://\S+/reset-password\?token=\S+")]
    private static partial Regex ResetLink();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}

/// <summary>Okapi with a low limit on forgotten-password requests per client.</summary>
public sealed class FewResetRequestsApps : OkapiApps
{
    public const int PerHour = 2;

    protected override AppOptions Options => new()
    {
        WithSmtp = true,
        Configure = b => b.UseSetting("Okapi:PasswordResetRequestsPerHour", PerHour.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    };
}

/// <summary>The limit per client and the server without email do not depend on the database: SQLite only.</summary>
public sealed class PasswordResetLimitTests(FewResetRequestsApps apps) : IClassFixture<FewResetRequestsApps>
{
    [Fact]
    public async Task AClientThatAsksTooOftenIsToldToWait()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var client = app.CreateClient();
        for (var i = 0; i < FewResetRequestsApps.PerHour; i++)
        {
            using var asked = await client.PostAsJsonAsync("/account/forgot-password", new ForgotPasswordRequest($"someone{i}@okapi.test"));
            Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        }

        using var tooMany = await client.PostAsJsonAsync("/account/forgot-password", new ForgotPasswordRequest("someone.else@okapi.test"));
        Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.StatusCode);
    }
}

public sealed class PasswordResetWithoutEmailTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Fact]
    public async Task WithoutSmtpTheSignInPageOffersNoResetAndTheApiSaysWhy()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        using var client = app.CreateClient();

        Assert.DoesNotContain("Forgot password?", await client.GetStringAsync("/sign-in"));
        await Api.AssertProblemAsync(await client.PostAsJsonAsync("/account/forgot-password", new ForgotPasswordRequest(OkapiApp.AdminEmail)), HttpStatusCode.NotFound);
    }
}
