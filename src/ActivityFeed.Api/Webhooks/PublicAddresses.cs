using System.Net;
using System.Net.Sockets;

namespace ActivityFeed.Api.Webhooks;

/// <summary>
/// Which addresses a webhook may reach: public unicast only, so a registration cannot make the
/// server call its own network (cloud metadata at 169.254.169.254, databases on 10.x, loopback).
/// IPv4-mapped and other IPv6 forms that embed an IPv4 address are judged by that address.
/// </summary>
public static class PublicAddresses
{
    private static readonly IPNetwork[] NonPublicV4 =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
        }.Select(IPNetwork.Parse),
    ];

    private static readonly IPNetwork[] NonPublicV6 =
    [
        .. new[]
        {
            "::/96", "100::/64", "2001::/23", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(IPNetwork.Parse),
    ];

    private static readonly IPNetwork LoopbackV4 = IPNetwork.Parse("127.0.0.0/8");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public static bool IsLoopback(IPAddress address)
    {
        var v4 = EmbeddedV4(address);
        return v4 is not null ? LoopbackV4.Contains(v4) : address.Equals(IPAddress.IPv6Loopback);
    }

    /// <summary>True when a webhook may connect to this address.</summary>
    public static bool IsAllowed(IPAddress address, bool allowLoopback)
    {
        if (IsLoopback(address))
        {
            return allowLoopback;
        }

        if (EmbeddedV4(address) is { } v4)
        {
            return !NonPublicV4.Any(n => n.Contains(v4));
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && !NonPublicV6.Any(n => n.Contains(address));
    }

    /// <summary>The IPv4 address an address stands for: itself, an IPv4-mapped, NAT64 or 6to4 form; else null.</summary>
    private static IPAddress? EmbeddedV4(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return address;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }
}
