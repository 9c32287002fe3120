using Microsoft.AspNetCore.Antiforgery;
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
