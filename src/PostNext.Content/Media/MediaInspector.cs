using System.Net;
using System.Net.Http.Headers;
using PostNext.Abstractions.Posts;
using PostNext.Content.Addresses;

namespace PostNext.Content.Media;

/// <summary>
/// Fetches a post's media through the same safe path as publishing (<see cref="MediaRequests"/>: public addresses
/// only, redirects checked, a hard byte cap) and reads its <see cref="MediaFacts"/>. It asks for the first
/// <see cref="PrefixBytes"/> only (a Range request; a server that ignores Range is read no further than that), which
/// holds every image header and an MP4/MOV whose <c>moov</c> box comes first ("faststart"). A video whose
/// <c>moov</c> box comes after its media data is then read whole, within the byte cap and <see cref="MediaOptions.InspectionTimeout"/>.
/// Nothing the media server answered is repeated in a message (beyond its status code), so inspection is no probe of other hosts.
/// </summary>
public sealed class MediaInspector(HttpClient client, MediaOptions settings)
{
    /// <summary>How much of a file is asked for first.</summary>
    public const int PrefixBytes = 256 * 1024;

    /// <summary>An inspector with its own client on the policy's handler (no proxy, no automatic redirects).</summary>
    public static MediaInspector Create(MediaOptions settings) =>
        new(new HttpClient(MediaRequests.CreateHandler(settings)) { Timeout = Timeout.InfiniteTimeSpan }, settings);

    /// <summary>The facts of the file at <paramref name="item"/>'s URL, or why it could not be read; never throws for what the server does.</summary>
    public async Task<MediaInspection> InspectAsync(MediaItem item, CancellationToken cancellationToken)
    {
        var cap = item.Type == MediaType.Video ? settings.MaxVideoBytes : settings.MaxImageBytes;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.InspectionTimeout);
        try
        {
            return await ReadAsync(item.Url, cap, deadline.Token);
        }
        catch (MediaFetchException ex)
        {
            return MediaInspection.Failed(item.Url, ex.Message, transient: false);
        }
        catch (MediaTooLargeException ex)
        {
            return MediaInspection.Failed(item.Url, $"The media at {item.Url} is larger than {ex.Max:N0} bytes, the most PostNext downloads.", transient: false);
        }
        catch (Exception ex) when (OutboundAddressPolicy.FindRefusal(ex) is { } refused)
        {
            return MediaInspection.Failed(item.Url, $"The media at {item.Url} was not fetched: {refused.Message}", transient: false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return MediaInspection.Failed(item.Url, $"The media at {item.Url} could not be read within {settings.InspectionTimeout}.", transient: true);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return MediaInspection.Failed(item.Url, $"The media at {item.Url} could not be fetched (the connection failed).", transient: true);
        }
    }

    private async Task<MediaInspection> ReadAsync(string url, long cap, CancellationToken cancellationToken)
    {
        using var response = await MediaRequests.GetAsync(client, url, settings.MaxRedirects,
            request => request.Headers.Range = new RangeHeaderValue(0, PrefixBytes - 1), cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // An empty file, or a server that refuses ranges outright: read it whole.
            return await ReadWholeAsync(url, cap, cancellationToken);
        }

        if (Unavailable(url, response) is { } failed)
        {
            return failed;
        }

        var ranged = response.StatusCode == HttpStatusCode.PartialContent;
        var total = ranged ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength;
        if (total > cap)
        {
            throw new MediaTooLargeException(cap);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var (prefix, ended) = await ReadPrefixAsync(body, cancellationToken);
        var whole = ended && (!ranged || total is null || total == prefix.Length);
        var facts = MediaProbe.Read(prefix, whole ? prefix.Length : total);
        if (whole || facts is null || facts.IsComplete)
        {
            // An unknown format stays unknown with more bytes: formats are told by their first bytes.
            return new MediaInspection(url, facts, whole ? prefix.Length : total);
        }

        // The headers are further in (an MP4 with its moov box at the end): the whole file, within the cap.
        if (!ranged)
        {
            var all = await MediaRequests.ReadCappedAsync(body, cap, cancellationToken, already: prefix);
            return new MediaInspection(url, MediaProbe.Read(all, all.Length), all.Length);
        }

        return await ReadWholeAsync(url, cap, cancellationToken);
    }

    private async Task<MediaInspection> ReadWholeAsync(string url, long cap, CancellationToken cancellationToken)
    {
        using var response = await MediaRequests.GetAsync(client, url, settings.MaxRedirects, null, cancellationToken);
        if (Unavailable(url, response) is { } failed)
        {
            return failed;
        }

        if (response.Content.Headers.ContentLength > cap)
        {
            throw new MediaTooLargeException(cap);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var all = await MediaRequests.ReadCappedAsync(body, cap, cancellationToken);
        return new MediaInspection(url, MediaProbe.Read(all, all.Length), all.Length);
    }

    private static MediaInspection? Unavailable(string url, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        return response.IsSuccessStatusCode
            ? null
            : MediaInspection.Failed(url, $"The media at {url} could not be fetched ({status}).", transient: status is 408 or 429 or >= 500);
    }

    // Up to PrefixBytes of the body, and whether the body ended within them.
    private static async Task<(byte[] Bytes, bool Ended)> ReadPrefixAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[PrefixBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return (buffer[..filled], true);
            }

            filled += read;
        }

        // Full: the body ended here only if nothing follows (checked without reading past one more byte).
        var probe = new byte[1];
        var more = await body.ReadAsync(probe, cancellationToken);
        return more == 0 ? (buffer, true) : ([.. buffer, probe[0]], false);
    }
}
