using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// What the OpenAPI document says about every operation alike, derived from the endpoints rather than repeated on each:
/// operation ids, conditional requests and ETags, problem-detail error bodies, camelCase query parameters, upload bodies
/// and how callers authenticate. Summaries and descriptions stay with each endpoint.
/// </summary>
internal static class OpenApiConventions
{
    private const string ProblemJson = "application/problem+json";
    private const string Bearer = "bearer";
    private const string Cookie = "cookie";
    private const string RequiredByAttribute = "okapi-required";

    public static void AddOkapiConventions(this OpenApiOptions options)
    {
        // The framework lists an enum's values only for its own string converter; ours writes the same camelCase names.
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type is { IsEnum: true } type && schema.Enum is not { Count: > 0 })
            {
                schema.Type = JsonSchemaType.String;
                schema.Enum = [.. Enum.GetNames(type).Select(n => (System.Text.Json.Nodes.JsonNode)JsonNamingPolicy.CamelCase.ConvertName(n))];
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var handler = context.Description.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault();
            var document = context.Document!;
            operation.OperationId ??= OperationId(handler);
            CamelCaseQueryParameters(operation);
            DescribeUploads(operation);

            var versioned = context.Description.SupportedResponseTypes
                .Where(r => r.StatusCode is StatusCodes.Status200OK or StatusCodes.Status201Created && typeof(IHasVersion).IsAssignableFrom(r.Type))
                .Select(r => r.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            foreach (var status in versioned)
            {
                if (operation.Responses?.TryGetValue(status, out var response) == true && response is OpenApiResponse concrete)
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    concrete.Headers["ETag"] = ETagHeader();
                }
            }

            if (HttpMethods.IsGet(context.Description.HttpMethod ?? "") && versioned.Contains("200"))
            {
                AddHeaderParameter(operation, "If-None-Match",
                    "ETags of the copy you hold; when one is current the answer is 304 Not Modified with no body.");
                operation.Responses!["304"] = new OpenApiResponse
                {
                    Description = "Not modified: the copy with this ETag is current.",
                    Headers = new Dictionary<string, IOpenApiHeader> { ["ETag"] = ETagHeader() },
                };
            }

            if (handler?.GetParameters().Any(p => p.ParameterType == typeof(IfMatch)) == true)
            {
                AddHeaderParameter(operation, "If-Match",
                    "The ETag you last read (or several, or *). When the resource has changed since, nothing is written and the answer is 412. Without it the write is unconditional.");
                AddProblem(operation, document, StatusCodes.Status412PreconditionFailed, "Precondition failed: the resource was changed by someone else; fetch it again and retry.");
                AddProblem(operation, document, StatusCodes.Status400BadRequest, "Bad request: the input or a header is not valid.");
            }

            // Any body or query string can be malformed (not JSON, a value that is not a number or not one of an enum's).
            if (operation.RequestBody is not null || operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true)
            {
                AddProblem(operation, document, StatusCodes.Status400BadRequest, "Bad request: the input is not valid.");
            }

            if (operation.RequestBody is not null)
            {
                AddProblem(operation, document, StatusCodes.Status415UnsupportedMediaType, "The body's media type or charset is not accepted.");
            }

            // NotFound and other results without a body of their own go out as problem details (UseStatusCodePages).
            foreach (var (status, response) in operation.Responses ?? [])
            {
                if (status.StartsWith('4') && response is OpenApiResponse { Content: null or { Count: 0 } } bare)
                {
                    bare.Content = ProblemContent(document);
                }
            }

            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [];
            }

