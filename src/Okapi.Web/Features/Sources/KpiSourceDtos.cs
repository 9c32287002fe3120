using System.ComponentModel.DataAnnotations;
using Okapi.Core.Kpis;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Sources;

/// <summary>
/// A scheduled pull of a KPI's value, to create or replace: each run reads one number and stores it as the KPI's value
/// at that instant. Only those who may edit the KPI manage its sources; a replace cannot move a source to another KPI.
/// </summary>
/// <param name="KpiId">The KPI the values go to; it must exist, be visible to the caller and be editable by them.</param>
/// <param name="Kind">Required. `httpJson`: GET `url` and read the number at `jsonPath`; `sql`: run `query` on the connection `connectionName`; `prometheus`: run the PromQL `query` as an instant query on the server at `url`.</param>
/// <param name="Schedule">
/// Required: when to run, as a cron expression in the organisation's time zone, five fields (minute hour day month
/// weekday) or six with seconds first, e.g. `*/15 * * * *`; at most 100 characters.
/// </param>
/// <param name="Url">
/// HTTP JSON and Prometheus only, and required there: an absolute http or https URL (for Prometheus the server's base
/// URL) that the server's outbound rules allow; at most 2,000 characters.
/// </param>
/// <param name="JsonPath">HTTP JSON only, and required there: a JSON path starting with `$` to the number, e.g. `$.data.total`; at most 500 characters.</param>
/// <param name="ConnectionName">SQL only, and required there: the name of a database connection configured on the server under `Okapi:Sources:Connections`; at most 100 characters.</param>
/// <param name="Query">SQL: a query whose first column of the first row is the number. Prometheus: a PromQL query that answers a scalar or a vector of exactly one series. Required for both; at most 4,000 characters.</param>
/// <param name="Enabled">Whether the source runs on its schedule; true by default.</param>
/// <param name="HeaderName">
/// HTTP JSON and Prometheus only: the name of one header to send, e.g. `Authorization`; a valid header name that the
/// HTTP client does not set itself, at most 100 characters. Without it, no header is sent and a stored value is dropped.
/// </param>
/// <param name="HeaderValue">
/// The header's value, e.g. `Bearer ...`; stored encrypted and never returned, at most 4,000 characters, without line
/// breaks. Required for a new header; left out with a name, the stored value is kept.
/// </param>
public sealed record KpiSourceRequest(
    Guid KpiId,
    [property: Required] KpiSourceKind? Kind,
    [property: Required, StringLength(100)] string Schedule,
    [property: StringLength(2000)] string? Url,
    [property: StringLength(500)] string? JsonPath,
    [property: StringLength(100)] string? ConnectionName,
    [property: StringLength(4000)] string? Query,
    bool? Enabled,
    [property: StringLength(KpiSource.MaxHeaderNameLength)] string? HeaderName = null,
    [property: StringLength(KpiSource.MaxHeaderValueLength)] string? HeaderValue = null);

/// <summary>A pull source; of its header only the name shows, and whether a value is stored.</summary>
/// <param name="Id">The source's id.</param>
/// <param name="KpiId">The KPI its values go to.</param>
/// <param name="Kind">`httpJson`, `sql` or `prometheus`.</param>
/// <param name="Schedule">When it runs: a cron expression in the organisation's time zone.</param>
/// <param name="Url">HTTP JSON and Prometheus: the URL it reads.</param>
/// <param name="JsonPath">HTTP JSON: the path to the number.</param>
/// <param name="ConnectionName">SQL: the configured connection it queries.</param>
/// <param name="Query">SQL or PromQL: the query it runs.</param>
/// <param name="HeaderName">The name of the header it sends, if any.</param>
/// <param name="HasHeaderValue">Whether a header value is stored (it is never returned).</param>
/// <param name="Enabled">Whether it runs on its schedule.</param>
/// <param name="NextRunAt">When it runs next (UTC); null while disabled.</param>
/// <param name="LastRunAt">When it last ran (UTC), if ever.</param>
/// <param name="LastSuccessAt">When a run last stored a value (UTC), if ever.</param>
/// <param name="LastError">Why the last run stored nothing; null when it succeeded.</param>
/// <param name="Version">The version the ETag carries; it changes with every change.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record KpiSourceDto(
    Guid Id, Guid KpiId, KpiSourceKind Kind, string Schedule, string? Url, string? JsonPath, string? ConnectionName,
    string? Query, string? HeaderName, bool HasHeaderValue, bool Enabled, DateTime? NextRunAt, DateTime? LastRunAt, DateTime? LastSuccessAt, string? LastError,
    int Version, DateTime CreatedAt, DateTime UpdatedAt) : IHasVersion
{
    public static KpiSourceDto From(KpiSource s) => new(
        s.Id, s.KpiId, s.Kind, s.Schedule, s.Url, s.JsonPath, s.ConnectionName, s.Query, s.HeaderName, s.ProtectedHeaderValue is not null, s.Enabled,
        s.NextRunAt, s.LastRunAt, s.LastSuccessAt, s.LastError, s.Version, s.CreatedAt, s.UpdatedAt);
}

/// <summary>What one run of a source did: the value it stored at <see cref="At"/>, or why it stored nothing.</summary>
/// <param name="SourceId">The source that ran.</param>
/// <param name="At">The instant of the run, which is also the instant of the value it stored.</param>
/// <param name="Succeeded">Whether the run stored a value.</param>
/// <param name="Value">The value stored; null when the run failed.</param>
/// <param name="Error">Why the run stored nothing; null on success.</param>
/// <param name="NextRunAt">When the source runs next on its schedule (UTC); null when the source is disabled.</param>
public sealed record KpiSourceRunDto(Guid SourceId, DateTimeOffset At, bool Succeeded, double? Value, string? Error, DateTime? NextRunAt);

public sealed record KpiSourceFilter(Guid? Kpi);
