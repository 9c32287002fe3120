using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Okapi.Web.Tests.Fuzzing;

/// <summary>One operation of the OpenAPI document: what the fuzzer knows about its parameters and body.</summary>
public sealed record FuzzOperation(string Method, string Template, IReadOnlyList<FuzzParameter> Parameters, JsonElement? Body, IReadOnlyList<string> ContentTypes)
{
    public string Name => $"{Method} {Template}";

    public bool IsWrite => Method != "GET";

    /// <summary>Every operation of the document, in the document's order.</summary>
    public static List<FuzzOperation> AllOf(JsonElement document)
    {
        var operations = new List<FuzzOperation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                var parameters = method.Value.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => new FuzzParameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!, p.GetProperty("schema"))).ToList()
                    : [];
                JsonElement? body = null;
                var contentTypes = new List<string>();
                if (method.Value.TryGetProperty("requestBody", out var requestBody) && requestBody.TryGetProperty("content", out var content))
                {
                    foreach (var type in content.EnumerateObject())
                    {
                        contentTypes.Add(type.Name);
                        body ??= type.Value.GetProperty("schema");
                    }
                }

                operations.Add(new FuzzOperation(method.Name.ToUpperInvariant(), path.Name, parameters, body, contentTypes));
            }
        }

        return operations;
    }
}

public sealed record FuzzParameter(string Name, string In, JsonElement Schema);

/// <summary>A request as sent: the body as bytes, so that it can be invalid UTF-8, and headers unvalidated.</summary>
public sealed record FuzzRequest(string Method, string Url, string? ContentType, byte[]? Body, IReadOnlyList<(string Name, string Value)> Headers)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(Url, UriKind.Relative));
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null || ContentType is not null)
        {
            message.Content = new ByteArrayContent(Body ?? []);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }

    public override string ToString()
    {
        var text = new StringBuilder($"{Method} {Shorten(Url, 300)}");
        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $" [{name}: {value}]");
        }

        if (ContentType is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" [Content-Type: {ContentType}]");
        }

        if (Body is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" body ({Body.Length} bytes): {Shorten(Encoding.UTF8.GetString(Body), 400)}");
        }

        return text.ToString();
    }

    public static string Shorten(string text, int length) => text.Length > length ? text[..length] + "…" : text;
}

/// <summary>
/// Generators of malformed and extreme requests for an operation, from its OpenAPI description: plausible values that
/// reach the validation (real ids of the world's objects half of the time), mutated with wrong types, extreme numbers,
/// odd strings and dates, missing and extra fields, broken JSON, wrong content types and odd If-Match values.
/// </summary>
public sealed class FuzzRequests(JsonElement document, IReadOnlyDictionary<string, Guid> world)
{
    private readonly JsonElement _schemas = document.GetProperty("components").GetProperty("schemas");

