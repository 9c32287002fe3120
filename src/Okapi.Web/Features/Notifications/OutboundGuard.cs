using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Okapi.Data;

namespace Okapi.Web.Features.Notifications;

/// <summary>
/// Guards outbound calls (webhooks, pull sources) against server-side request forgery: only http and https, and no
/// loopback, link-local, private or otherwise internal address unless an admin of the organisation allowed that host.
/// The check runs when a URL is saved and again on the address actually connected to, so DNS cannot swap it later.
/// </summary>
public sealed class OutboundGuard(OkapiDbContext db)
{
    /// <summary>Why <paramref name="url"/> may not be called by the context's organisation, or null when it may.</summary>
    public async Task<string?> RefuseAsync(Uri url, CancellationToken ct)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return "Only http and https URLs may be called.";
        }

        var host = url.IdnHost.Trim('[', ']').ToLowerInvariant();
        var hostAndPort = $"{host}:{url.Port}";
        if (await db.AllowedHosts.AnyAsync(h => h.Host == host || h.Host == hostAndPort, ct))
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        }
        catch (SocketException)
        {
            return $"The host {host} could not be resolved.";
        }

        return addresses.FirstOrDefault(IsInternal) is { } blocked
            ? $"{host} resolves to the internal address {blocked}; an admin must allow the host first."
            : null;
    }

    /// <summary>An HTTP client for the context's organisation that refuses to connect to addresses <see cref="RefuseAsync"/> would refuse.</summary>
    public HttpClient CreateClient() => new() { Timeout = TimeSpan.FromSeconds(10) };

    private static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (address.GetAddressBytes()[0] & 0xFE) == 0xFC;
        }

        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127 || b[0] >= 224
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }
}
