using System.Net;
using System.Net.Sockets;

namespace PostNext.Content.Addresses;

/// <summary>
/// Where the silos may connect when a workspace chose the URL (a webhook receiver, a post's media): public addresses
/// only, unless private networks are allowed. The handler from <see cref="CreateHandler"/> checks every connection
/// after DNS resolution and connects only to an address it checked, so a name that later resolves to an internal
/// address (DNS rebinding) and a redirect are refused too (it follows no redirects and uses no proxy).
/// </summary>
public sealed class OutboundAddressPolicy(bool allowPrivateNetworks, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    public bool AllowPrivateNetworks => allowPrivateNetworks;

    /// <summary>What is wrong with a URL's host without resolving it (a loopback name, a non-public literal address), or null.</summary>
    public string? CheckHost(Uri uri)
    {
        if (allowPrivateNetworks)
        {
            return null;
        }

        var host = uri.DnsSafeHost.Trim('[', ']');
        if (IsLoopbackName(host))
        {
            return $"'{host}' is a loopback name; only public addresses are allowed.";
        }

        return IPAddress.TryParse(host, out var literal) && !PublicAddresses.IsPublic(literal)
            ? $"{literal} is a loopback, private or otherwise non-public address; only public addresses are allowed."
            : null;
    }

    /// <summary>The addresses to connect to for a host; throws <see cref="RefusedAddressException"/> when it does not resolve or any address is refused.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        host = host.Trim('[', ']');
        if (!allowPrivateNetworks && IsLoopbackName(host))
        {
            throw new RefusedAddressException($"'{host}' is a loopback name; only public addresses are allowed.");
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await _resolve(host, cancellationToken);
            }
            catch (SocketException ex)
            {
                throw new RefusedAddressException($"The host '{host}' could not be resolved ({ex.SocketErrorCode}).");
            }
        }

        if (addresses.Length == 0)
        {
            throw new RefusedAddressException($"The host '{host}' has no address.");
        }

        // One refused address refuses the host: it cannot be half public.
        if (!allowPrivateNetworks && addresses.FirstOrDefault(a => !PublicAddresses.IsPublic(a)) is { } refused)
        {
            throw new RefusedAddressException(
                $"The host '{host}' resolves to {refused}, a loopback, private or otherwise non-public address; only public addresses are allowed.");
        }

        return addresses;
    }

    /// <summary>An HTTP handler that follows no redirects, uses no proxy and connects only to addresses this policy allows.</summary>
    public SocketsHttpHandler CreateHandler(TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = connectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = ConnectAsync,
    };

    /// <summary>The refusal behind a failed request, if an address was refused.</summary>
    public static RefusedAddressException? FindRefusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is RefusedAddressException refused)
            {
                return refused;
            }
        }

        return null;
    }

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>An address refused by an <see cref="OutboundAddressPolicy"/> (or a host that does not resolve).</summary>
public sealed class RefusedAddressException(string message) : Exception(message);
