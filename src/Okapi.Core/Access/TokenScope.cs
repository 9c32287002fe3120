using System.Text.Json.Serialization;

namespace Okapi.Core.Access;

/// <summary>What an API token may do. A signed-in person has no scopes: their role alone limits them.</summary>
public enum TokenScope
{
    Read,
    Write,

    [JsonStringEnumMemberName("kpi:ingest")]
    KpiIngest,
    Admin,
}
