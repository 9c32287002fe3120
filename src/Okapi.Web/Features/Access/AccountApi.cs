using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Okapi.Data.Identity;

namespace Okapi.Web.Features.Access;

public sealed record SignInRequest([property: Required, StringLength(320)] string Email, [property: Required, StringLength(200)] string Password, bool RememberMe = false);

/// <summary>Cookie sign-in for the web UI, with lockout after repeated failures.</summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account").WithTags("Account").AllowAnonymous();
        group.MapPost("/sign-in", SignIn).WithSummary("Sign in with email and password; sets the session cookie.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/sign-out", SignOut).WithSummary("Sign out: clears the session cookie.");
        return app;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> SignIn(SignInRequest request, SignInManager<Account> signIn)
    {
        var result = await signIn.PasswordSignInAsync(request.Email, request.Password, request.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return TypedResults.NoContent();
        }

        return TypedResults.Problem(
            title: result.IsLockedOut ? "The account is locked for a while after too many failed attempts." : "Email or password is wrong.",
            statusCode: StatusCodes.Status401Unauthorized);
    }

    public static async Task<NoContent> SignOut(SignInManager<Account> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }
}
