using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Npgsql;
using Okapi.Core.Kpis;
using Okapi.Web.Features.Notifications;

namespace Okapi.Web.Features.Sources;

/// <summary>
/// Why a pull produced no value; its message is what the source's last error shows, to everyone who may see the
/// source. It is Okapi's own words and the remote status only: never text from the remote answer or database, which
/// could carry whatever that system holds.
/// </summary>
public sealed class PullFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A database connection a SQL source may query, configured under <c>Okapi:Sources:Connections:{name}</c>.</summary>
public sealed record SourceConnection(string Provider, string ConnectionString);

/// <summary>The connections SQL sources may use; only these, so a source never reaches a database nobody configured.</summary>
public sealed class SourceConnections(IConfiguration configuration)
{
    public const string Section = "Okapi:Sources:Connections";

    public SourceConnection? Find(string name)
    {
        var section = configuration.GetSection(Section).GetChildren()
            .FirstOrDefault(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase));
        return section is null || string.IsNullOrWhiteSpace(section["ConnectionString"])
            ? null
            : new SourceConnection(section["Provider"] ?? "Sqlite", section["ConnectionString"]!);
    }
}

/// <summary>Reads one number from a source's system: HTTP JSON, SQL or a Prometheus instant query.</summary>
public sealed class KpiPullers(OutboundGuard guard, SourceConnections connections, SourceHeaderProtector headers, ILogger<KpiPullers> logger)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const int MaxResponseBytes = 1 << 20;

    /// <summary>The number as the source gave it; whether it may be stored is <see cref="KpiValue.Validate"/>'s to say.</summary>
    public async Task<double> PullAsync(KpiSource source, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            return source.Kind switch
            {
                KpiSourceKind.HttpJson => Pick(await GetJsonAsync(new Uri(source.Url!), Header(source), timeout.Token), source.JsonPath!),
                KpiSourceKind.Prometheus => PrometheusValue(await GetJsonAsync(PrometheusQuery(source), Header(source), timeout.Token)),
                KpiSourceKind.Sql => await QueryAsync(source, timeout.Token),
                _ => throw new PullFailedException($"Unknown source kind {source.Kind}."),
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new PullFailedException($"No answer within {Timeout.TotalSeconds:0} seconds.");
        }
    }

    /// <summary>Whether a JSON path is well-formed, for validation when a source is saved.</summary>
    public static bool IsJsonPath(string path)
    {
        try
        {
            _ = new JObject().SelectToken(path);
            return path.StartsWith('$');
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Uri PrometheusQuery(KpiSource source) =>
        new($"{source.Url!.TrimEnd('/')}/api/v1/query?query={Uri.EscapeDataString(source.Query!)}");

    private (string Name, string Value)? Header(KpiSource source) =>
        source is { HeaderName: { } name, ProtectedHeaderValue: { } value } ? (name, headers.Unprotect(value)) : null;

    /// <summary>
    /// The number of an instant query's answer: a scalar, or a vector of exactly one series. Several series are an error
    /// rather than the first of them, whose order Prometheus does not promise.
    /// </summary>
    private static double PrometheusValue(JToken answer)
    {
        var type = answer.SelectToken("$.data.resultType")?.Value<string>();
        var result = answer.SelectToken("$.data.result");
        return type switch
        {
            "scalar" => Pick(answer, "$.data.result[1]"),
            "vector" when result is JArray { Count: 1 } => Pick(answer, "$.data.result[0].value[1]"),
            "vector" when result is JArray { Count: 0 } => throw new PullFailedException("The query returned no series."),
            "vector" when result is JArray many => throw new PullFailedException(
                $"The query returned {many.Count} series; it must return one, e.g. by aggregating them with sum(…) or max(…)."),
            "matrix" => throw new PullFailedException("The query returned a range vector; a source needs an instant vector or a scalar (drop the [range])."),
            null => throw new PullFailedException("The answer is not a Prometheus query result."),
            _ => throw new PullFailedException($"The query returned a {type}, not a number."),
        };
    }

    private async Task<JToken> GetJsonAsync(Uri url, (string Name, string Value)? header, CancellationToken ct)
    {
        if (await guard.RefuseAsync(url, ct) is { } refused)
        {
            throw new PullFailedException(refused);
        }

        using var client = guard.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (header is var (name, value))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        string body;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                // The standard phrase for the status, not the one the remote sent with it.
                var status = (int)response.StatusCode;
                throw new PullFailedException($"{url.GetLeftPart(UriPartial.Path)} answered {status} {ReasonPhrases.GetReasonPhrase(status)}.".Replace(" .", "."));
            }

            // Read at most one byte past the limit: a chunked answer carries no length to refuse it by up front.
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxResponseBytes)
                {
                    throw new PullFailedException("The answer is larger than 1 MB.");
                }
            }

            body = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (HttpRequestException e)
        {
            throw new PullFailedException($"{url.GetLeftPart(UriPartial.Path)} could not be reached ({e.HttpRequestError}).", e);
        }

        try
        {
            return JToken.Parse(body);
        }
        catch (JsonException)
        {
            throw new PullFailedException("The answer is not JSON.");
        }
    }

    private static double Pick(JToken json, string path)
    {
        JToken? token;
        try
        {
            token = json.SelectToken(path);
        }
        catch (JsonException e)
        {
            throw new PullFailedException($"The JSON path {path} cannot be applied: {e.Message}");
        }

        return token switch
        {
            null => throw new PullFailedException($"The JSON path {path} matches nothing."),
            { Type: JTokenType.Integer or JTokenType.Float } => token.Value<double>(),
            { Type: JTokenType.String } when double.TryParse(token.Value<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw new PullFailedException($"The JSON path {path} matches {Describe(token)}, not a number."),
        };
    }

    private static string Describe(JToken token) => token.Type == JTokenType.String ? "a text" : $"a {token.Type.ToString().ToLowerInvariant()}";

    private async Task<double> QueryAsync(KpiSource source, CancellationToken ct)
    {
        var connection = connections.Find(source.ConnectionName!)
            ?? throw new PullFailedException($"No connection named {source.ConnectionName} is configured.");
        await using DbConnection db = connection.Provider.ToLowerInvariant() switch
        {
            "sqlite" => new SqliteConnection(connection.ConnectionString),
            "postgres" or "postgresql" => new NpgsqlConnection(connection.ConnectionString),
            _ => throw new PullFailedException($"The connection {source.ConnectionName} has the unknown provider {connection.Provider}."),
        };
        object? result;
        try
        {
            await db.OpenAsync(ct);
            // Rolled back whatever the query does: a source reads a number, it never changes the other system.
            await using var transaction = await db.BeginTransactionAsync(ct);
            await using var command = db.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = source.Query;
            command.CommandTimeout = (int)Timeout.TotalSeconds;
            result = await command.ExecuteScalarAsync(ct);
            await transaction.RollbackAsync(ct);
        }
        catch (DbException e)
        {
            logger.LogWarning(e, "The query of KPI source {Source} failed", source.Id);
            throw new PullFailedException(e.SqlState is { Length: > 0 } state
                ? $"The query failed with SQLSTATE {state}; the server log has the database's message."
                : "The query failed; the server log has the database's message.", e);
        }

        return result switch
        {
            null or DBNull => throw new PullFailedException("The query returned no value."),
            string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            string => throw new PullFailedException("The query returned a text, not a number."),
            IConvertible number and not bool and not DateTime => number.ToDouble(CultureInfo.InvariantCulture),
            _ => throw new PullFailedException($"The query returned a {result.GetType().Name}, not a number."),
        };
    }
}
