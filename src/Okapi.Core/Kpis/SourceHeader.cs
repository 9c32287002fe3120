namespace Okapi.Core.Kpis;

/// <summary>
/// The header an HTTP JSON or Prometheus source sends with every request, as it is asked for: a name and, when it is
/// set or replaced, its value in plain text. The value is write-only: a source that keeps its header sends the name
/// again without a value.
/// </summary>
public static class SourceHeader
{
    /// <summary>Headers the HTTP client writes itself from the request; a source setting them would break the request.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection", "Upgrade", "Te", "Trailer", "Expect",
        "Keep-Alive", "Proxy-Connection", "Accept-Encoding",
    };

    /// <summary>
    /// Adds the errors of a source's header to <paramref name="errors"/>: a name only for kinds that call HTTP, a field
    /// name as HTTP allows it and not one the client owns, and a value either given now or already stored.
    /// </summary>
    public static ValidationErrors Validate(this ValidationErrors errors, KpiSourceKind kind, string? name, string? value, bool hasStoredValue)
    {
        if (name is null)
        {
            return errors.Require(value is null, "headerValue", "needs a headerName to be sent under.");
        }

        if (!KpiSource.CallsHttp(kind))
        {
            return errors.Add("headerName", "is sent by HTTP JSON and Prometheus sources only.");
        }

        errors.Require(name.Length <= KpiSource.MaxHeaderNameLength && name.All(IsTokenCharacter), "headerName",
                $"must be an HTTP header name of at most {KpiSource.MaxHeaderNameLength} letters, digits and !#$%&'*+-.^_`|~, e.g. 'Authorization' or 'X-API-Key'.")
            .Require(!Reserved.Contains(name), "headerName", $"{name} is set by Okapi's HTTP client itself.");
        if (value is null)
        {
            return errors.Require(hasStoredValue, "headerValue", "is required for a new header.");
        }

        return errors.Require(value.Length <= KpiSource.MaxHeaderValueLength, "headerValue", $"must be at most {KpiSource.MaxHeaderValueLength} characters.")
            .Require(value.All(c => c == '\t' || (c >= ' ' && c != '\u007f')), "headerValue", "must not contain line breaks or other control characters.");
    }

    // RFC 9110 §5.6.2: a field name is a token.
    private static bool IsTokenCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
