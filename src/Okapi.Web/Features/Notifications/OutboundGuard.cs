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
public sealed class OutboundGuard(OkapiDbContext db, IServiceScopeFactory scopes)
{
    /// <summary>How long an outbound call may take before it counts as failed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Why <paramref name="url"/> may not be called by the context's organisation, or null when it may.</summary>
    public async Task<string?> RefuseAsync(Uri url, CancellationToken ct)
    {
        if (!url.IsAbsoluteUri)
        {
            return "refused: the URL must be absolute, e.g. https://hooks.example.com/okapi.";
        }

        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            return $"refused: only http and https URLs may be called, not {url.Scheme}.";
        }

        var host = NormaliseHost(url.Host);
        if (await IsAllowedAsync(db, host, url.Port, ct))
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(host, ct);
        }
        catch (SocketException e)
        {
            return $"refused: {host} could not be resolved ({e.SocketErrorCode}).";
        }

        return RefuseAddresses(host, addresses);
    }

    /// <summary>An HTTP client for the context's organisation that refuses to connect to addresses <see cref="RefuseAsync"/> would refuse.</summary>
    public HttpClient CreateClient()
    {
        var organisationId = db.OrganisationId;
        var handler = new SocketsHttpHandler
        {
            // A proxy would be the address checked, not the target; redirects could lead anywhere.
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = Timeout,
            ConnectCallback = (context, ct) => ConnectAsync(organisationId, context.DnsEndPoint, ct),
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout };
    }

    /// <summary>
    /// Why an address may not be called, e.g. "loopback", or null for a public address. IPv4 addresses embedded in
    /// IPv6 (mapped, compatible, NAT64) are judged as the IPv4 address they carry.
    /// </summary>
    public static string? Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b switch
            {
                [0, ..] => "unspecified",
                [127, ..] => "loopback",
                [10, ..] => "private",
                [172, >= 16 and <= 31, ..] => "private",
                [192, 168, ..] => "private",
                [169, 254, ..] => "link-local",
                [100, >= 64 and <= 127, ..] => "carrier-grade NAT",
                [192, 0, 0, _] => "reserved",
                [198, 18 or 19, ..] => "reserved",
                [255, 255, 255, 255] => "broadcast",
                [>= 224 and <= 239, ..] => "multicast",
                [>= 240, ..] => "reserved",
                _ => null,
            };
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "unsupported";
        }

        var v6 = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return "link-local";
        }

        if (address.IsIPv6UniqueLocal)
        {
            return "private";
        }

        if (address.IsIPv6Multicast)
        {
            return "multicast";
        }

        // ::a.b.c.d (IPv4-compatible) and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address they end with.
        var compatible = v6.Take(12).All(x => x == 0);
        var nat64 = v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b && v6.Skip(4).Take(8).All(x => x == 0);
        return compatible || nat64 ? Classify(new IPAddress(v6[12..])) : null;
    }

    /// <summary>The form allowed hosts are written in: lowercase, IPv6 literals in brackets.</summary>
    public static string NormaliseHost(string host)
    {
        var bare = host.Trim().TrimStart('[').TrimEnd(']');
        return IPAddress.TryParse(bare, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{ip}]"
            : host.Trim().ToLowerInvariant();
    }

    private async ValueTask<Stream> ConnectAsync(Guid organisationId, DnsEndPoint endpoint, CancellationToken ct)
    {
        var host = NormaliseHost(endpoint.Host);
        var addresses = await ResolveAsync(host, ct);
        if (RefuseAddresses(host, addresses) is { } refusal && !await IsAllowedAsync(organisationId, host, endpoint.Port, ct))
        {
            throw new HttpRequestException(refusal);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var literal))
        {
            return [literal];
        }

        var addresses = await Dns.GetHostAddressesAsync(host, ct);
        return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }

    private static string? RefuseAddresses(string host, IPAddress[] addresses)
    {
        foreach (var address in addresses)
        {
            if (Classify(address) is { } kind)
            {
                var resolved = IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out _) ? $"{host} is" : $"{host} resolves to {address}, which is";
                return $"refused: {resolved} a {kind} address; an admin may allow the host under /api/v1/allowed-hosts.";
            }
        }

        return null;
    }

    private async Task<bool> IsAllowedAsync(Guid organisationId, string host, int port, CancellationToken ct)
    {
        // The client may outlive the request's context or run beside its other queries: a scope of its own.
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        context.OrganisationId = organisationId;
        return await IsAllowedAsync(context, host, port, ct);
    }

    private static Task<bool> IsAllowedAsync(OkapiDbContext context, string host, int port, CancellationToken ct)
    {
        var withPort = $"{host}:{port}";
        return context.AllowedHosts.AnyAsync(h => h.Host == host || h.Host == withPort, ct);
    }
}
