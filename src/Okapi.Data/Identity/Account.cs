using Microsoft.AspNetCore.Identity;
using Okapi.Core.Access;

namespace Okapi.Data.Identity;

/// <summary>The sign-in account of a person; it carries the person's id and organisation.</summary>
public sealed class Account : IdentityUser<Guid>
{
    public Guid OrganisationId { get; set; }
}

/// <summary>A bearer token for scripts and integrations. Only a SHA-256 hash of the secret is stored.</summary>
public sealed class ApiToken : Okapi.Core.IOrganisationOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganisationId { get; set; }
    public Guid PersonId { get; set; }
    public required string Name { get; set; }
    public required string Hash { get; set; }

    /// <summary>The first characters of the secret, shown in lists so people can tell tokens apart.</summary>
    public required string Prefix { get; set; }
    public List<TokenScope> Scopes { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
