namespace Okapi.Core.Organisations;

public enum Role
{
    Viewer,
    Member,
    Admin,
}

/// <summary>Someone in the organisation; the sign-in account carries the same id.</summary>
public sealed class Person : Entity
{
    public required string Name { get; set; }
    public required string Email { get; set; }
    public Role Role { get; set; } = Role.Member;
    public bool RemindersEnabled { get; set; } = true;

    /// <summary>Whether the person gets the weekly digest by email.</summary>
    public bool DigestEnabled { get; set; } = true;
}