    /// <summary>JSON values that are valid JSON but wrong or extreme wherever they stand.</summary>
    private static readonly string[] WildJson =
    [
        "null", "true", "false", "0", "-1", "1", "2147483648", "-2147483649", "9223372036854775808", "18446744073709551616",
        "1e308", "-1e308", "1.7976931348623157e308", "5e-324", "-5e-324", "2.2250738585072014e-308", "1e-400", "-0", "0.1e1",
        "123456789012345678901234567890", "1e999", "-1e999",
        "\"\"", "\" \"", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e308\"", "\"5e-324\"", "\"0x10\"", "\"true\"", "\"null\"",
        "\"\\ud800\"", "\"\\udc00x\"", "\"a\\ud800b\"", "\"\\u0000\"", "\"nul\\u0000inside\"", "\"\\u202eevil.exe\"", "\"\\u05e9\\u05dc\\u05d5\\u05dd\"",
        "\"\\ufeff\"", "\"\\uffff\"", "\"😀🏳️‍🌈\"", "\"e\\u0301\"", "\"<script>alert(1)</script>\"", "\"=cmd|' /C calc'!A0\"", "\"'; DROP TABLE x; --\"",
        "\"0001-01-01\"", "\"9999-12-31\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.9999999Z\"", "\"0001-01-01T00:00:00+14:00\"",
        "\"9999-12-31T23:59:59-14:00\"", "\"2027-02-30\"", "\"2020/01/01\"", "\"01/02/2027\"", "\"2027-13-01T00:00:00Z\"", "\"1970-01-01\"",
        "\"not-a-guid\"", "\"00000000-0000-0000-0000-000000000000\"", "\"{00000000-0000-0000-0000-000000000001}\"", "\"ffffffff-ffff-ffff-ffff-ffffffffffff\"",
        "[]", "{}", "[null]", "[1, 2, 3]", "[{}]", "{\"a\": 1}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    ];

    /// <summary>Raw bodies that are not what any operation expects.</summary>
    private static readonly string[] WildBodies =
    [
        "", " ", "null", "[]", "{}", "0", "\"text\"", "not json at all", "{", "}", "{\"a\":", "[{]", "{\"a\" 1}", "{'a': 1}", "{\"a\": 1,}",
        "{\"a\": NaN}", "{\"a\": Infinity}", "{\"a\": 01}", "{\"a\": .5}", "/* comment */ {}", "\ufeff{}", "{\"a\": \"\\ud800\"}", "{\"a\": \"\\x41\"}",
        "{\"__proto__\": {\"admin\": true}}", "{\"a\": 1, \"a\": 2}",
        new string('[', 2000) + new string(']', 2000),
    ];

    private static readonly string[] WildText =
    [
        "", " ", "0", "-1", "1", "2147483648", "-2147483649", "99999999999999999999", "1e308", "5e-324", "NaN", "Infinity", "-0", "0x10",
        "true", "null", "[]", "{}", "0001-01-01", "9999-12-31", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "0001-01-01T00:00:00+14:00",
        "2027-02-30", "2020/01/01", "not-a-guid", "00000000-0000-0000-0000-000000000000", "{00000000-0000-0000-0000-000000000001}",
        "\0", "a\0b", "\u202eevil", "שלום", "😀", "\ud800", "e\u0301", "..", "../..", "/", "%", "%00", "%ZZ", "a&b=c", "a#b", "<script>", "' OR 1=1 --",
        "active,closed", "ACTIVE", " active ",
    ];

    // The test server refuses a path with NUL before Okapi sees it (Kestrel answers 400 itself).
    private static readonly string[] PathText = [.. WildText.Where(v => !v.Contains('\0', StringComparison.Ordinal))];

    private static readonly string[] WildIfMatch =
    [
        "\"1\"", "\"1", "1\"", "1", "*", "W/\"1\"", "w/\"1\"", "\"1\", \"2\"", "\"2\", *", "", " ", "\"\"", "\"-1\"", "\"0\"", "\"99999999999999999999\"",
        "\"2147483648\"", "\"abc\"", "\"1\"\"2\"", "\"1\",", ",", "\"é\"", "\"\u202e1\"", "W/", "\"" + new string('9', 5000) + "\"",
    ];

    private static readonly string[] WildContentTypes =
    [
        "application/json; charset=utf-8", "application/json; charset=UTF-8", "application/json; charset=utf-16", "application/json; charset=ebcdic-xx",
        "application/json; charset=\"\"", "application/json; charset=", "application/json;", "application/json; boundary=x", "text/plain",
        "text/json", "application/xml", "application/problem+json", "application/merge-patch+json", "application/x-www-form-urlencoded",
        "multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=fuzz", "text/csv", "application/yaml", "*/*", "json",
        "a/b/c", "application/json, text/plain", "APPLICATION/JSON",
    ];

    private static readonly string[] WildAccept = ["application/xml", "text/csv", "*/*;q=abc", "text/html", "application/json;q=0", "application/problem+json"];

    private static Gen<string> OneOf(params string[] values) => Gen.OneOf(values);

    public Gen<FuzzRequest> For(FuzzOperation operation) =>
        Gen.Select(Path(operation), Query(operation), Body(operation), Headers(operation),
            (path, query, body, headers) => new FuzzRequest(operation.Method, path + query, body.ContentType, body.Bytes, headers));

    private Gen<string> Path(FuzzOperation operation)
    {
        var segments = operation.Template.Split('/');
        var gens = segments.Select((segment, i) => segment.StartsWith('{')
            ? Gen.Frequency((1, IdOf(Kind(segments[i - 1], segment.Trim('{', '}'))).Select(id => id.ToString())), (1, Gen.OneOf(Gen.Guid.Select(g => g.ToString()), OneOf(PathText))))
                .Select(Uri.EscapeDataString)
            : Gen.Const(segment)).ToArray();
        return gens.Aggregate(Gen.Const(""), (path, segment) => Gen.Select(path, segment, (p, s) => p.Length == 0 && s.Length == 0 ? "" : p + "/" + s))
            .Select(p => p.TrimStart('/').Length == 0 ? "/" : "/" + p.TrimStart('/'));
    }

    private Gen<string> Query(FuzzOperation operation)
    {
        var parameters = operation.Parameters.Where(p => p.In == "query").Select(p =>
            Gen.Frequency(
                (2, Gen.Const("")),
                (2, PlausibleText(p.Schema, p.Name).Select(v => $"{p.Name}={Uri.EscapeDataString(v)}")),
                (2, OneOf(WildText).Select(v => $"{p.Name}={Uri.EscapeDataString(v)}")),
                // Not escaped: invalid percent-encoding and separators inside the value.
                (1, OneOf("%", "%ZZ", "%00", "%C0%80", "%ED%A0%80", "a=b", "", "+", "&&").Select(v => $"{p.Name}={v}")),
                (1, Gen.Select(PlausibleText(p.Schema, p.Name), OneOf(WildText), (a, b) => $"{p.Name}={Uri.EscapeDataString(a)}&{p.Name}={Uri.EscapeDataString(b)}"))))
            .Append(Gen.Frequency((6, Gen.Const("")), (1, OneOf("unknown=1", "page=-1", "pageSize=0", "pageSize=2147483647", "page=99999999999", "%=%", "=", "a[]=1&a[0]=2"))));
        return parameters.Aggregate(Gen.Const(""), (query, parameter) => Gen.Select(query, parameter, (q, p) => p.Length == 0 ? q : q.Length == 0 ? "?" + p : q + "&" + p));
    }

    private Gen<IReadOnlyList<(string, string)>> Headers(FuzzOperation operation) =>
        Gen.Select(
            Gen.Frequency((operation.Method is "PUT" or "DELETE" or "PATCH" ? 3 : 8, Gen.Const("")), (2, OneOf(WildIfMatch).Select(v => "If-Match\n" + v))),
            Gen.Frequency((8, Gen.Const("")), (1, OneOf(WildAccept).Select(v => "Accept\n" + v))),
            (ifMatch, accept) => (IReadOnlyList<(string, string)>)[.. new[] { ifMatch, accept }.Where(h => h.Length > 0).Select(h => (h[..h.IndexOf('\n')], h[(h.IndexOf('\n') + 1)..]))]);

    private Gen<(string? ContentType, byte[]? Bytes)> Body(FuzzOperation operation)
    {
        var declared = operation.ContentTypes.Count > 0 ? operation.ContentTypes : ["application/json"];
        var contentType = Gen.Frequency((12, OneOf([.. declared]).Select(t => (string?)t)), (3, OneOf(WildContentTypes).Select(t => (string?)t)), (1, Gen.Const((string?)null).Select(t => t)));
        Gen<string> text;
        if (operation.Body is { } schema)
        {
            text = Gen.Frequency(
                (3, Plausible(schema, "", 0)),
                (8, Mutated(schema)),
                (2, OneOf(WildBodies)),
                (1, OneOf(WildJson)),
                (1, Plausible(schema, "", 0).Select(b => $"[{b}]")),
                (1, Gen.Select(Plausible(schema, "", 0), Gen.Int[0, 1000], (b, cut) => b[..Math.Min(cut, b.Length)])));
        }
        else if (operation.Template.EndsWith("/upload", StringComparison.Ordinal))
        {
            return Upload();
        }
        else if (operation.Method is "POST" or "PUT" or "PATCH")
        {
            text = Gen.Frequency((6, Gen.Const("")), (1, OneOf(WildBodies)), (1, OneOf(WildJson)));
        }
        else
        {
            var none = ((string?)null, (byte[]?)null);
            return Gen.Frequency((8, Gen.Const(none)), (1, Gen.Select(contentType, OneOf(WildBodies), (t, b) => ((string?)t, (byte[]?)Encoding.UTF8.GetBytes(b)))));
        }

        return Gen.Select(contentType, text, Gen.Int[0, 30], (type, body, invalid) =>
            ((string?)type, (byte[]?)(invalid == 0 ? InvalidUtf8(body) : Encoding.UTF8.GetBytes(body))));
    }

    /// <summary>A body with bytes that are not UTF-8 (a lone continuation byte, an overlong form, a surrogate's encoding).</summary>
    private static byte[] InvalidUtf8(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body).ToList();
        var at = bytes.IndexOf((byte)'"') + 1;
        bytes.InsertRange(Math.Max(at, 0), [0x80, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xFF]);
        return [.. bytes];
    }

