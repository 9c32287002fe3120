namespace Okapi.Core.Kpis;

/// <summary>Where a pull source reads a KPI's value: `httpJson` (a number read by JSON path from a URL's JSON answer), `sql` (a query on a configured connection) or `prometheus` (an instant query).</summary>
public enum KpiSourceKind
{
    /// <summary>GET a URL that answers JSON and read one number from it by a JSON path.</summary>
    HttpJson,

    /// <summary>Run a query that returns one number against a database connection named in the configuration.</summary>
    Sql,

    /// <summary>Run a Prometheus instant query that answers a scalar or a vector of exactly one series.</summary>
    Prometheus,
}

/// <summary>A scheduled pull of a KPI's value from another system, on a cron schedule in the organisation's time zone.</summary>
public sealed class KpiSource : Entity
{
    public const int MaxHeaderNameLength = 100;
    public const int MaxHeaderValueLength = 4000;

    /// <summary>The kinds that call a URL over HTTP, and so may send a header.</summary>
    public static bool CallsHttp(KpiSourceKind kind) => kind is KpiSourceKind.HttpJson or KpiSourceKind.Prometheus;

    public Guid KpiId { get; set; }
    public KpiSourceKind Kind { get; set; }

    /// <summary>Cron expression (five fields, or six with seconds), e.g. <c>*/15 * * * *</c>.</summary>
    public required string Schedule { get; set; }

    /// <summary>HTTP JSON: the URL; Prometheus: the server's base URL.</summary>
    public string? Url { get; set; }

    /// <summary>HTTP JSON: the JSON path of the number, e.g. <c>$.data.total</c>.</summary>
    public string? JsonPath { get; set; }

    /// <summary>SQL: the name of a connection under <c>Okapi:Sources:Connections</c>.</summary>
    public string? ConnectionName { get; set; }

    /// <summary>SQL: the query; Prometheus: the PromQL expression.</summary>
    public string? Query { get; set; }

    /// <summary>HTTP JSON and Prometheus: a header sent with every request, e.g. <c>Authorization</c> or <c>X-API-Key</c>.</summary>
    public string? HeaderName { get; set; }

    /// <summary>
    /// The header's value (a bearer token or API key), encrypted with the server's data-protection keys. It is read only
    /// to send it, never returned by the API, and audited as changed without its value.
    /// </summary>
    public string? ProtectedHeaderValue { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime? NextRunAt { get; set; }
    public DateTime? LastRunAt { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>Until when an instance has claimed this source's run; others leave it alone until then.</summary>
    public DateTime? LockedUntil { get; set; }
}
