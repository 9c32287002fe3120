namespace Okapi.Web.Features.Notifications;

/// <summary>
/// Guards outbound calls (webhooks, pull sources) against server-side request forgery: only http and https, and no
/// loopback, link-local, private or otherwise internal address unless an admin of the organisation allowed that host.
/// The check runs when a URL is saved and again on the address actually connected to, so DNS cannot swap it later.
/// </summary>
public sealed class OutboundGuard
{
    /// <summary>Why <paramref name="url"/> may not be called by the context's organisation, or null when it may.</summary>
    public Task<string?> RefuseAsync(Uri url, CancellationToken ct) => throw new NotImplementedException("The outbound guard is being built.");

    /// <summary>An HTTP client for the context's organisation that refuses to connect to addresses <see cref="RefuseAsync"/> would refuse.</summary>
    public HttpClient CreateClient() => throw new NotImplementedException("The outbound guard is being built.");
}
