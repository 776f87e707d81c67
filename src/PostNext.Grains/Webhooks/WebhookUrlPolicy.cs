using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace PostNext.Grains.Webhooks;

/// <summary>
/// Which receiver URLs are acceptable. Checked when a webhook is created, and again on every connection after DNS
/// resolution (the handler from <see cref="CreateHandler"/> connects only to an address it checked), so a name that
/// later resolves to an internal address (DNS rebinding) is still refused.
/// </summary>
public sealed class WebhookUrlPolicy(IOptions<WebhookOptions> options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    public const int MaxUrlLength = 2048;

    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    private bool AllowPrivate => options.Value.AllowPrivateNetworks;

    /// <summary>What is wrong with the URL's form (scheme, credentials, length), or null; no network access.</summary>
    public string? CheckForm(string? url, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            return "A receiver URL is required.";
        }

        if (url.Length > MaxUrlLength)
        {
            return $"The URL is longer than {MaxUrlLength} characters.";
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host) ||
            !(parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp))
        {
            return "An absolute https URL is required.";
        }

        if (parsed.Scheme == Uri.UriSchemeHttp && !AllowPrivate)
        {
            return "The URL must use https.";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "The URL must not carry credentials; receivers check the PostNext-Signature header instead.";
        }

        if (parsed.Fragment.Length > 0)
        {
            return "The URL must not have a fragment (#…).";
        }

        uri = parsed;
        return null;
    }

    /// <summary>What is wrong with the URL, including where its host resolves to, or null when webhooks may be sent there.</summary>
    public async Task<string?> ValidateAsync(string? url, CancellationToken cancellationToken = default)
    {
        if (CheckForm(url, out var uri) is { } problem)
        {
            return problem;
        }

        if (AllowPrivate)
        {
            return null;
        }

        try
        {
            await ResolveAsync(uri!.DnsSafeHost, cancellationToken);
            return null;
        }
        catch (WebhookAddressException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The addresses to connect to for a host; throws <see cref="WebhookAddressException"/> when it does not resolve or any address is refused.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        host = host.Trim('[', ']');
        if (!AllowPrivate && (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
        {
            throw new WebhookAddressException($"'{host}' is a loopback name; receivers must be on a public address.");
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
                throw new WebhookAddressException($"The host '{host}' could not be resolved ({ex.SocketErrorCode}).");
            }
        }

        if (addresses.Length == 0)
        {
            throw new WebhookAddressException($"The host '{host}' has no address.");
        }

        // One refused address refuses the host: a receiver cannot be half public.
        if (!AllowPrivate && addresses.FirstOrDefault(a => !WebhookAddresses.IsPublic(a)) is { } refused)
        {
            throw new WebhookAddressException(
                $"The host '{host}' resolves to {refused}, a loopback, private or otherwise non-public address; receivers must be on a public address.");
        }

        return addresses;
    }

    /// <summary>An HTTP handler that follows no redirects, uses no proxy and connects only to addresses this policy allows.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = options.Value.RequestTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = ConnectAsync,
    };

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

/// <summary>A receiver address refused by the <see cref="WebhookUrlPolicy"/> (or one that does not resolve).</summary>
public sealed class WebhookAddressException(string message) : Exception(message);
