using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

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
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Okapi API",
                    Version = "v1",
                    Description = "OKRs and KPIs. Authenticate with `Authorization: Bearer okapi_…` (create a token with `create-token` or under /api/v1/tokens). " +
                        "Writes return an ETag; send it back in If-Match to avoid lost updates (412 when stale). Errors are RFC 9457 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An Okapi API token.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                return Task.CompletedTask;
            });
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
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        o.NumberHandling = JsonNumberHandling.Strict;
        o.MaxDepth = 32;
    }

    public static IApplicationBuilder UseOkapiSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        await next(context);
    });
}
