using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Okapi.Web.Infrastructure.Instances;

/// <summary>
/// What one instance tells the others after a commit, as the payload of a PostgreSQL <c>NOTIFY</c>: which caches to
/// forget and which pages to refresh, for one organisation (or, with no organisation, for all).
/// </summary>
public sealed record ChangeNotice
{
    /// <summary>PostgreSQL refuses payloads of 8000 bytes or more; beyond this many ids a notice says "everything".</summary>
    public const int MaxIds = 150;

    [JsonPropertyName("from")] public required Guid From { get; init; }

    /// <summary>The organisation that changed; null for every organisation.</summary>
    [JsonPropertyName("org")] public Guid? OrganisationId { get; init; }

    /// <summary>Tokens, people, teams, memberships, organisations or accounts changed: forget who is calling.</summary>
    [JsonPropertyName("callers")] public bool Callers { get; init; }

    /// <summary>Alert rules or key results changed: forget which KPIs something watches.</summary>
    [JsonPropertyName("rules")] public bool Rules { get; init; }

    /// <summary>KPIs saved: forget them, and refresh KPI pages.</summary>
    [JsonPropertyName("kpis")] public IReadOnlyList<Guid> Kpis { get; init; } = [];

    /// <summary>KPI values or alerts changed: refresh KPI pages.</summary>
    [JsonPropertyName("values")] public IReadOnlyList<Guid> Values { get; init; } = [];

    /// <summary>OKRs changed (objectives, key results, check-ins, …): refresh OKR pages.</summary>
    [JsonPropertyName("okrs")] public IReadOnlyList<Guid> Okrs { get; init; } = [];

    /// <summary>More OKRs or KPI values changed than a notice names: refresh every page of the organisation.</summary>
    [JsonPropertyName("pages")] public bool AllPages { get; init; }

    /// <summary>Anything may have changed: forget every cache and refresh every page of the organisation.</summary>
    [JsonPropertyName("all")] public bool Everything { get; init; }

    /// <summary>
    /// The payload, small enough for <c>pg_notify</c>: too many KPIs saved become "everything in the organisation
    /// changed", too many OKRs or values "every page of the organisation".
    /// </summary>
    public string ToPayload()
    {
        var notice = this;
        if (notice.Values.Count + notice.Okrs.Count > MaxIds / 2)
        {
            notice = notice with { AllPages = true, Values = [], Okrs = [] };
        }

        if (notice.Kpis.Count > MaxIds / 2)
        {
            notice = notice with { Everything = true, Kpis = [] };
        }

        var payload = JsonSerializer.Serialize(notice);
        return Encoding.UTF8.GetByteCount(payload) < 8000
            ? payload
            : JsonSerializer.Serialize(new ChangeNotice { From = From, OrganisationId = OrganisationId, Everything = true });
    }

    /// <summary>The notice in a payload, or null for a payload that is not one (another program on the channel).</summary>
    public static ChangeNotice? FromPayload(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<ChangeNotice>(payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
