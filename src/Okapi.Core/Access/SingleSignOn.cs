using Okapi.Core.Organisations;

namespace Okapi.Core.Access;

/// <summary>Who an OpenID Connect provider says signed in: its issuer, their subject there, and the claims Okapi reads.</summary>
public sealed record ExternalIdentity(string Issuer, string Subject, string? Email, bool? EmailVerified, string? Name, IReadOnlyList<string> Groups);

/// <summary>What Okapi already knows about an external identity, looked up by the caller.</summary>
/// <param name="LinkedPerson">The person already linked to the issuer and subject.</param>
/// <param name="DomainOwner">The organisation that owns the email's domain.</param>
/// <param name="EmailAccount">The account that signs in with the email, and its organisation.</param>
public sealed record KnownIdentity(Guid? LinkedPerson, Guid? DomainOwner, (Guid PersonId, Guid OrganisationId)? EmailAccount);

/// <summary>The groups that put a new person in teams (by team name) and give them a role; the highest mapped role wins.</summary>
public sealed record GroupMapping(IReadOnlyDictionary<string, string> Teams, IReadOnlyDictionary<string, Role> Roles)
{
    public static readonly GroupMapping None = new(new Dictionary<string, string>(), new Dictionary<string, Role>());

    public Role RoleOf(IEnumerable<string> groups) =>
        groups.Select(g => Roles.TryGetValue(g, out var role) ? role : (Role?)null).Max() is { } mapped ? mapped : Role.Member;

    public IReadOnlyList<string> TeamsOf(IEnumerable<string> groups) =>
        groups.Select(g => Teams.TryGetValue(g, out var team) ? team : null).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
}

public enum SingleSignOnRefusal
{
    /// <summary>The provider sent no email, or one it says is not verified.</summary>
    NoEmail,

    /// <summary>No organisation owns the email's domain.</summary>
    DomainNotOwned,

    /// <summary>The email signs in to an organisation that does not own its domain.</summary>
    EmailElsewhere,

    /// <summary>The provider answered with an error, or the sign-in was cancelled there.</summary>
    ProviderFailed,
}

public abstract record SingleSignOnDecision
{
    private SingleSignOnDecision()
    {
    }

    /// <summary>Sign in as the person already linked to the identity.</summary>
    public sealed record SignIn(Guid PersonId) : SingleSignOnDecision;

    /// <summary>Link the identity to the person who already signs in with its email, then sign in.</summary>
    public sealed record Link(Guid PersonId) : SingleSignOnDecision;

    /// <summary>Create the person in the organisation, link the identity and sign in.</summary>
    public sealed record Create(Guid OrganisationId, string Name, string Email, Role Role, IReadOnlyList<string> TeamNames) : SingleSignOnDecision;

    public sealed record Refuse(SingleSignOnRefusal Reason) : SingleSignOnDecision;
}

/// <summary>
/// Whether an OpenID Connect sign-in signs in someone known, creates them, or is refused: later sign-ins match by
/// subject (so an email changed at the provider changes nothing), a first one by email in the organisation that owns
/// the email's domain.
/// </summary>
public static class SingleSignOn
{
    public static SingleSignOnDecision Decide(ExternalIdentity identity, KnownIdentity known, GroupMapping mapping)
    {
        if (known.LinkedPerson is { } linked)
        {
            return new SingleSignOnDecision.SignIn(linked);
        }

        var email = identity.Email?.Trim();
        var domain = Organisation.DomainOf(email);
        if (email is null || domain is null || identity.EmailVerified == false || email.Length > Person.MaxEmailLength)
        {
            return new SingleSignOnDecision.Refuse(SingleSignOnRefusal.NoEmail);
        }

        if (known.DomainOwner is not { } owner)
        {
            return new SingleSignOnDecision.Refuse(SingleSignOnRefusal.DomainNotOwned);
        }

        if (known.EmailAccount is { } account)
        {
            // The provider vouches for the email within a domain the organisation owns: the person an admin added
            // before single sign-on was set up is the same person.
            return account.OrganisationId == owner
                ? new SingleSignOnDecision.Link(account.PersonId)
                : new SingleSignOnDecision.Refuse(SingleSignOnRefusal.EmailElsewhere);
        }

        var name = string.IsNullOrWhiteSpace(identity.Name) ? email[..email.LastIndexOf('@')] : identity.Name.Trim();
        if (name.Length > Person.MaxNameLength)
        {
            name = name[..Person.MaxNameLength];
        }

        return new SingleSignOnDecision.Create(owner, name, email, mapping.RoleOf(identity.Groups), mapping.TeamsOf(identity.Groups));
    }

    /// <summary>What the sign-in page tells someone refused, without saying which organisations exist.</summary>
    public static string Explain(SingleSignOnRefusal reason) => reason switch
    {
        SingleSignOnRefusal.NoEmail => "Your identity provider sent no verified email address, so Okapi cannot tell who you are. Ask your administrator.",
        SingleSignOnRefusal.DomainNotOwned => "No organisation in Okapi accepts sign-ins from your email domain. Ask an Okapi admin to add the domain to the organisation.",
        SingleSignOnRefusal.EmailElsewhere => "Your email already signs in to another organisation in Okapi. Ask an Okapi admin.",
        _ => "Single sign-on did not complete: the identity provider refused or the sign-in was cancelled. Try again.",
    };
}
