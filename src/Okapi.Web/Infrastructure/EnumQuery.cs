using System.Diagnostics.CodeAnalysis;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// An enum in a query string, matched without regard to case so that <c>?state=active</c> works as the
/// JSON bodies spell it (minimal APIs bind plain enums case-sensitively).
/// </summary>
public readonly record struct EnumQuery<T>(T Value) : IParsable<EnumQuery<T>> where T : struct, Enum
{
    public static EnumQuery<T> Parse(string s, IFormatProvider? provider) =>
        TryParse(s, provider, out var result) ? result : throw new FormatException($"'{s}' is not one of {string.Join(", ", Enum.GetNames<T>())}.");

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out EnumQuery<T> result)
    {
        if (s is not null && !s.Any(char.IsDigit) && Enum.TryParse<T>(s, ignoreCase: true, out var value) && Enum.IsDefined(value))
        {
            result = new EnumQuery<T>(value);
            return true;
        }

        result = default;
        return false;
    }

    public override string ToString() => Value.ToString();
}
