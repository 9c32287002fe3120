using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Okapi.Web.Infrastructure;

public static class ApiExtensions
{
    /// <summary>JSON, validation, problem details and the OpenAPI document.</summary>
    public static IServiceCollection AddOkapiApi(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(o => Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddValidation();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions.Remove("exception");
            if (context.ProblemDetails is HttpValidationProblemDetails validation)
            {
                NameFieldsAsJsonDoes(validation.Errors);
            }
        });
        // After the framework's writer, which it asks first: it answers the requests that accept JSON.
        services.AddSingleton<IProblemDetailsWriter, ProblemDetailsWriter>();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddOpenApi(o =>
        {
            o.AddOkapiConventions();
            o.AddOkapiExamples();
        });
        return services;
    }

    /// <summary>
    /// The built-in validation names a field by its C# property ("CheckInHour", "Grades[0].Grade"); clients know it by its
    /// JSON name, as every other problem names it.
    /// </summary>
    private static void NameFieldsAsJsonDoes(IDictionary<string, string[]> errors)
    {
        foreach (var key in errors.Keys.ToList())
        {
            var name = string.Join('.', key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
            if (name != key)
            {
                var messages = errors[key];
                errors.Remove(key);
                errors[name] = errors.TryGetValue(name, out var existing) ? [.. existing, .. messages] : messages;
            }
        }
    }

    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.Converters.Add(new CamelCaseEnumConverter());
        o.NumberHandling = JsonNumberHandling.Strict;
        o.MaxDepth = 32;
    }

    /// <summary>
    /// The content security policy of every response. Scripts come only from the app's own files; the API
    /// reference page's inline scripts carry a nonce made per request. Styles allow 'unsafe-inline' because
    /// MudBlazor writes style attributes (positions, sizes, colours) and its theme as a style element, and a
    /// nonce cannot cover attributes. Blazor Server needs no eval; its WebSocket goes to the same origin ('self').
    /// </summary>
    private static string ContentSecurityPolicy(string? scriptNonce) =>
        "default-src 'self'; " +
        $"script-src 'self'{(scriptNonce is null ? "" : $" 'nonce-{scriptNonce}'")}; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    /// <summary>The policy of every response but the API reference page's, made once rather than per request.</summary>
    private static readonly string Policy = ContentSecurityPolicy(null);

    /// <summary>
    /// Security headers on every response: the content security policy (replacing Blazor's own, which sets only
    /// frame-ancestors), HSTS over https outside development, and no-store on what is private — answers to a signed-in
    /// caller and HTML pages, which are rendered per person.
    /// </summary>
    public static IApplicationBuilder UseOkapiSecurityHeaders(this IApplicationBuilder app)
    {
        if (!app.ApplicationServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment())
        {
            app.UseHsts();
        }

        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            context.Response.OnStarting(() =>
            {
                headers.ContentSecurityPolicy = context.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce ? ContentSecurityPolicy(nonce) : Policy;
                var html = context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
                if ((html || context.User.Identity?.IsAuthenticated == true) && !headers.CacheControl.ToString().Contains("no-store", StringComparison.Ordinal))
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            await next(context);
        });
    }
}
