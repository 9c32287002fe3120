using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlScalar = YamlDotNet.Core.Events.Scalar;

namespace Okapi.Web.Features.Exchange;

/// <summary>
/// A document as a tree of maps, lists and scalars with the line and column each node starts at (both from 1).
/// YAML and JSON read into the same tree, so one binder checks both and reports places the same way.
/// </summary>
public abstract record DocNode(int Line, int Column);

public sealed record DocEntry(string Key, int Line, int Column, DocNode Value);

public sealed record DocMap(IReadOnlyList<DocEntry> Entries, int Line = 0, int Column = 0) : DocNode(Line, Column);

public sealed record DocList(IReadOnlyList<DocNode> Items, int Line = 0, int Column = 0) : DocNode(Line, Column);

/// <summary>
/// How a scalar was written. JSON says what it is; a plain (unquoted) YAML scalar is text that the binder reads
/// as whatever the field expects, so <c>title: 2027</c> is a title and <c>target: 50</c> a number.
/// </summary>
public enum ScalarKind
{
    String,
    Number,
    Bool,
    Null,
    Plain,
}

public sealed record DocScalar(string? Text, ScalarKind Kind, int Line = 0, int Column = 0) : DocNode(Line, Column)
{
    public bool IsNull => Kind == ScalarKind.Null || (Kind == ScalarKind.Plain && DocumentTree.IsPlainNull(Text));
}

/// <summary>An error in a document: where it is (a path such as <c>objectives[3].keyResults[1].target</c>, line and column) and what is wrong.</summary>
public sealed record ExchangeError(string Path, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}, column {Column}: {Message}" : Message;
}

/// <summary>The document could not be read at all (not YAML, not JSON); one error with its place.</summary>
public sealed class DocumentSyntaxException(ExchangeError error) : Exception(error.Message)
{
    public ExchangeError Error { get; } = error;
}

public static class DocumentTree
{
    /// <summary>Aliases can repeat a subtree many times over; a document that expands past this is refused.</summary>
    public const int MaxNodes = 500_000;

    public static bool IsPlainNull(string? text) => text is null or "" or "~" or "null" or "Null" or "NULL";

