using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Posts;
using PostNext.Content.Addresses;

namespace PostNext.Platforms.Common;

/// <summary>
/// Downloads a post's media from its URL, for platforms that take bytes rather than a URL. The URL is the
/// workspace's choice, so: public addresses only (checked on every connection, redirects included, unless
/// <see cref="MediaOptions.AllowPrivateNetworks"/>), http(s) only, a hard byte cap while streaming (a chunked body
/// cannot get past it), and the served type must match the item (image/… or video/…). Any refusal is invalid
/// content, said without anything the server answered, so the error is no probe of internal hosts.
/// </summary>
public sealed class MediaFetcher(IHttpClientFactory httpClients, IOptions<MediaOptions> options)
{
    public const string HttpClientName = "postnext-media";

    private const int ChunkBytes = 64 * 1024;

    private MediaOptions Settings => options.Value;

    /// <summary>The handler every media download goes through.</summary>
    public static HttpMessageHandler CreateHandler(MediaOptions settings) =>
        new OutboundAddressPolicy(settings.AllowPrivateNetworks).CreateHandler(TimeSpan.FromSeconds(30));

    public async Task<FetchedMedia> FetchAsync(MediaItem item, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Settings.Timeout);
        try
        {
            return await DownloadAsync(item, deadline.Token);
        }
        catch (Exception ex) when (OutboundAddressPolicy.FindRefusal(ex) is { } refused)
        {
            throw Invalid($"The media at {item.Url} was not fetched: {refused.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PlatformException(new PlatformError(ErrorCategory.Transient, $"The media at {item.Url} did not download within {Settings.Timeout}."));
        }
    }

    private async Task<FetchedMedia> DownloadAsync(MediaItem item, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        var url = ParseUrl(item.Url);
        for (var redirects = 0; ; redirects++)
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                if (redirects >= Settings.MaxRedirects)
                {
                    throw Invalid($"The media at {item.Url} redirects more than {Settings.MaxRedirects} times.");
                }

                url = ParseUrl(new Uri(url, location).ToString());
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new PlatformException(new PlatformError(ErrorCategory.InvalidContent, $"The media at {item.Url} could not be fetched ({status}).", null, status));
            }

            var type = response.Content.Headers.ContentType?.MediaType ?? "";
            CheckType(item, type);
            var max = item.Type == MediaType.Video ? Settings.MaxVideoBytes : Settings.MaxImageBytes;
            if (response.Content.Headers.ContentLength > max)
            {
                throw TooLarge(item, max);
            }

            return new FetchedMedia(await ReadCappedAsync(response.Content, item, max, cancellationToken), type);
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, MediaItem item, long max, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw TooLarge(item, max);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static void CheckType(MediaItem item, string served)
    {
        var expected = item.Type == MediaType.Video ? "video/" : "image/";
        if (!served.StartsWith(expected, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"The media at {item.Url} is served as '{(served.Length == 0 ? "no type" : served)}', not {expected}…; it was not uploaded.");
        }
    }

    private static Uri ParseUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.UserInfo.Length == 0
            ? uri
            : throw Invalid($"The media URL {url} is not an http(s) URL without credentials.");

    private static PlatformException TooLarge(MediaItem item, long max) => Invalid($"The media at {item.Url} is larger than {max} bytes.");

    private static PlatformException Invalid(string message) => new(new PlatformError(ErrorCategory.InvalidContent, message));
}

public sealed record FetchedMedia(byte[] Bytes, string ContentType);
