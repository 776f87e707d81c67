using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.YouTube;

/// <summary>
/// The resumable upload: open a session (<c>POST /upload/youtube/v3/videos?uploadType=resumable&amp;part=snippet,status</c>,
/// session URI in <c>Location</c>), PUT the bytes in chunks with <c>Content-Range</c>, follow <c>308 Resume Incomplete</c>
/// and its <c>Range</c>, and probe a session with <c>Content-Range: bytes */{size}</c> to resume it or learn its result.
/// </summary>
public sealed partial class YouTubeConnector
{
    /// <summary>Chunks must be multiples of 256 KiB (all but the last).</summary>
    public const int ChunkGranularity = 256 * 1024;

    /// <summary>An earlier attempt's session for the same bytes, probed: null when there is none or it expired.</summary>
    private async Task<(Uri Session, UploadState State)?> ResumeAsync(PublishRequest request, long total, CancellationToken cancellationToken)
    {
        if (request.Checkpoint(SessionCheckpoint) is not { } saved || request.Checkpoint(LengthCheckpoint) != total.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return null;
        }

        var session = new Uri(saved);
        var state = await ProbeAsync(request.Account, request.Limits, session, total, cancellationToken);
        return state.Expired ? null : (session, state);
    }

    /// <summary>Opens a session and saves it (with the size) before any byte is sent.</summary>
    private async Task<(Uri Session, UploadState State)> StartAsync(PublishRequest request, YouTubeVideo video, long total, string contentType, CancellationToken cancellationToken)
    {
        using var open = new HttpRequestMessage(HttpMethod.Post, Upload("upload/youtube/v3/videos?uploadType=resumable&part=snippet,status"))
        {
            Content = new StringContent(video.Metadata().ToJsonString(), Encoding.UTF8),
        };
        open.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=UTF-8");
        open.Headers.Add("X-Upload-Content-Length", total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        open.Headers.Add("X-Upload-Content-Type", contentType);
        using var response = await SendTimedAsync(open, request.Account.AccessToken, request.Limits, cancellationToken);
        await ReadOrThrowAsync(response, cancellationToken);
        var session = response.Headers.Location ?? throw new JsonException("YouTube opened an upload session without a Location.");
        session = session.IsAbsoluteUri ? session : new Uri(response.RequestMessage!.RequestUri!, session);

        await request.SaveCheckpointAsync(LengthCheckpoint, total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await request.SaveCheckpointAsync(SessionCheckpoint, session.AbsoluteUri);
        return (session, new UploadState(null, 0, false));
    }

    /// <summary>
    /// PUTs the bytes from <paramref name="offset"/> on, in chunks, following the server's <c>Range</c>. The last chunk is
    /// the irreversible step: a broken call or server error on it leaves the outcome unknown (the probe tells).
    /// </summary>
    private async Task<JsonObject> UploadAsync(
        PublishingIdentity account, RateLimitCollector limits, Uri session, byte[] bytes, string contentType, long offset, IrreversibleMarker marker, CancellationToken cancellationToken)
    {
        var chunk = Math.Max(ChunkGranularity, Options.ChunkSizeBytes / ChunkGranularity * ChunkGranularity);
        var total = bytes.LongLength;
        while (true)
        {
            var length = Math.Min(chunk, total - offset);
            var last = offset + length == total;
            using var put = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent(bytes, (int)offset, (int)length) };
            put.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            put.Content.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + length - 1, total);
            if (last)
            {
                marker.Reach();
            }

            UploadState state;
            try
            {
                state = await SendChunkAsync(put, account, limits, cancellationToken);
            }
            catch (PlatformException ex) when (last && ex.Error.Category == ErrorCategory.Transient)
            {
                throw new PlatformException(ex.Error with
                {
                    Category = ErrorCategory.UnknownOutcome,
                    Message = $"YouTube failed on the last chunk, after which the video may exist: {ex.Error.Message}",
                });
            }

            if (state.Video is not null)
            {
                return state.Video;
            }

            if (state.Expired || state.Received <= offset || state.Received >= total)
            {
                // Expired, no progress, or "incomplete" with every byte: stop here. A 308 means YouTube made no video,
                // and the next attempt resumes the saved session (or opens a new one once it has expired).
                throw new PlatformException(new PlatformError(ErrorCategory.Transient,
                    $"YouTube's upload session stopped at byte {state.Received} of {total}{(state.Expired ? " (expired)" : "")}."));
            }

            offset = state.Received;
        }
    }

    /// <summary>Asks a session how far it got: <c>PUT</c> with no body and <c>Content-Range: bytes */{total}</c>.</summary>
    private async Task<UploadState> ProbeAsync(PublishingIdentity account, RateLimitCollector? limits, Uri session, long total, CancellationToken cancellationToken)
    {
        using var probe = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent([]) };
        probe.Content.Headers.ContentRange = new ContentRangeHeaderValue(total);
        return await SendChunkAsync(probe, account, limits, cancellationToken);
    }

    /// <summary>One PUT to the session: 200/201 → the video resource; 308 → bytes received so far; 404/410 → expired.</summary>
    private async Task<UploadState> SendChunkAsync(HttpRequestMessage put, PublishingIdentity account, RateLimitCollector? limits, CancellationToken cancellationToken)
    {
        using var response = await SendTimedAsync(put, account.AccessToken, limits, cancellationToken);
        if (response.StatusCode == HttpStatusCode.PermanentRedirect)
        {
            return new UploadState(null, ReceivedFrom(response), false);
        }

        if (Is(response, HttpStatusCode.NotFound, HttpStatusCode.Gone))
        {
            return new UploadState(null, 0, true);
        }

        var json = await ReadOrThrowAsync(response, cancellationToken) as JsonObject ?? throw new JsonException("YouTube finished the upload with no video resource.");
        return new UploadState(json, 0, false);
    }

    /// <summary>The byte count a 308 reports: <c>Range: bytes=0-{last}</c>, none when nothing was received.</summary>
    private static long ReceivedFrom(HttpResponseMessage response)
    {
        var range = response.Headers.NonValidated.TryGetValues("Range", out var values) ? values.ToString() : null;
        var dash = range?.LastIndexOf('-') ?? -1;
        return dash >= 0 && long.TryParse(range.AsSpan(dash + 1), out var last) ? last + 1 : 0;
    }

    /// <summary>Where an upload session stands: finished (the video), or how many bytes it holds, or expired.</summary>
    private sealed record UploadState(JsonObject? Video, long Received, bool Expired);
}
