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
        });
        // After the framework's writer, which it asks first: it answers the requests that accept JSON.
        services.AddSingleton<IProblemDetailsWriter, ProblemDetailsWriter>();
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
