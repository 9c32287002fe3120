using System.ComponentModel.DataAnnotations;
using Okapi.Core.Kpis;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Sources;

/// <summary>
/// A scheduled pull of a KPI's value. HTTP JSON needs <see cref="Url"/> and <see cref="JsonPath"/>; SQL needs
/// <see cref="ConnectionName"/> and <see cref="Query"/>; Prometheus needs <see cref="Url"/> (the server) and
/// <see cref="Query"/> (PromQL). <see cref="Schedule"/> is a cron expression in the organisation's time zone.
/// HTTP JSON and Prometheus may send one header (<see cref="HeaderName"/>, e.g. <c>Authorization</c>) with
/// <see cref="HeaderValue"/>, which is stored encrypted and never returned: to keep the stored value, send the name
/// without a value; without a name, the source sends no header.
/// </summary>
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
public sealed record KpiSourceRunDto(Guid SourceId, DateTimeOffset At, bool Succeeded, double? Value, string? Error, DateTime? NextRunAt);

public sealed record KpiSourceFilter(Guid? Kpi);
