using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Okapi.Web.Features.Exchange;

/// <summary>Where a bound object and its fields were in the document, for errors found after binding.</summary>
/// <remarks>
/// Only lines and columns are kept, not the nodes: a large document's tree can then be let go once it is bound.
/// </remarks>
public sealed class DocumentPlaces
{
    private readonly Dictionary<object, Place> _places = new(ReferenceEqualityComparer.Instance);

    private sealed record Place(string Path, int Line, int Column, FieldPlace[] Fields);

    private readonly record struct FieldPlace(string Name, int Line, int Column);

    internal void Add(object value, string path, DocNode node, Dictionary<string, DocNode> fields) =>
        _places[value] = new Place(path, node.Line, node.Column, [.. fields.Select(f => new FieldPlace(f.Key, f.Value.Line, f.Value.Column))]);

    /// <summary>The place of <paramref name="field"/> of <paramref name="owner"/>: the field's own node, else the owner's.</summary>
    public ExchangeError Error(object owner, string? field, string message)
    {
        if (!_places.TryGetValue(owner, out var place))
        {
            return new ExchangeError(field ?? "", 0, 0, message);
        }

        var path = field is null ? place.Path : place.Path.Length == 0 ? field : $"{place.Path}.{field}";
        var (line, column) = (place.Line, place.Column);
        foreach (var f in place.Fields)
        {
            if (f.Name == field)
            {
                (line, column) = (f.Line, f.Column);
            }
        }

        return new ExchangeError(path, line, column, message);
    }

    public string PathOf(object owner) => _places.TryGetValue(owner, out var place) ? place.Path : "";
}

/// <summary>
/// Binds a <see cref="DocNode"/> tree to the document records by their properties (camelCase names, declaration
/// order), and writes records back to a tree. Every schema error is collected with its place, not only the first:
/// unknown fields, wrong types, unknown enum values and missing required fields.
/// </summary>
public sealed class DocumentBinder
{
    private static readonly NullabilityInfoContext Nullability = new();

    public List<ExchangeError> Errors { get; } = [];
    public DocumentPlaces Places { get; } = new();

    /// <summary>Objects that had a schema error themselves; their domain rules are not checked again (one error, not two).</summary>
    public HashSet<object> Faulty { get; } = new(ReferenceEqualityComparer.Instance);

    public T? Bind<T>(DocNode root) where T : class => Bind(root, typeof(T), "", null) as T;

    private object? Bind(DocNode node, Type type, string path, object? owner)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (node is DocScalar { IsNull: true })
        {
            return null;
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (node is not DocList list)
            {
                return Fail(node, path, owner, "must be a list.");
            }

            var itemType = underlying.GetGenericArguments()[0];
            var result = (IList)Activator.CreateInstance(underlying)!;
            for (var i = 0; i < list.Items.Count; i++)
            {
                if (Bind(list.Items[i], itemType, $"{path}[{i}]", owner) is { } item)
                {
                    result.Add(item);
                }
                else if (list.Items[i] is DocScalar { IsNull: true })
                {
                    Fail(list.Items[i], $"{path}[{i}]", owner, "must not be empty.");
                }
            }

            return result;
        }

        if (underlying.IsClass && underlying != typeof(string))
        {
            return node is DocMap map ? BindObject(map, underlying, path) : Fail(node, path, owner, "must be a map of fields.");
        }

        if (node is not DocScalar scalar)
        {
            return Fail(node, path, owner, $"must be {Describe(underlying)}.");
        }

