using Microsoft.Extensions.Options;
using PostNext.Abstractions.Posts;
using PostNext.Content.Addresses;
using PostNext.Content.Media;

namespace PostNext.Platforms.Common;

/// <summary>
/// Downloads a post's media from its URL, for platforms that take bytes rather than a URL. The URL is the
/// workspace's choice, so: public addresses only (checked on every connection, redirects included, unless
/// <see cref="MediaOptions.AllowPrivateNetworks"/>), http(s) only, a hard byte cap while streaming (a chunked body
/// cannot get past it), and the served type must match the item (image/… or video/…). Any refusal is invalid
/// content, said without anything the server answered, so the error is no probe of internal hosts. Requests go
/// through <see cref="MediaRequests"/>, the same path as the media checks made before the platform call.
/// </summary>
public sealed class MediaFetcher(IHttpClientFactory httpClients, IOptions<MediaOptions> options)
{
    public const string HttpClientName = "postnext-media";

    private MediaOptions Settings => options.Value;

    /// <summary>The handler every media download goes through.</summary>
    public static HttpMessageHandler CreateHandler(MediaOptions settings) => MediaRequests.CreateHandler(settings);

    public async Task<FetchedMedia> FetchAsync(MediaItem item, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Settings.Timeout);
        try
        {
            return await DownloadAsync(item, deadline.Token);
        }
        catch (MediaFetchException ex)
        {
            throw Invalid(ex.Message);
        }
        catch (MediaTooLargeException ex)
        {
            throw TooLarge(item, ex.Max);
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
        using var response = await MediaRequests.GetAsync(client, item.Url, Settings.MaxRedirects, null, cancellationToken);
        var status = (int)response.StatusCode;
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

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new FetchedMedia(await MediaRequests.ReadCappedAsync(body, max, cancellationToken), type);
    }

    private static void CheckType(MediaItem item, string served)
    {
        var expected = item.Type == MediaType.Video ? "video/" : "image/";
        if (!served.StartsWith(expected, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"The media at {item.Url} is served as '{(served.Length == 0 ? "no type" : served)}', not {expected}…; it was not uploaded.");
        }
    }

    private static PlatformException TooLarge(MediaItem item, long max) => Invalid($"The media at {item.Url} is larger than {max} bytes.");

    private static PlatformException Invalid(string message) => new(new PlatformError(ErrorCategory.InvalidContent, message));
}

public sealed record FetchedMedia(byte[] Bytes, string ContentType);
