using System.Net;
using Okapi.Core.Alerts;
using Okapi.Web.Features.Notifications;

namespace Okapi.Web.Tests.Notifications;

/// <summary>The outbound guard's address rule, allowed-host spelling and the retry backoff, without a server.</summary>
public sealed class OutboundRulesTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("10.20.30.40", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.255", "carrier-grade NAT")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fc00::1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("64:ff9b::a00:1", "private")]
    public void InternalAddressesAreRefused(string address, string kind) =>
        Assert.Equal(kind, OutboundGuard.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddressesPass(string address) => Assert.Null(OutboundGuard.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1:5099", "127.0.0.1:5099")]
    [InlineData(" AlertManager.Internal ", "alertmanager.internal")]
    [InlineData("alertmanager.internal:80", "alertmanager.internal:80")]
    [InlineData("[::1]:9093", "[::1]:9093")]
    [InlineData("[0:0::1]", "[::1]")]
    public void AllowedHostsAreWrittenAsTheGuardComparesThem(string input, string expected) =>
        Assert.Equal(expected, ChannelService.NormaliseAllowedHost(input));

    [Theory]
    [InlineData("")]
    [InlineData("http://example.com")]
    [InlineData("example.com/path")]
    [InlineData("user@example.com")]
    [InlineData("example.com:99999")]
    [InlineData("exa mple.com")]
    public void MalformedAllowedHostsAreRefused(string input) => Assert.Null(ChannelService.NormaliseAllowedHost(input));

    [Fact]
    public void BackoffDoublesFromFiveSecondsUpToAnHourWithAtMostTenPercentJitter()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Delivery.Backoff(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(10), Delivery.Backoff(2, 0));
        Assert.Equal(TimeSpan.FromSeconds(640), Delivery.Backoff(8, 0));
        Assert.Equal(TimeSpan.FromHours(1), Delivery.Backoff(30, 0));
        Assert.InRange(Delivery.Backoff(1, 0.999999), TimeSpan.FromSeconds(5.49), TimeSpan.FromSeconds(5.5));
        Assert.Equal(TimeSpan.FromHours(1), Delivery.Backoff(11, 1));
        for (var attempt = 1; attempt < 20; attempt++)
        {
            Assert.True(Delivery.Backoff(attempt + 1, 0) >= Delivery.Backoff(attempt, 1), $"attempt {attempt}: waits never shrink");
        }
    }
}
