using System.Text.Json;
using System.Text.Json.Nodes;
using PostNext.Abstractions;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.Facebook;

/// <summary>Photos (uploaded unpublished, by URL) and videos (by <c>file_url</c>, then processing watched).</summary>
public sealed partial class FacebookConnector
{
    /// <summary>
    /// Uploads each photo with <c>published=false</c>: invisible until attached to the feed post, so an attempt that
    /// stops here leaves nothing on the Page.
    /// </summary>
    private async Task<IReadOnlyList<string>> UploadUnpublishedPhotosAsync(
        string pageId, IReadOnlyList<MediaItem> media, Secret token, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var image in media.Where(m => m.Type == MediaType.Image))
        {
            var photo = await PostJsonAsync(Graph($"{pageId}/photos"), new JsonObject { ["url"] = image.Url, ["published"] = false }, token, limits, cancellationToken);
            ids.Add(Text(photo["id"]) ?? throw new PlatformException(
                new PlatformError(ErrorCategory.Transient, "Facebook accepted a photo but sent no id.")));
        }

        return ids;
    }

    /// <summary>
    /// <c>POST {upload}/{page}/videos</c> with the video's URL (Facebook fetches it), then waits for processing: an error
    /// there means nothing was published; still processing at <see cref="PlatformOptions.ProcessingTimeout"/> counts as
    /// published (Facebook accepted it and publishes it once processed).
    /// </summary>
    private async Task<PublishOutcome> PublishVideoAsync(PublishRequest request, Secret token, IrreversibleMarker marker, CancellationToken cancellationToken)
    {
        var pageId = request.Account.ExternalId;
        var body = new JsonObject { ["file_url"] = request.Content.Media[0].Url };
        if (!string.IsNullOrWhiteSpace(request.Content.Text))
        {
            body["description"] = request.Content.Text;
        }

        if (!string.IsNullOrWhiteSpace(request.Content.Title))
        {
            body["title"] = request.Content.Title;
        }

        body["published"] = true;
        await request.SaveCheckpointAsync(SentAtCheckpoint, UnixSeconds(Time.GetUtcNow()));
        var url = WithQuery(new Uri(Options.UploadBaseUrl ?? Options.ApiBaseUrl!, $"{Version}/{pageId}/videos"), ("fields", "id,permalink_url"));
        var created = await IrreversibleAsync(marker, () => PostJsonAsync(url, body, token, request.Limits, cancellationToken));
        var videoId = Text(created["id"]) ?? throw new PlatformException(
            new PlatformError(ErrorCategory.UnknownOutcome, "Facebook accepted the video but sent no id."));
        await request.SaveCheckpointAsync(VideoCheckpoint, videoId);

        VideoState state;
        try
        {
            state = await WaitForVideoAsync(videoId, token, request.Limits, cancellationToken);
        }
        catch (PlatformException ex)
        {
            // The video exists; only its processing went unobserved. Reconciliation reads it from the checkpoint.
            return PublishOutcome.Failure(ErrorCategory.UnknownOutcome, $"Facebook: video {videoId} was created; its processing could not be read: {ex.Error.Message}");
        }

        return state.Failed
            ? PublishOutcome.Failure(ErrorCategory.InvalidContent, $"Facebook could not process the video: {state.Detail}")
            : PublishOutcome.Success(videoId, Absolute(Text(created["permalink_url"])) ?? state.Permalink ?? VideoPermalink(pageId, videoId), Time.GetUtcNow());
    }

    private Task<VideoState> WaitForVideoAsync(string videoId, Secret token, RateLimitCollector limits, CancellationToken cancellationToken) =>
        PollUntilSettledAsync(() => VideoStateAsync(videoId, token, limits, cancellationToken), s => s.Ready || s.Failed, cancellationToken);

    /// <summary><c>GET /{video-id}?fields=status,…</c>: <c>status.video_status</c> is ready, processing, error or expired.</summary>
    private async Task<VideoState> VideoStateAsync(string videoId, Secret token, RateLimitCollector? limits, CancellationToken cancellationToken)
    {
        var video = await GetAsync(Graph(videoId, ("fields", "status,permalink_url,created_time")), token, limits, cancellationToken);
        var status = video["status"] as JsonObject;
        var videoStatus = Text(status?["video_status"]);
        var detail = Text(status?["processing_phase"]?["error"]?["message"]) ?? Text(status?["uploading_phase"]?["error"]?["message"]) ?? videoStatus ?? "unknown";
        return new VideoState(
            videoStatus == "ready",
            videoStatus is "error" or "expired",
            detail,
            Absolute(Text(video["permalink_url"])),
            ParseTime(video["created_time"]));
    }

    private sealed record VideoState(bool Ready, bool Failed, string Detail, string? Permalink, DateTimeOffset? CreatedAt);
}