    /// <summary>CSV, XLSX and multipart bodies for the spreadsheet upload: good rows, bad rows, and broken framing.</summary>
    private Gen<(string? ContentType, byte[]? Bytes)> Upload()
    {
        var kpi = IdOf("kpis").Select(id => id.ToString());
        var cell = Gen.Frequency((3, Gen.Const("ok")), (1, OneOf(WildText)));
        var csv = Gen.Select(kpi, cell, cell, cell, (id, k, at, value) =>
            "kpi,at,value\n" + $"{(k == "ok" ? id : Csv(k))},{(at == "ok" ? "2027-02-14T10:00:00Z" : Csv(at))},{(value == "ok" ? "5" : Csv(value))}\n");
        const string boundary = "fuzzboundary";
        string Part(string body) => $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"values.csv\"\r\nContent-Type: text/csv\r\n\r\n{body}\r\n--{boundary}--\r\n";
        return Gen.Frequency(
            (4, csv.Select(c => ((string?)"text/csv", (byte[]?)Encoding.UTF8.GetBytes(c)))),
            (1, csv.Select(c => ((string?)"text/csv", (byte[]?)InvalidUtf8(c)))),
            (1, csv.Select(c => ((string?)"text/csv; charset=ebcdic-xx", (byte[]?)Encoding.UTF8.GetBytes(c)))),
            (2, csv.Select(c => ((string?)$"multipart/form-data; boundary={boundary}", (byte[]?)Encoding.UTF8.GetBytes(Part(c))))),
            (1, Gen.Select(csv, Gen.Int[0, 200], (c, cut) => ((string?)$"multipart/form-data; boundary={boundary}", (byte[]?)Encoding.UTF8.GetBytes(Part(c)[..Math.Min(cut, Part(c).Length)])))),
            (1, csv.Select(c => ((string?)"multipart/form-data", (byte[]?)Encoding.UTF8.GetBytes(Part(c))))),
            (1, Gen.Const(((string?)"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (byte[]?)"PK\u0003\u0004garbage"u8.ToArray()))),
            (1, OneOf(WildBodies).Select(b => ((string?)"text/csv", (byte[]?)Encoding.UTF8.GetBytes(b)))),
            (1, Gen.Const(((string?)null, (byte[]?)null)).Select(x => x)));
    }

    private static string Csv(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A plausible body with one or more fields replaced by wild values, removed, or joined by unknown ones.</summary>
    private Gen<string> Mutated(JsonElement schema)
    {
        schema = Resolve(schema);
        if (TypeOf(schema) == "array" && schema.TryGetProperty("items", out var items))
        {
            return Gen.Select(Mutated(items), Plausible(items, "", 1), Gen.Bool, (bad, good, first) => first ? $"[{bad}, {good}]" : $"[{good}, {bad}]");
        }

        if (!schema.TryGetProperty("properties", out var properties))
        {
            return OneOf(WildJson);
        }

        var names = properties.EnumerateObject().Select(p => p.Name).ToArray();
        if (names.Length == 0)
        {
            return Gen.Const("{}");
        }

        return Fields(schema, 0).SelectMany(fields => Gen.Select(Gen.Int[0, names.Length - 1], Gen.Int[0, 5], OneOf(WildJson), OneOf(WildJson),
            (which, how, wild, other) =>
            {
                var list = fields.ToList();
                var name = names[which];
                var index = list.FindIndex(f => f.Name == name);
                switch (how)
                {
                    case 0 or 1 when index >= 0:
                        list[index] = (name, wild);
                        break;
                    case 2 when index >= 0:
                        list.RemoveAt(index);
                        break;
                    case 3:
                        list = [.. list.Select((f, i) => i % 2 == 0 ? (f.Name, i == 0 ? wild : other) : f)];
                        break;
                    case 4:
                        list.Add(("unknownField", wild));
                        list.Add((name.ToUpperInvariant(), other));
                        break;
                    default:
                        list = [.. list.Where((_, i) => i % 2 == 1)];
                        break;
                }

                return Object(list);
            }));
    }

    private Gen<List<(string Name, string Json)>> Fields(JsonElement schema, int depth)
    {
        var properties = schema.GetProperty("properties").EnumerateObject().ToList();
        return properties.Aggregate(Gen.Const(new List<(string, string)>()), (fields, property) =>
            Gen.Select(fields, Plausible(property.Value, property.Name, depth + 1), (list, value) => new List<(string, string)>(list) { (property.Name, value) }));
    }

    private static string Object(IEnumerable<(string Name, string Json)> fields) =>
        "{" + string.Join(", ", fields.Select(f => $"{JsonSerializer.Serialize(f.Name)}: {f.Json}")) + "}";

    /// <summary>A value the schema allows, as JSON; ids are the world's (of the kind the field's name says) or unknown ones.</summary>
    private Gen<string> Plausible(JsonElement schema, string name, int depth)
    {
        schema = Resolve(schema);
        if (schema.TryGetProperty("enum", out var values))
        {
            return Gen.OneOf(values.EnumerateArray().Select(v => v.GetRawText()).ToArray());
        }

        switch (TypeOf(schema))
        {
            case "object" when schema.TryGetProperty("properties", out _) && depth < 4:
                return Fields(schema, depth).Select(Object);
            case "object":
                return Gen.Const("{}");
            case "array" when depth < 4 && schema.TryGetProperty("items", out var items):
                return Gen.Int[0, 2].SelectMany(count => Enumerable.Range(0, count).Aggregate(Gen.Const(new List<string>()),
                    (list, _) => Gen.Select(list, Plausible(items, name, depth + 1), (l, v) => new List<string>(l) { v }))).Select(l => "[" + string.Join(", ", l) + "]");
            case "array":
                return Gen.Const("[]");
            case "boolean":
                return OneOf("true", "false");
            case "integer":
                return Gen.Int[Bound(schema, "minimum", 0), Bound(schema, "maximum", 10)].Select(i => i.ToString(CultureInfo.InvariantCulture));
            case "number":
                return Gen.Frequency((3, Gen.Int[-5, 120].Select(i => i.ToString(CultureInfo.InvariantCulture))), (1, Gen.Double[-1000, 1000].Select(d => d.ToString("R", CultureInfo.InvariantCulture))));
            default:
                return PlausibleText(schema, name).Select(v => JsonSerializer.Serialize(v));
        }
    }

    /// <summary>A plausible value as text, for a query parameter or a JSON string.</summary>
    private Gen<string> PlausibleText(JsonElement schema, string name)
    {
        schema = Resolve(schema);
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        var lower = name.ToLowerInvariant();
        return (format, TypeOf(schema)) switch
        {
            ("uuid", _) => Gen.Frequency((1, IdOf(KindOfField(lower)).Select(id => id.ToString())), (1, Gen.Guid.Select(g => g.ToString()))),
            ("date", _) => OneOf("2027-01-01", "2027-02-15", "2027-03-31", "2026-12-31"),
            ("date-time", _) => OneOf("2027-02-15T10:00:00Z", "2027-02-14T08:30:00+01:00", "2027-01-01T00:00:00Z"),
            (_, "integer") => Gen.Int[-2, 250].Select(i => i.ToString(CultureInfo.InvariantCulture)),
            (_, "boolean") => OneOf("true", "false"),
            _ when lower.Contains("email") => Gen.Int.Select(i => $"fuzz{(uint)i}@okapi.test"),
            _ when lower.Contains("timezone") => OneOf("Europe/Berlin", "UTC", "America/New_York"),
            _ when lower.Contains("url") => OneOf("https://metrics.intranet/value", "http://127.0.0.1/x"),
            _ when lower.Contains("schedule") => OneOf("0 * * * *", "*/5 * * * *"),
            _ when lower.Contains("host") => OneOf("metrics.intranet", "localhost"),
            _ when lower is "state" => OneOf("active", "draft", "closed", "pending", "firing"),
            _ when lower is "format" => OneOf("json", "yaml", "csv", "xlsx"),
            _ => Gen.Int[0, 999].Select(i => $"Fuzz {i}"),
        };
    }

    private static int Bound(JsonElement schema, string name, int fallback) =>
        schema.TryGetProperty(name, out var bound) && bound.TryGetInt32(out var value) ? value : fallback;

    /// <summary>An id of the world's object of that kind, or of any kind when the world has none.</summary>
    private Gen<Guid> IdOf(string? kind) =>
        kind is not null && world.TryGetValue(kind, out var id) ? Gen.Const(id) : Gen.OneOf(world.Values.ToArray());

    /// <summary>The kind of object a route parameter names: the segment before it, or the parameter's own name.</summary>
    private static string? Kind(string before, string parameter) => parameter switch
    {
        "checkInId" => "check-ins",
        "cycleId" => "cycles",
        "linkId" => null,
        _ => before,
    };

    private static string? KindOfField(string name) =>
        name.Contains("keyresult") ? "key-results" :
        name.Contains("objective") || name.Contains("parent") ? "objectives" :
        name.Contains("checkin") ? "check-ins" :
        name.Contains("cycle") ? "cycles" :
        name.Contains("team") ? "teams" :
        name.Contains("kpi") ? "kpis" :
        name.Contains("person") || name.Contains("owner") || name.Contains("reviewer") || name.Contains("actor") || name.Contains("member") ? "people" :
        null;

    private JsonElement Resolve(JsonElement schema)
    {
        while (true)
        {
            if (schema.TryGetProperty("$ref", out var reference))
            {
                schema = _schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
            }
            else if (schema.TryGetProperty("oneOf", out var choices) || schema.TryGetProperty("anyOf", out choices))
            {
                schema = choices.EnumerateArray().FirstOrDefault(c => TypeOf(c) != "null", choices[0]);
            }
            else
            {
                return schema;
            }
        }
    }

    private static string? TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : null;
        }

        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null") ?? "null"
            : type.GetString();
    }
}
