using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Okapi.Data.Identity;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Access;

/// <summary>Email and password for a cookie sign-in; the answer sets the session cookie.</summary>
/// <param name="Email">The email the person signs in with; required, at most 320 characters.</param>
/// <param name="Password">The person's password; required, at most 200 characters.</param>
/// <param name="RememberMe">Whether the session cookie outlives the browser session; false by default.</param>
public sealed record SignInRequest([property: Required, StringLength(320)] string Email, [property: Required, StringLength(200)] string Password, bool RememberMe = false);

/// <summary>Cookie sign-in for the web UI, slowed down after repeated failures from the same client.</summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account").WithTags("Account").AllowAnonymous();
        group.MapPost("/sign-in", SignIn).WithSummary("Sign in with email and password; sets the session cookie.").WithDescription("Open to anyone; failed attempts from the same client are slowed down (429 with Retry-After), a wrong email or password is 401 and a switched-off account 403.")
            .RequireRateLimiting(AccessExtensions.SignInLimit)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/sign-out", SignOut).WithSummary("Sign out: clears the session cookie.").WithDescription("Open to anyone; answers 204 whether or not a session was signed in.");
        group.MapPost("/forgot-password", ForgotPassword)
            .WithSummary("Ask for an email with a link to choose a new password (when the server sends email). The answer is the same whether or not the address has an account.").WithDescription("Open to anyone and rate limited (429); 404 when this server sends no email, in which case an admin sets a new password instead; 403 when passwords are switched off for single sign-on.")
            .RequireRateLimiting(AccessExtensions.PasswordResetLimit)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/reset-password", ResetPassword)
            .WithSummary("Choose a new password with the token of a forgotten-password email; the token works once, for 30 minutes. Other sessions of the account end.").WithDescription("Open to anyone holding a valid token; an expired or used token, or a password that breaks the password rules, is a validation problem; 403 when passwords are switched off for single sign-on.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public static Results<Accepted, ProblemHttpResult> ForgotPassword(ForgotPasswordRequest request, PasswordResetMail mail, PasswordService passwords)
    {
        if (passwords.SwitchedOff)
        {
            return Problems.Forbidden(SignInAnswer.SwitchedOffMessage);
        }

        if (!mail.IsAvailable)
        {
            return TypedResults.Problem(title: "This server sends no email: ask an admin to set a new password for you.", statusCode: StatusCodes.Status404NotFound);
        }

        mail.Request(request.Email);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ResetPassword(ResetPasswordRequest request, PasswordService passwords) =>
        (await passwords.ResetAsync(request)).ToNoContent();

    public static async Task<Results<NoContent, ProblemHttpResult>> SignIn(SignInRequest request, PasswordSignIn signIn, HttpContext http)
    {
        var answer = await signIn.SignInAsync(request.Email, request.Password, request.RememberMe, http);
        if (answer.Succeeded)
        {
            return TypedResults.NoContent();
        }

        if (answer.SwitchedOff)
        {
            return TypedResults.Problem(title: SignInAnswer.SwitchedOffMessage, statusCode: StatusCodes.Status403Forbidden);
        }

        if (answer.MustWait)
        {
            http.Response.Headers.RetryAfter = Math.Ceiling(answer.Wait.TotalSeconds).ToString("0", System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: answer.WaitMessage, statusCode: StatusCodes.Status429TooManyRequests);
        }

        return TypedResults.Problem(title: SignInAnswer.Refused, statusCode: StatusCodes.Status401Unauthorized);
    }

    public static async Task<NoContent> SignOut(SignInManager<Account> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }
}
