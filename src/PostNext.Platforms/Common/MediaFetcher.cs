namespace PostNext.Platforms.Common;

/// <summary>Downloads a post's media from its URL, for platforms that take bytes rather than a URL.</summary>
public sealed class MediaFetcher(IHttpClientFactory httpClients)
{
    public const string HttpClientName = "postnext-media";

    /// <summary>Largest media file accepted (videos included).</summary>
    public const long MaxBytes = 1L << 30;

    public async Task<FetchedMedia> FetchAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await httpClients.CreateClient(HttpClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new PlatformException(new PlatformError(
                Abstractions.Posts.ErrorCategory.InvalidContent, $"The media at {url} could not be fetched ({(int)response.StatusCode}).", null, (int)response.StatusCode));
        }

        if (response.Content.Headers.ContentLength > MaxBytes)
        {
            throw new PlatformException(new PlatformError(Abstractions.Posts.ErrorCategory.InvalidContent, $"The media at {url} is larger than {MaxBytes} bytes."));
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var type = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
        return new FetchedMedia(bytes, type);
    }
}

public sealed record FetchedMedia(byte[] Bytes, string ContentType);
