using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// Gives every property of every request and response schema a realistic example, chosen by its JSON name and its type
/// in one place, so that the API reference and generated clients show plausible values without an attribute on each DTO.
/// The document is OpenAPI 3.1, whose schemas take JSON Schema's <c>examples</c> list; <c>example</c> is deprecated there.
/// </summary>
internal static class OpenApiExamples
{
    private const string SchemaId = "x-schema-id";

    // Nested objects and lists of them are shown a few levels deep; tree-shaped DTOs would otherwise never end.
    private const int MaxDepth = 3;

    public static void AddOkapiExamples(this OpenApiOptions options) =>
        options.AddSchemaTransformer((schema, context, _) =>
        {
            // An object's schema is transformed where it is first met, which may be as a property of another: both count.
            if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { } properties)
            {
                foreach (var property in context.JsonTypeInfo.Properties)
                {
                    // A property of an object type becomes a reference to that type's schema, which has examples of its own.
                    if (properties.TryGetValue(property.Name, out var target) && target is OpenApiSchema concrete &&
                        !(concrete.Metadata?.ContainsKey(SchemaId) == true && IsObject(property.PropertyType, property.Options)))
                    {
                        if (concrete.Examples is not { Count: > 0 } && Example(property.PropertyType, property.Name, context.JsonTypeInfo.Type, property.Options, 0) is { } example)
                        {
                            concrete.Examples = [example];
                        }
                    }
                }
            }

            return Task.CompletedTask;
        });

    private static bool IsObject(Type type, JsonSerializerOptions options) =>
        options.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type).Kind == JsonTypeInfoKind.Object;

    /// <summary>An example of a value of <paramref name="type"/> held by a property <paramref name="name"/> of <paramref name="owner"/>.</summary>
    private static JsonNode? Example(Type type, string name, Type owner, JsonSerializerOptions options, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return Text(name, owner);
        }

        if (type == typeof(Guid))
        {
            return JsonValue.Create(Id(name).ToString("D"));
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return JsonValue.Create(name.StartsWith("end", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Until", StringComparison.Ordinal) || name.StartsWith("expires", StringComparison.OrdinalIgnoreCase)
                ? "2027-03-31T17:00:00Z" : "2027-02-15T09:30:00Z");
        }

        if (type == typeof(DateOnly))
        {
            return JsonValue.Create(name.StartsWith("end", StringComparison.OrdinalIgnoreCase) || name.StartsWith("due", StringComparison.OrdinalIgnoreCase)
                ? "2027-03-31" : "2027-01-01");
        }

        if (type == typeof(TimeOnly) || type == typeof(TimeSpan))
        {
            return JsonValue.Create("09:00:00");
        }

        if (type == typeof(bool))
        {
            return JsonValue.Create(Truthy(name));
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return JsonValue.Create(Whole(name));
        }

        if (type == typeof(double) || type == typeof(decimal) || type == typeof(float))
        {
            return JsonValue.Create(Number(name));
        }

        if (type.IsEnum)
        {
            return Serialized(Enum.GetValues(type).GetValue(0), type, options);
        }

        if (depth >= MaxDepth)
        {
            return null;
        }

        var info = options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable when info.ElementType is { } element:
                return Example(element, Singular(name), owner, options, depth + 1) is { } item ? new JsonArray(item) : new JsonArray();
            case JsonTypeInfoKind.Dictionary when info.ElementType is { } value:
                return Example(value, name, owner, options, depth + 1) is { } entry ? new JsonObject { [DictionaryKey(name)] = entry } : new JsonObject();
            case JsonTypeInfoKind.Object:
                var example = new JsonObject();
                foreach (var property in info.Properties)
                {
                    if (Example(property.PropertyType, property.Name, type, options, depth + 1) is { } value)
                    {
                        example[property.Name] = value;
                    }
                }

                return example;
            default:
                // A type with a converter of its own (an enum-like value): its default serialised, if that works.
                return type.IsValueType ? Serialized(Activator.CreateInstance(type), type, options) : null;
        }
    }

    private static JsonNode? Serialized(object? value, Type type, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.SerializeToNode(value, type, options);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException)
        {
            return null;
        }
    }

    /// <summary>A stable id per name, so that the same field shows the same id wherever it appears.</summary>
    private static Guid Id(string name)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(name.ToLowerInvariant()))[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4, as the ids Okapi makes
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static string Singular(string name) =>
        name.EndsWith("ies", StringComparison.Ordinal) ? name[..^3] + "y"
        : name.EndsWith("Ids", StringComparison.Ordinal) ? name[..^1]
        : name.EndsWith('s') && !name.EndsWith("ss", StringComparison.Ordinal) ? name[..^1]
        : name;

    private static string DictionaryKey(string name) => name switch
    {
        "errors" => "title",
        _ => "draft",
    };

    private static bool Truthy(string name) =>
        name.StartsWith("can", StringComparison.Ordinal) || name.EndsWith("Enabled", StringComparison.Ordinal) ||
        name is "enabled" or "signed" or "succeeded" or "onTarget" or "rollsUp" or "isLead" or "lead" or "hasChanges" or "unfinished";

    private static int Whole(string name) => name switch
    {
        "version" => 3,
        "page" or "pageNumber" or "unalignedPage" => 1,
        "pageSize" => 50,
        "position" => 0,
        "updateRhythmDays" => 7,
        "checkInHour" => 9,
        "fiscalYearStartMonth" => 1,
        "status" => 409,
        "week" => 6,
        "repeatMinutes" => 60,
        "pendingSeconds" => 300,
        "attempts" => 1,
        "windowPeriods" or "noDataCadences" => 3,
        "depth" => 2,
        _ => 12,
    };

    private static double Number(string name) => name switch
    {
        "target" => 100,
        "start" or "valueAtStart" => 20,
        "commit" => 70,
        "stretch" => 120,
        "weight" => 1,
        "warningLower" => 30,
        "warningUpper" => 80,
        "criticalLower" => 20,
        "criticalUpper" => 90,
        "change" => 4.5,
        "changePercent" => 11.8,
        "previousValue" => 38,
        "low" or "min" => 12.5,
        "high" or "max" => 87.5,
        "sweetSpotLow" => 0.6,
        "sweetSpotHigh" => 0.7,
        _ when name.Contains("grade", StringComparison.OrdinalIgnoreCase) => 0.7,
        _ when name.Contains("progress", StringComparison.OrdinalIgnoreCase) || name.Contains("share", StringComparison.OrdinalIgnoreCase) ||
            name is "overall" or "expectedPace" or "attainment" or "forecast" => 0.65,
        _ => 42.5,
    };

    private static string Text(string name, Type owner) => name switch
    {
        "title" when owner.Name.StartsWith("KeyResult", StringComparison.Ordinal) => "Cut time to first value to 5 minutes",
        "title" when owner.Name.StartsWith("Initiative", StringComparison.Ordinal) => "Guided setup wizard",
        "title" when owner.Name.Contains("Problem", StringComparison.Ordinal) => "The objective is closed.",
        "title" or "objective" or "objectiveTitle" => "Make onboarding effortless",
        "keyResult" or "keyResultTitle" => "Cut time to first value to 5 minutes",
        "name" => Name(owner),
        "personName" or "actorName" or "ownerName" or "closedByName" or "author" or "owner" or "ownerPerson" or "recipient" => "Ana Silva",
        "teamName" or "ownerTeam" or "parent" => "Platform",
        "cycleName" or "cycle" => "2027 Q1",
        "kpi" or "kpiName" => "weekly-active-users",
        "ruleName" => "Weekly active users below 1000",
        "key" => "weekly-active-users",
        "slug" => "acme",
        "email" => "ana@example.com",
        "unit" => "%",
        "schedule" => "*/15 * * * *",
        "timeZone" => "Europe/Lisbon",
        "description" => "Why this matters and how we will know we got there.",
        "mission" => "Keep the product fast and reliable for every customer.",
        "vision" => "Every team knows what matters most this quarter.",
        "about" => "Product manager for onboarding.",
        "note" or "latestNote" or "acknowledgementNote" => "On track since the new signup flow shipped.",
        "message" => "Ready for your review.",
        "body" => "Nice progress this week, @[Ana Silva](person:4f1c2a9e-8b7d-4e3a-9c51-2d6f0b8a7e14)!",
        "bodyHtml" => "<p>Nice progress this week, <a href=\"/okrs/person/4f1c2a9e-8b7d-4e3a-9c51-2d6f0b8a7e14\">@Ana Silva</a>!</p>",
        "reason" or "overrideReason" or "gradeReason" => "Shipped a month late but beat the target.",
        "retrospective" => "Smaller releases made the difference; start the migration earlier next time.",
        "summary" => "3 of 4 key results on track.",
        "url" or "link" or "target" => "https://hooks.example.com/okapi",
        "host" => "alertmanager.internal:9093",
        "password" or "currentPassword" or "newPassword" => "correct-horse-battery-staple",
        "token" or "secret" => "okapi_9f3b2c7d1e6a4b8f0c5d2e7a1b3c9d4f",
        "prefix" => "okapi_9f3b",
        "query" => "sum(rate(signups_total[5m]))",
        "jsonPath" => "$.data.activeUsers",
        "headerName" => "Authorization",
        "headerValue" => "Bearer 5a1f…",
        "connectionName" => "warehouse",
        "error" or "lastError" => "Connection refused (hooks.example.com:443)",
        "result" => "Stored 1 value.",
        "detail" => "The cycle 2027 Q1 is closed; its objectives are read-only.",
        "instance" => "/api/v1/objectives/4f1c2a9e-8b7d-4e3a-9c51-2d6f0b8a7e14",
        "type" when owner.Name.Contains("Problem", StringComparison.Ordinal) => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        "tag" => "growth",
        "emailDomain" => "example.com",
        "field" => "title",
        "fix" => "Name a measurable outcome instead of an activity.",
        "context" => "Key result “Launch the new signup flow”",
        "entityType" => "Objective",
        "kind" => "weekly-digest",
        "method" => "GET",
        "ruleId" or "id" => "kr-not-measurable",
        "continuedFrom" => "2026 Q4",
        _ => "…",
    };

    private static string Name(Type owner) => owner.Name switch
    {
        var n when n.StartsWith("Team", StringComparison.Ordinal) => "Platform",
        var n when n.StartsWith("Cycle", StringComparison.Ordinal) => "2027 Q1",
        var n when n.StartsWith("Kpi", StringComparison.Ordinal) => "Weekly active users",
        var n when n.StartsWith("Channel", StringComparison.Ordinal) => "On-call webhook",
        var n when n.StartsWith("Token", StringComparison.Ordinal) || n.Contains("Token", StringComparison.Ordinal) => "CI pipeline",
        var n when n.StartsWith("Alert", StringComparison.Ordinal) => "Weekly active users below 1000",
        var n when n.StartsWith("Organisation", StringComparison.Ordinal) => "Acme",
        var n when n.Contains("Source", StringComparison.Ordinal) => "Active users from the warehouse",
        _ => "Ana Silva",
    };
}
