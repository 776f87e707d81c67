using System.Net;
using System.Net.Sockets;

namespace PostNext.Content.Addresses;

/// <summary>
/// Which addresses the silos may call on a workspace's behalf (webhook receivers, media downloads) when private
/// networks are not allowed: public unicast only. Refused:
/// loopback, RFC 1918, CGNAT (100.64/10), link-local (169.254/16, fe80::/10), unique-local (fc00::/7), this-network
/// (0/8), multicast, reserved and documentation ranges, and IPv6 forms that embed one of those (IPv4-mapped, NAT64, 6to4).
/// </summary>
public static class PublicAddresses
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublicV4(address.MapToIPv4().GetAddressBytes());
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsPublicV6(address.GetAddressBytes()),
            _ => false,
        };
    }

    private static bool IsPublicV4(ReadOnlySpan<byte> ip)
    {
        var (a, b, c) = (ip[0], ip[1], ip[2]);
        return !(
            a == 0 ||                                   // 0.0.0.0/8 "this network"
            a == 10 ||                                  // 10/8 private
            (a == 100 && (b & 0xC0) == 64) ||           // 100.64/10 carrier-grade NAT
            a == 127 ||                                 // 127/8 loopback
            (a == 169 && b == 254) ||                   // 169.254/16 link-local (cloud metadata lives here)
            (a == 172 && (b & 0xF0) == 16) ||           // 172.16/12 private
            (a == 192 && b == 0 && c is 0 or 2) ||      // 192.0.0/24 protocol assignments, 192.0.2/24 documentation
            (a == 192 && b == 88 && c == 99) ||         // 192.88.99/24 6to4 relay anycast (deprecated)
            (a == 192 && b == 168) ||                   // 192.168/16 private
            (a == 198 && (b & 0xFE) == 18) ||           // 198.18/15 benchmarking
            (a == 198 && b == 51 && c == 100) ||        // 198.51.100/24 documentation
            (a == 203 && b == 0 && c == 113) ||         // 203.0.113/24 documentation
            a >= 224);                                  // 224/4 multicast, 240/4 reserved, broadcast
    }

    private static bool IsPublicV6(ReadOnlySpan<byte> ip)
    {
        // 64:ff9b::/96 (NAT64): judged by the IPv4 address it carries.
        if (ip[0] == 0x00 && ip[1] == 0x64 && ip[2] == 0xff && ip[3] == 0x9b && ip[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return IsPublicV4(ip[12..]);
        }

        // Only global unicast (2000::/3): this leaves out ::, ::1, IPv4-compatible ::/96, fc00::/7, fe80::/10, fec0::/10, ff00::/8 …
        if ((ip[0] & 0xE0) != 0x20)
        {
            return false;
        }

        if (ip[0] == 0x20 && ip[1] == 0x01 && ip[2] == 0x00 && (ip[3] & 0xFE) == 0x00)
        {
            return false; // 2001::/23 protocol assignments (Teredo, benchmarking, ORCHID)
        }

        if (ip[0] == 0x20 && ip[1] == 0x01 && ip[2] == 0x0d && ip[3] == 0xb8)
        {
            return false; // 2001:db8::/32 documentation
        }

        if (ip[0] == 0x3f && ip[1] == 0xff && (ip[2] & 0xF0) == 0x00)
        {
            return false; // 3fff::/20 documentation
        }

        // 2002::/16 (6to4): judged by the IPv4 address it carries.
        return ip[0] != 0x20 || ip[1] != 0x02 || IsPublicV4(ip[2..6]);
    }
}
