namespace Okapi.Core.Organisations;

/// <summary>A person's role: `viewer`, `member` or `admin`.</summary>
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

    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 256;

    /// <summary>The rules a person must satisfy, for the API, the pages and the importer; that the email is free needs the database.</summary>
    public ValidationErrors Validate() => new ValidationErrors()
        .Text(Name, "name", MaxNameLength)
        .Text(Email, "email", MaxEmailLength)
        .Require(Email?.Contains('@') == true, "email", "must be an email address.")
        .Require(Enum.IsDefined(Role), "role", "must be admin, member or viewer.");
}
