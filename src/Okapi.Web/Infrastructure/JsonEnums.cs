using System.Text.Json;
using System.Text.Json.Serialization;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// Enums as camelCase strings, as <see cref="JsonStringEnumConverter"/> writes them, but a value that is not one of them
/// is refused with the values it may take rather than with the name of a .NET type, which tells a client nothing.
/// </summary>
public sealed class CamelCaseEnumConverter : JsonConverterFactory
{
    private static readonly JsonStringEnumConverter Strings = new(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

    public override bool CanConvert(Type typeToConvert) => Strings.CanConvert(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert), Strings.CreateConverter(typeToConvert, options))!;

    private sealed class Converter<T>(JsonConverter strings) : JsonConverter<T> where T : struct, Enum
    {
        private static readonly string Accepted = string.Join(", ", Enum.GetNames<T>().Select(JsonNamingPolicy.CamelCase.ConvertName));

        private readonly JsonConverter<T> inner = (JsonConverter<T>)strings;

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var given = reader.TokenType == JsonTokenType.String ? $"'{reader.GetString()}'" : "A " + reader.TokenType.ToString().ToLowerInvariant();
            try
            {
                return inner.Read(ref reader, typeToConvert, options);
            }
            catch (JsonException)
            {
                // The serializer adds the path (the field) to this exception; the message stays as it is.
                throw new JsonException($"{given} is not one of {Accepted}.");
            }
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => inner.Write(writer, value, options);

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            inner.ReadAsPropertyName(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            inner.WriteAsPropertyName(writer, value, options);
    }
}
