namespace Okapi.Core;

/// <summary>Validation errors keyed by field name (camelCase, as the API spells them).</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public ValidationErrors Require(bool condition, string field, string message) =>
        condition ? this : Add(field, message);

    public ValidationErrors Text(string? value, string field, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? Add(field, "is required.") : this;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            // No database stores it in text (PostgreSQL refuses it), and no person types it.
            return Add(field, "must not contain the NUL character (U+0000).");
        }

        return value.Length > maxLength ? Add(field, $"must be at most {maxLength} characters.") : this;
    }

    /// <summary>The one check for every number that comes in: see <see cref="StorableNumber"/>.</summary>
    public ValidationErrors Finite(double? value, string field) => value switch
    {
        { } v when !double.IsFinite(v) => Add(field, "must be a finite number (not NaN or infinite)."),
        { } v when !StorableNumber.IsStorable(v) => Add(field, $"must be between -{StorableNumber.MaxMagnitude:0e0} and {StorableNumber.MaxMagnitude:0e0}."),
        _ => this,
    };

    /// <summary>Levels a computation divides by the distance of must be apart: see <see cref="StorableNumber.AreApart"/>.</summary>
    public ValidationErrors Apart(double from, double? to, string field, string fromField) =>
        to is { } t && StorableNumber.IsStorable(from) && StorableNumber.IsStorable(t) && !StorableNumber.AreApart(from, t)
            ? Add(field, $"must differ from {fromField} by at least {StorableNumber.Resolution:0e0} times the larger of 1 and their magnitude.")
            : this;

    /// <summary>
    /// A field the operation cannot do without: its value, or, when it is missing, an error under
    /// <paramref name="field"/> and a placeholder that must not be stored.
    /// </summary>
    public T Required<T>(T? value, string field) where T : struct
    {
        if (value is null)
        {
            Add(field, "is required.");
        }

        return value.GetValueOrDefault();
    }

    /// <summary>Adds the errors of <paramref name="other"/> to these.</summary>
    public ValidationErrors Include(ValidationErrors other)
    {
        foreach (var (field, messages) in other._errors)
        {
            foreach (var message in messages)
            {
                Add(field, message);
            }
        }

        return this;
    }

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
