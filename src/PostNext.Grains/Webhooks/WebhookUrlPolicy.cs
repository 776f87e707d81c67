using System.Net;
using Microsoft.Extensions.Options;
using PostNext.Platforms.Common;
using PostNext.Content.Addresses;

namespace PostNext.Grains.Webhooks;

/// <summary>
/// Which receiver URLs are acceptable. Checked when a webhook is created, and again on every connection after DNS
/// resolution by the shared <see cref="OutboundAddressPolicy"/> (the handler from <see cref="CreateHandler"/> connects
/// only to an address it checked), so a name that later resolves to an internal address (DNS rebinding) is still refused.
/// </summary>
public sealed class WebhookUrlPolicy(IOptions<WebhookOptions> options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    public const int MaxUrlLength = 2048;

    private readonly OutboundAddressPolicy _addresses = new(options.Value.AllowPrivateNetworks, resolve);

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
        catch (RefusedAddressException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The addresses to connect to for a host; throws <see cref="RefusedAddressException"/> when it does not resolve or any address is refused.</summary>
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => _addresses.ResolveAsync(host, cancellationToken);

    /// <summary>An HTTP handler that follows no redirects, uses no proxy and connects only to addresses this policy allows.</summary>
    public SocketsHttpHandler CreateHandler() => _addresses.CreateHandler(options.Value.RequestTimeout);
}
