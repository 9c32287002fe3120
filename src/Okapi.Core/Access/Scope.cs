namespace Okapi.Core.Access;

/// <summary>
/// What an API token may do. A signed-in person has no scopes: their role alone limits them. The stored token scopes
/// take their numbers from here, so that the two never disagree.
/// </summary>
public enum Scope
{
    Read,
    Write,
    KpiIngest,
    Admin,
}
