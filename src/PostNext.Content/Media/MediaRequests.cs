using PostNext.Content.Addresses;

namespace PostNext.Content.Media;

/// <summary>
/// The one way the silos request a media URL a workspace chose: http(s) without credentials, through a client whose
/// handler comes from <see cref="OutboundAddressPolicy.CreateHandler"/> (public addresses only, checked on every
/// connection), redirects followed by hand up to a limit so each target is checked like the first.
/// </summary>
public static class MediaRequests
{
    /// <summary>The handler every media request goes through.</summary>
    public static HttpMessageHandler CreateHandler(MediaOptions settings) =>
        new OutboundAddressPolicy(settings.AllowPrivateNetworks).CreateHandler(TimeSpan.FromSeconds(30));

    /// <summary>The URL as an absolute http(s) URI without credentials; throws <see cref="MediaFetchException"/> otherwise.</summary>
    public static Uri ParseUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.UserInfo.Length == 0
            ? uri
            : throw new MediaFetchException($"The media URL {url} is not an http(s) URL without credentials.");

    /// <summary>
    /// GETs <paramref name="url"/> (headers only read), following at most <paramref name="maxRedirects"/> redirects;
    /// <paramref name="prepare"/> sets headers (e.g. a Range) on every request. The caller disposes the answer.
    /// </summary>
    public static async Task<HttpResponseMessage> GetAsync(
        HttpClient client, string url, int maxRedirects, Action<HttpRequestMessage>? prepare, CancellationToken cancellationToken)
    {
        var target = ParseUrl(url);
        for (var redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            prepare?.Invoke(request);
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is < 300 or >= 400 || response.Headers.Location is not { } location)
            {
                return response;
            }

            response.Dispose();
            if (redirects >= maxRedirects)
            {
                throw new MediaFetchException($"The media at {url} redirects more than {maxRedirects} times.");
            }

            target = ParseUrl(new Uri(target, location).ToString());
        }
    }

    /// <summary>Reads a body into memory, failing with <see cref="MediaTooLargeException"/> as soon as it passes <paramref name="max"/> bytes.</summary>
    public static async Task<byte[]> ReadCappedAsync(Stream stream, long max, CancellationToken cancellationToken, byte[]? already = null)
    {
        using var buffer = new MemoryStream();
        if (already is not null)
        {
            buffer.Write(already);
        }

        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new MediaTooLargeException(max);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>A media URL that cannot be requested as it is (not http(s), credentials, too many redirects).</summary>
public sealed class MediaFetchException(string message) : Exception(message);

/// <summary>A media body longer than the byte cap; the download stopped there.</summary>
public sealed class MediaTooLargeException(long max) : Exception($"larger than {max} bytes")
{
    public long Max { get; } = max;
}