        return Scalar(scalar, underlying, out var value) ? value : Fail(node, path, owner, $"must be {Describe(underlying)}.");
    }

    private object BindObject(DocMap map, Type type, string path)
    {
        var value = Activator.CreateInstance(type)!;
        var properties = Properties(type);
        var fields = new Dictionary<string, DocNode>(StringComparer.Ordinal);
        foreach (var entry in map.Entries)
        {
            var fieldPath = path.Length == 0 ? entry.Key : $"{path}.{entry.Key}";
            var index = IndexOf(properties, entry.Key);
            if (index < 0)
            {
                Faulty.Add(value);
                Errors.Add(new ExchangeError(fieldPath, entry.Line, entry.Column,
                    $"'{entry.Key}' is not a known field here; expected {string.Join(", ", properties.Select(p => p.Name))}."));
                continue;
            }

            var property = properties[index];
            fields[property.Name] = entry.Value;
            if (Bind(entry.Value, property.Info.PropertyType, fieldPath, value) is { } bound)
            {
                property.Info.SetValue(value, bound);
            }
        }

        foreach (var property in properties.Where(p => p.Required && !fields.ContainsKey(p.Name) ||
                     p.Required && fields.TryGetValue(p.Name, out var n) && n is DocScalar { IsNull: true }))
        {
            Faulty.Add(value);
            var node = fields.GetValueOrDefault(property.Name) ?? map;
            Errors.Add(new ExchangeError(path.Length == 0 ? property.Name : $"{path}.{property.Name}", node.Line, node.Column, "is required."));
        }

        Places.Add(value, path, map, fields);
        return value;
    }

    private static int IndexOf(IReadOnlyList<(string Name, PropertyInfo Info, bool Required)> properties, string name)
    {
        for (var i = 0; i < properties.Count; i++)
        {
            if (properties[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private object? Fail(DocNode node, string path, object? owner, string message)
    {
        if (owner is not null)
        {
            Faulty.Add(owner);
        }

        Errors.Add(new ExchangeError(path, node.Line, node.Column, message));
        return null;
    }

    private static bool Scalar(DocScalar scalar, Type type, out object? value)
    {
        value = null;
        var text = scalar.Text ?? "";
        var plain = scalar.Kind == ScalarKind.Plain;
        if (type == typeof(string))
        {
            value = text;
            return scalar.Kind is ScalarKind.String or ScalarKind.Plain;
        }

        if (type == typeof(int))
        {
            var ok = (scalar.Kind == ScalarKind.Number || plain) && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number);
            value = ok ? int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;
            return ok;
        }

        if (type == typeof(double))
        {
            var ok = (scalar.Kind == ScalarKind.Number || plain) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number);
            value = ok ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : null;
            return ok;
        }

        if (type == typeof(bool))
        {
            var ok = (scalar.Kind == ScalarKind.Bool || plain) && text is "true" or "false";
            value = text == "true";
            return ok;
        }

        if (scalar.Kind is not (ScalarKind.String or ScalarKind.Plain))
        {
            return false;
        }

        if (type.IsEnum)
        {
            var match = Enum.GetValues(type).Cast<Enum>().FirstOrDefault(e => EnumName(e) == text);
            value = match;
            return match is not null;
        }

        if (type == typeof(DateOnly))
        {
            var ok = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date);
            value = date;
            return ok;
        }

        if (type == typeof(DateTime))
        {
            var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && text.Contains('T');
            value = at.UtcDateTime;
            return ok;
        }

        return false;
    }

    private static string Describe(Type type) =>
        type == typeof(string) ? "text" :
        type == typeof(int) ? "a whole number" :
        type == typeof(double) ? "a finite number" :
        type == typeof(bool) ? "true or false" :
        type == typeof(DateOnly) ? "a date such as 2027-01-01" :
        type == typeof(DateTime) ? "an instant such as 2027-02-01T09:00:00Z" :
        type.IsEnum ? "one of " + string.Join(", ", Enum.GetValues(type).Cast<Enum>().Select(EnumName)) :
        type.Name;

    /// <summary>Enum values as the API spells them: camelCase names.</summary>
    public static string EnumName(Enum value) => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static readonly Dictionary<Type, IReadOnlyList<(string Name, PropertyInfo Info, bool Required)>> PropertyCache = [];

    private static IReadOnlyList<(string Name, PropertyInfo Info, bool Required)> Properties(Type type)
    {
        lock (PropertyCache)
        {
            if (!PropertyCache.TryGetValue(type, out var properties))
            {
                PropertyCache[type] = properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanWrite)
                    .OrderBy(p => p.MetadataToken)
                    .Select(p => (JsonNamingPolicy.CamelCase.ConvertName(p.Name), p, IsRequired(p)))
                    .ToList();
            }

            return properties;
        }
    }

    private static bool IsRequired(PropertyInfo property)
    {
        var type = property.PropertyType;
        if (type.IsValueType)
        {
            return Nullable.GetUnderlyingType(type) is null;
        }

        return Nullability.Create(property).WriteState == NullabilityState.NotNull;
    }

    /// <summary>A record as a tree: fields in declaration order, nulls and empty lists left out.</summary>
    public static DocNode ToTree(object value)
    {
        switch (value)
        {
            case string s:
                return new DocScalar(s, ScalarKind.String);
            case int i:
                return new DocScalar(i.ToString(CultureInfo.InvariantCulture), ScalarKind.Number);
            case double d:
                return new DocScalar(d.ToString("R", CultureInfo.InvariantCulture), ScalarKind.Number);
            case bool b:
                return new DocScalar(b ? "true" : "false", ScalarKind.Bool);
            case Enum e:
                return new DocScalar(EnumName(e), ScalarKind.String);
            case DateOnly date:
                return new DocScalar(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ScalarKind.String);
            case DateTime at:
                return new DocScalar(at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture), ScalarKind.String);
            case IList list:
                return new DocList(list.Cast<object>().Select(ToTree).ToList());
        }

        var entries = new List<DocEntry>();
        foreach (var (name, info, _) in Properties(value.GetType()))
        {
            var field = info.GetValue(value);
            if (field is null || field is IList { Count: 0 })
            {
                continue;
            }

            entries.Add(new DocEntry(name, 0, 0, ToTree(field)));
        }

        return new DocMap(entries);
    }
}
