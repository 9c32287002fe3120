using System.Text.Json;

namespace Okapi.Reference;

/// <summary>
/// What the benchmark and the tests need to know of a generated organisation: ids, sign-ins and token secrets. Kept as
/// <c>reference.json</c> beside the data; it also marks the data as generated, at its size.
/// </summary>
public sealed record ReferenceFile
{
    public const string FileName = "reference.json";

    public int People { get; init; }
    public double ValueScale { get; init; }
    public DateTimeOffset GeneratedFor { get; init; }
    public Guid OrganisationId { get; init; }
    public Guid ActiveCycleId { get; init; }
    public List<Guid> CycleIds { get; init; } = [];
    public Guid MemberId { get; init; }
    public Guid MemberTeamId { get; init; }
    public Guid MinuteKpiId { get; init; }

    /// <summary>Bearer token of a member, with the read and write scopes.</summary>
    public required string MemberToken { get; init; }

    /// <summary>Bearer token of an admin, with the admin scope.</summary>
    public required string AdminToken { get; init; }
    public List<ReferenceSignIn> SignIns { get; init; } = [];

    /// <summary>Teams at the bottom of the tree, spread over it, for requests that must not hit the same team twice.</summary>
    public List<Guid> SampleTeamIds { get; init; } = [];
    public required ReferenceCounts Counts { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static ReferenceFile? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<ReferenceFile>(File.ReadAllText(path), Json) : null;
    }

    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));
    }
}

/// <summary>Someone who can sign in with a password.</summary>
public sealed record ReferenceSignIn(string Email, string Password, string Role);

/// <summary>How many rows of each kind were written.</summary>
public sealed record ReferenceCounts(int Teams, int People, int Objectives, int KeyResults, int CheckIns, int Kpis, long KpiValues, int Links, int AlertRules);