            return Task.CompletedTask;
        });

        // Which properties a type requires by attribute, for RequireOnlyWhatMustBeSent: the schema alone cannot tell a
        // nullable property that may be left out from one that must be sent, even if as null.
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object)
            {
                var required = context.JsonTypeInfo.Properties
                    .Where(p => p.IsRequired || p.AttributeProvider?.IsDefined(typeof(System.ComponentModel.DataAnnotations.RequiredAttribute), inherit: true) == true)
                    .Select(p => p.Name)
                    .ToHashSet();
                schema.Metadata ??= new Dictionary<string, object>();
                schema.Metadata[RequiredByAttribute] = required;
            }

            return Task.CompletedTask;
        });

        options.AddDocumentTransformer((document, context, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Okapi API",
                Version = "v1",
                Description = "OKRs and KPIs. Scripts authenticate with `Authorization: Bearer okapi_…` (create a token with `create-token` or under /api/v1/tokens); " +
                    "the web app's session cookie, set by `POST /account/sign-in`, works too. " +
                    "A resource read by id carries an ETag: send it back in If-Match to avoid lost updates (412 when stale), or in If-None-Match to revalidate (304). " +
                    "Errors are RFC 9457 problem details.",
            };
            var cookie = context.ApplicationServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
                .Get(IdentityConstants.ApplicationScheme).Cookie.Name;
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An Okapi API token.",
            };
            document.Components.SecuritySchemes[Cookie] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = cookie,
                Description = "The session cookie that `POST /account/sign-in` sets.",
            };
            document.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Cookie, document)] = [] },
            ];

            // A trailing slash would double the one every path starts with.
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/');
            }

            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            {
                tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "");
            }

            DescribeNullableReferences(document);
            RequireOnlyWhatMustBeSent(document);
            document.Components.Schemas?.Remove("IFormFile");
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// The endpoint's name when it has one, else the handler's feature and name (ObjectivesApi.List: objectivesList), so
    /// that generated clients get stable method names.
    /// </summary>
    private static string? OperationId(MethodInfo? handler)
    {
        if (handler?.DeclaringType is not { } type || handler.Name.Contains('<'))
        {
            return null;
        }

        var feature = type.Name;
        foreach (var suffix in new[] { "Api", "Service", "Feature" })
        {
            if (feature.EndsWith(suffix, StringComparison.Ordinal) && feature.Length > suffix.Length)
            {
                feature = feature[..^suffix.Length];
                break;
            }
        }

        return handler.Name.StartsWith(feature, StringComparison.Ordinal)
            ? JsonNamingPolicy.CamelCase.ConvertName(handler.Name)
            : JsonNamingPolicy.CamelCase.ConvertName(feature) + handler.Name;
    }

    /// <summary>
    /// Records bound with [AsParameters] name their query parameters as C# does (PageSize); the query string is read
    /// without regard to case, and clients spell it as the JSON does (pageSize).
    /// </summary>
    private static void CamelCaseQueryParameters(OpenApiOperation operation)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Query && parameter.Name is { } name)
            {
                parameter.Name = JsonNamingPolicy.CamelCase.ConvertName(name);
            }
        }
    }

    /// <summary>Endpoints that read a file by hand declare IFormFile for each media type; say what each body really is.</summary>
    private static void DescribeUploads(OpenApiOperation operation)
    {
        if (operation.RequestBody?.Content is not { } content)
        {
            return;
        }

        foreach (var (mediaType, body) in content)
        {
            if (body.Schema is not OpenApiSchemaReference { Reference.Id: "IFormFile" })
            {
                continue;
            }

            body.Schema = mediaType switch
            {
                "multipart/form-data" => new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "file" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The CSV or XLSX file." },
                    },
                },
                _ when mediaType.StartsWith("text/", StringComparison.Ordinal) => new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "The file's text.",
                },
                _ => new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The file's bytes." },
            };
        }
    }

    /// <summary>
    /// A nullable enum or object property is a oneOf of null and a reference, and its doc comment lands on the
    /// reference inside; client generators read a property's description from the property, so it is copied there.
    /// </summary>
    private static void DescribeNullableReferences(OpenApiDocument document)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            foreach (var property in schema.Properties?.Values ?? [])
            {
                if (property is OpenApiSchema { OneOf: { } options } concrete && string.IsNullOrWhiteSpace(concrete.Description) &&
                    options.OfType<OpenApiSchemaReference>().Select(r => r.Reference.Description).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d)) is { } description)
                {
                    concrete.Description = description;
                }
            }
        }
    }

    /// <summary>
    /// A request property that may be null may also be left out (it binds to null), so only properties that cannot be
    /// null and have no default, or that validation requires, are required of a request body. Responses always carry
    /// every property.
    /// </summary>
    private static void RequireOnlyWhatMustBeSent(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null)
        {
            return;
        }

        var requestSchemas = (document.Paths ?? [])
            .SelectMany(p => p.Value.Operations ?? [])
            .SelectMany(o => o.Value.RequestBody?.Content?.Values ?? [])
            .Select(m => m.Schema switch
            {
                OpenApiSchemaReference reference => reference.Reference.Id,
                { Items: OpenApiSchemaReference items } => items.Reference.Id,
                _ => null,
            })
            .OfType<string>()
            .Distinct();
        foreach (var id in requestSchemas)
        {
            if (schemas.TryGetValue(id, out var schema) && schema is OpenApiSchema { Required: { } required, Properties: { } properties } concrete)
            {
                var byAttribute = concrete.Metadata?.TryGetValue(RequiredByAttribute, out var names) == true ? (HashSet<string>)names : [];
                foreach (var name in required.Where(name => !byAttribute.Contains(name) && (!properties.TryGetValue(name, out var property) || MayBeOmitted(property))).ToList())
                {
                    required.Remove(name);
                }
            }
        }
    }

    private static bool MayBeOmitted(IOpenApiSchema property) =>
        property.Default is not null ||
        property.Type?.HasFlag(JsonSchemaType.Null) == true ||
        property.OneOf?.Any(s => s.Type == JsonSchemaType.Null) == true;

    private static OpenApiHeader ETagHeader() => new()
    {
        Description = "The resource's version; send it in If-Match to update it safely, or in If-None-Match to revalidate.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static void AddHeaderParameter(OpenApiOperation operation, string name, string description)
    {
        operation.Parameters ??= [];
        if (!operation.Parameters.Any(p => p.In == ParameterLocation.Header && p.Name == name))
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Header,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument document, int status, string description)
    {
        operation.Responses ??= [];
        operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse
        {
            Description = description,
            Content = ProblemContent(document),
        });
    }

    private static Dictionary<string, OpenApiMediaType> ProblemContent(OpenApiDocument document) => new()
    {
        [ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
    };

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Account"] = "Cookie sign-in for the web app, sign-out and password reset.",
        ["Organisation"] = "The organisation's settings: name, time zone, calendar and defaults.",
        ["Teams"] = "Teams, their parent team and members.",
        ["People"] = "People, their roles and teams, and the caller's own profile.",
        ["Cycles"] = "OKR cycles (quarters, years) and their dates.",
        ["Objectives"] = "Objectives, their alignment to parents, and the alignment tree.",
        ["Audit"] = "The audit log: who changed what, and when.",
        ["Search"] = "Search across objectives, key results, KPIs, teams and people.",
        ["Jobs"] = "Scheduled and background jobs and their runs.",
        ["Closing"] = "Closing a cycle: preview, grades, carry-over and the closed snapshot.",
        ["Key results"] = "Key results of objectives, and moving them between objectives.",
        ["Check-ins"] = "Check-ins on key results: value, confidence and note.",
        ["Initiatives"] = "Initiatives: the work planned to move key results.",
        ["Comments"] = "Comments (Markdown) on objectives and key results.",
        ["Lint"] = "The OKR linter's advice on objectives, key results and KPIs.",
        ["API tokens"] = "API tokens for scripts and integrations.",
        ["KPIs"] = "KPIs: definitions, thresholds, values and periods.",
        ["KPI values"] = "Storing values of many KPIs at once, as JSON or as a spreadsheet.",
        ["Alert rules"] = "Rules that raise alerts when a KPI goes out of range.",
        ["Alerts"] = "Alerts raised by rules, and acknowledging them.",
        ["Channels"] = "Notification channels (webhooks, Slack, Teams, email), their deliveries and allowed hosts.",
        ["Notifications"] = "The caller's in-app notifications.",
        ["KPI sources"] = "Pull sources that fetch KPI values on a schedule.",
        ["Inbox"] = "The caller's inbox of things to do: check-ins due, reviews asked for.",
        ["Reviews"] = "Reviews of objectives before they are activated.",
        ["Reports"] = "Cycle reports, as JSON or as a file.",
        ["OKRs as code"] = "Exporting and importing a cycle's OKRs as a JSON or YAML document.",
    };
}