    public static DocNode ReadYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new DocumentSyntaxException(new ExchangeError("", (int)e.Start.Line, (int)e.Start.Column, $"The document is not valid YAML: {e.Message}"));
        }
        catch (ArgumentException)
        {
            // The parser turns an escape such as "\U0011FFFF" into a character without checking that one exists.
            throw new DocumentSyntaxException(new ExchangeError("", 0, 0, "The document is not valid YAML: an escape names no Unicode character."));
        }

        if (stream.Documents.Count != 1)
        {
            throw new DocumentSyntaxException(new ExchangeError("", 1, 1, "Send exactly one YAML document."));
        }

        var count = 0;
        return FromYaml(stream.Documents[0].RootNode, ref count);
    }

    private static DocNode FromYaml(YamlNode node, ref int count)
    {
        if (++count > MaxNodes)
        {
            throw new DocumentSyntaxException(new ExchangeError("", (int)node.Start.Line, (int)node.Start.Column, $"The document has more than {MaxNodes} nodes."));
        }

        var (line, column) = ((int)node.Start.Line, (int)node.Start.Column);
        switch (node)
        {
            case YamlMappingNode map:
                var entries = new List<DocEntry>();
                foreach (var (key, value) in map.Children)
                {
                    var name = key is YamlScalarNode k ? k.Value ?? "" : "";
                    RequireWholeCharacters(name, (int)key.Start.Line, (int)key.Start.Column);
                    entries.Add(new DocEntry(name, (int)key.Start.Line, (int)key.Start.Column, FromYaml(value, ref count)));
                }

                return new DocMap(entries, line, column);
            case YamlSequenceNode list:
                var items = new List<DocNode>();
                foreach (var item in list.Children)
                {
                    items.Add(FromYaml(item, ref count));
                }

                return new DocList(items, line, column);
            case YamlScalarNode scalar:
                RequireWholeCharacters(scalar.Value, line, column);
                return new DocScalar(scalar.Value, scalar.Style is ScalarStyle.Plain or ScalarStyle.Any ? ScalarKind.Plain : ScalarKind.String, line, column);
            default:
                throw new DocumentSyntaxException(new ExchangeError("", line, column, "Unsupported YAML node."));
        }
    }

    public static DocNode ReadJson(byte[] utf8)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read())
            {
                throw new DocumentSyntaxException(new ExchangeError("", 1, 1, "The document is empty."));
            }

            var root = FromJson(ref reader, lineStarts);
            if (reader.Read())
            {
                throw new JsonException("Only one JSON value is allowed.", null, null, null);
            }

            return root;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? Where(lineStarts, (int)reader.TokenStartIndex).Line - 1) + 1;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            throw new DocumentSyntaxException(new ExchangeError(e.Path ?? "", line, column, $"The document is not valid JSON: {e.Message.Split(" Path:")[0]}"));
        }
        catch (InvalidOperationException)
        {
            // The reader checks a string's escapes only when the string is read: "\ud800" alone is no character.
            var (line, column) = Where(lineStarts, (int)reader.TokenStartIndex);
            throw new DocumentSyntaxException(new ExchangeError("", line, column, "The document is not valid JSON: a string holds an escape that is no Unicode character (a lone surrogate)."));
        }
    }

    /// <summary>
    /// Refuses bytes that are not UTF-8, with the place of the first bad one: decoding would turn them into
    /// replacement characters silently, and PostgreSQL refuses text that is not Unicode.
    /// </summary>
    public static void RequireUtf8(ReadOnlySpan<byte> document)
    {
        // The vectorised check answers for every valid document; only a bad one is walked, to say where.
        if (System.Text.Unicode.Utf8.IsValid(document))
        {
            return;
        }

        var (offset, line, lineStart) = (0, 1, 0);
        while (offset < document.Length)
        {
            if (Rune.DecodeFromUtf8(document[offset..], out _, out var length) != System.Buffers.OperationStatus.Done)
            {
                throw new DocumentSyntaxException(new ExchangeError("", line, offset - lineStart + 1, "The document is not valid UTF-8."));
            }

            if (document[offset] == (byte)'\n')
            {
                (line, lineStart) = (line + 1, offset + 1);
            }

            offset += length;
        }
    }

    private static void RequireWholeCharacters(string? text, int line, int column)
    {
        if (text is null)
        {
            return;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                throw new DocumentSyntaxException(new ExchangeError("", line, column, "The text holds an escape that is no Unicode character (a lone surrogate)."));
            }
        }
    }

    private static (int Line, int Column) Where(List<int> lineStarts, int offset)
    {
        var index = lineStarts.BinarySearch(offset);
        index = index >= 0 ? index : ~index - 1;
        return (index + 1, offset - lineStarts[index] + 1);
    }

    private static DocNode FromJson(ref Utf8JsonReader reader, List<int> lineStarts)
    {
        var (line, column) = Where(lineStarts, (int)reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<DocEntry>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var (keyLine, keyColumn) = Where(lineStarts, (int)reader.TokenStartIndex);
                    var name = reader.GetString()!;
                    if (!seen.Add(name))
                    {
                        throw new DocumentSyntaxException(new ExchangeError(name, keyLine, keyColumn, $"The field '{name}' appears twice."));
                    }

                    reader.Read();
                    entries.Add(new DocEntry(name, keyLine, keyColumn, FromJson(ref reader, lineStarts)));
                }

                return new DocMap(entries, line, column);
            case JsonTokenType.StartArray:
                var items = new List<DocNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(FromJson(ref reader, lineStarts));
                }

                return new DocList(items, line, column);
            case JsonTokenType.String:
                return new DocScalar(reader.GetString(), ScalarKind.String, line, column);
            case JsonTokenType.Number:
                return new DocScalar(Encoding.UTF8.GetString(reader.ValueSpan), ScalarKind.Number, line, column);
            case JsonTokenType.True or JsonTokenType.False:
                return new DocScalar(reader.GetBoolean() ? "true" : "false", ScalarKind.Bool, line, column);
            case JsonTokenType.Null:
                return new DocScalar(null, ScalarKind.Null, line, column);
            default:
                throw new JsonException($"Unexpected {reader.TokenType}.");
        }
    }

    public static string WriteJson(DocNode root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteJson(writer, root);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteJson(Utf8JsonWriter writer, DocNode node)
    {
        switch (node)
        {
            case DocMap map:
                writer.WriteStartObject();
                foreach (var entry in map.Entries)
                {
                    writer.WritePropertyName(entry.Key);
                    WriteJson(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case DocList list:
                writer.WriteStartArray();
                foreach (var item in list.Items)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case DocScalar { Kind: ScalarKind.Null }:
                writer.WriteNullValue();
                break;
            case DocScalar { Kind: ScalarKind.Number or ScalarKind.Bool } raw:
                writer.WriteRawValue(raw.Text!);
                break;
            case DocScalar scalar:
                writer.WriteStringValue(scalar.Text);
                break;
        }
    }

    public static string WriteYaml(DocNode root)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, EmitterSettings.Default.WithBestWidth(int.MaxValue).WithIndentedSequences().WithNewLine("\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        WriteYaml(emitter, root);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void WriteYaml(IEmitter emitter, DocNode node)
    {
        switch (node)
        {
            case DocMap map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
                foreach (var entry in map.Entries)
                {
                    emitter.Emit(new YamlScalar(AnchorName.Empty, TagName.Empty, entry.Key, ScalarStyle.Plain, true, false));
                    WriteYaml(emitter, entry.Value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case DocList list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
                foreach (var item in list.Items)
                {
                    WriteYaml(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case DocScalar { Kind: ScalarKind.Null }:
                emitter.Emit(new YamlScalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false));
                break;
            case DocScalar { Kind: ScalarKind.Number or ScalarKind.Bool } raw:
                emitter.Emit(new YamlScalar(AnchorName.Empty, TagName.Empty, raw.Text!, ScalarStyle.Plain, true, false));
                break;
            case DocScalar scalar:
                emitter.Emit(new YamlScalar(AnchorName.Empty, TagName.Empty, scalar.Text ?? "", StringStyle(scalar.Text ?? ""), true, true));
                break;
        }
    }

    /// <summary>
    /// Plain where a reader takes the text back as the same string; quoted where it would read a null, a
    /// boolean or a number (so that a title "2027" stays a string for every YAML reader), literal for several lines.
    /// </summary>
    private static ScalarStyle StringStyle(string text)
    {
        if (IsPlainNull(text) || text is "true" or "false" or "True" or "False" or "TRUE" or "FALSE" or "yes" or "no" or "on" or "off" ||
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || text.StartsWith('.') ||
            text.Trim() != text || text.Contains('\t') || text.Contains('\r'))
        {
            return ScalarStyle.DoubleQuoted;
        }

        return text.Contains('\n') ? ScalarStyle.Literal : ScalarStyle.Any;
    }
}
