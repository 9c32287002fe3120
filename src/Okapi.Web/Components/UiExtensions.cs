using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.Diagnostics;
using MudBlazor.Services;
using Okapi.Data.Identity;
using Okapi.Web.Components.Ui;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Components;

public static class UiExtensions
{
    /// <summary>The Blazor pages (interactive on the server), MudBlazor, and what keeps open pages live.</summary>
    public static IServiceCollection AddOkapiUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        services.AddScoped<OkapiSession>();
        services.AddScoped<CycleSelection>();
        services.AddSingleton<LiveUpdates>();
        services.AddSingleton<IInterceptor, LiveUpdateInterceptor>();
        return services;
    }

    /// <summary>
    /// A browser that asks for a page at an unknown address gets the app's own not-found page with status 404; the API
    /// and other clients keep the problem details of the <c>UseStatusCodePages</c> around this. The re-execution must sit
    /// on the application itself (a branch would not route again), so other requests switch it off instead.
    /// </summary>
    public static WebApplication UseOkapiNotFoundPage(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            var isPage = HttpMethods.IsGet(context.Request.Method)
                && !context.Request.Path.StartsWithSegments("/api")
                && context.Request.Headers.Accept.Any(accept => accept?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);
            if (!isPage && context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }

            return next(context);
        });
        return app;
    }

    public static WebApplication MapOkapiUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapPost("/sign-out", async (HttpContext context, IAntiforgery antiforgery, SignInManager<Account> signIn) =>
        {
            await antiforgery.ValidateRequestAsync(context);
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/sign-in");
        }).ExcludeFromDescription();
        return app;
    }
}
