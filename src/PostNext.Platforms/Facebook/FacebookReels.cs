using System.Text.Json.Nodes;
using PostNext.Abstractions;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.Facebook;

/// <summary>
/// Page reels, as developers.facebook.com "Reels Publishing API" (video-api/guides/reels-publishing) describes them:
/// <c>POST /{page}/video_reels</c> with <c>upload_phase=start</c> opens an upload session and names the video
/// (<c>video_id</c>, <c>upload_url</c>); the hosted file is handed over to rupload.facebook.com with the
/// <c>file_url</c> header; <c>upload_phase=finish</c> with <c>video_state=PUBLISHED</c> and the description publishes it;
/// <c>GET /{video-id}?fields=status</c> tells its uploading, processing and publishing phases. Nothing is visible until
/// the finish, and the video id is known right after the start: it is checkpointed, so a retry or a reconciliation
/// asks about that video instead of starting a second upload.
/// </summary>
public sealed partial class FacebookConnector
{
    /// <summary>Checkpoint: the reel's video id, from the upload session's start.</summary>
    public const string ReelCheckpoint = "facebook.reel";

    /// <summary>Checkpoint: the upload URL the session's start answered (rupload.facebook.com/video-upload/{version}/{video-id}).</summary>
    public const string UploadUrlCheckpoint = "facebook.upload-url";

    /// <summary>A reel's permalink: https://www.facebook.com/reel/{video-id}.</summary>
    public static string ReelPermalink(string videoId) => $"https://www.facebook.com/reel/{videoId}";

    private async Task<PublishOutcome> PublishReelAsync(PublishRequest request, Secret token, IrreversibleMarker marker, CancellationToken cancellationToken)
    {
        var pageId = request.Account.ExternalId;
        if (request.Content.Media is not [{ Type: MediaType.Video } video])
        {
            return PublishOutcome.Failure(ErrorCategory.InvalidContent, "Facebook: a reel is exactly one video.");
        }

        var videoId = await OpenOrResumeUploadAsync(request, "video_reels", ReelCheckpoint, video.Url, token, cancellationToken);
        var finish = new JsonObject { ["upload_phase"] = "finish", ["video_id"] = videoId, ["video_state"] = "PUBLISHED" };
        if (!string.IsNullOrWhiteSpace(request.Content.Text))
        {
            finish["description"] = request.Content.Text;
        }

        await request.SaveCheckpointAsync(SentAtCheckpoint, UnixSeconds(Time.GetUtcNow()));
        var finished = await IrreversibleAsync(marker, () => PostJsonAsync(Graph($"{pageId}/video_reels"), finish, token, request.Limits, cancellationToken));
        if (!IsTrue(finished["success"]))
        {
            throw new PlatformException(new PlatformError(ErrorCategory.UnknownOutcome, $"Facebook answered the reel's finish without success: {finished.ToJsonString()}"));
        }

        ReelState state;
        try
        {
            state = await WaitForReelAsync(videoId, token, request.Limits, cancellationToken);
        }
        catch (PlatformException ex)
        {
            return PublishOutcome.Failure(ErrorCategory.UnknownOutcome, $"Facebook: reel {videoId} was finished; its publishing could not be read: {ex.Error.Message}");
        }

        // Still processing at the timeout counts as published: Facebook accepted the finish and publishes it once processed.
        return state.Failed
            ? PublishOutcome.Failure(ErrorCategory.InvalidContent, $"Facebook could not publish the reel: {state.Detail}")
            : PublishOutcome.Success(videoId, ReelPermalink(videoId), state.PublishedAt ?? Time.GetUtcNow());
    }

    /// <summary>
    /// What a reel's checkpoints say: published (found), failed or never finished (not found: a retry carries on with the
    /// same video, or starts afresh after a failure), or finished and not published yet (unknown while it could still be
    /// processing; past that, not found, and the retry's finish names the same video, so it cannot make a second reel).
    /// </summary>
    private async Task<ReconcileResult> ReelFromCheckpointAsync(PublishRequest request, string videoId, Secret token, CancellationToken cancellationToken)
    {
        var state = await ReelStateAsync(videoId, token, request.Limits, cancellationToken);
        if (state.Published)
        {
            return ReconcileResult.Found(PublishOutcome.Success(videoId, ReelPermalink(videoId), state.PublishedAt ?? Time.GetUtcNow()));
        }

        if (state.Failed || FromUnixSeconds(request.Checkpoint(SentAtCheckpoint)) is not { } finishedAt)
        {
            return ReconcileResult.NotFound;
        }

        return Time.GetUtcNow() < finishedAt + Options.ProcessingTimeout
            ? ReconcileResult.Unknown($"Facebook: reel {videoId} was finished and is not published yet ({state.Detail}).")
            : ReconcileResult.NotFound;
    }

    private Task<ReelState> WaitForReelAsync(string videoId, Secret token, RateLimitCollector limits, CancellationToken cancellationToken) =>
        PollUntilSettledAsync(() => ReelStateAsync(videoId, token, limits, cancellationToken), s => s.Published || s.Failed, cancellationToken);

    /// <summary>
    /// <c>GET /{video-id}?fields=status</c> of a reel or a video story: <c>video_status</c> and the <c>uploading_phase</c>, <c>processing_phase</c> and
    /// <c>publishing_phase</c> (whose <c>publish_status</c> is "published" once the reel is live).
    /// </summary>
    private async Task<ReelState> ReelStateAsync(string videoId, Secret token, RateLimitCollector? limits, CancellationToken cancellationToken)
    {
        var video = await GetAsync(Graph(videoId, ("fields", "status")), token, limits, cancellationToken);
        var status = video["status"] as JsonObject;
        var videoStatus = Text(status?["video_status"]);
        var phases = new[] { "uploading_phase", "processing_phase", "publishing_phase" }.Select(p => status?[p] as JsonObject).ToList();
        var failedPhase = phases.FirstOrDefault(p => Text(p?["status"]) == "error");
        var publishing = phases[2];
        var published = Text(publishing?["publish_status"]) == "published" || Text(publishing?["status"]) == "complete";
        return new ReelState(
            Uploaded: Text(phases[0]?["status"]) == "complete",
            Published: published,
            Failed: videoStatus is "error" or "expired" || failedPhase is not null,
            Detail: Text(failedPhase?["error"]?["message"]) ?? videoStatus ?? "unknown",
            PublishedAt: FromUnixSeconds(Text(publishing?["publish_time"])));
    }

    /// <summary>
    /// The video of an upload session on <paramref name="edge"/> with the hosted file handed over: the checkpointed one
    /// when an earlier attempt opened it (and never got it published), uploading the file only if that did not finish;
    /// else, or when that video failed, a new session.
    /// </summary>
    private async Task<string> OpenOrResumeUploadAsync(
        PublishRequest request, string edge, string checkpoint, string fileUrl, Secret token, CancellationToken cancellationToken)
    {
        var videoId = request.Checkpoint(checkpoint);
        var uploadUrl = request.Checkpoint(UploadUrlCheckpoint);
        var session = videoId is null ? null : await ReelStateAsync(videoId, token, request.Limits, cancellationToken);
        if (videoId is null || session!.Failed)
        {
            (videoId, uploadUrl) = await StartUploadAsync(request, edge, checkpoint, token, cancellationToken);
            session = null;
        }

        if (session?.Uploaded != true)
        {
            await UploadHostedFileAsync(videoId, uploadUrl, fileUrl, token, request.Limits, cancellationToken);
        }

        return videoId;
    }

    /// <summary>
    /// Opens an upload session on <paramref name="edge"/> (<c>video_reels</c> or <c>video_stories</c>) and checkpoints the
    /// video id and its upload URL; nothing is visible on the Page yet.
    /// </summary>
    private async Task<(string VideoId, string? UploadUrl)> StartUploadAsync(
        PublishRequest request, string edge, string checkpoint, Secret token, CancellationToken cancellationToken)
    {
        var started = await PostJsonAsync(Graph($"{request.Account.ExternalId}/{edge}"), new JsonObject { ["upload_phase"] = "start" }, token, request.Limits, cancellationToken);
        var videoId = Text(started["video_id"]) ?? throw new PlatformException(
            new PlatformError(ErrorCategory.Transient, "Facebook opened an upload session but sent no video id."));
        await request.SaveCheckpointAsync(checkpoint, videoId);
        var uploadUrl = Text(started["upload_url"]);
        if (uploadUrl is not null)
        {
            await request.SaveCheckpointAsync(UploadUrlCheckpoint, uploadUrl);
        }

        return (videoId, uploadUrl);
    }

    /// <summary>
    /// Hands a hosted file to the upload session: <c>POST {upload_url}</c> with <c>Authorization: OAuth {token}</c> and the
    /// <c>file_url</c> header (Reels Publishing API, "Upload a hosted file"). The URL is the one Facebook answered, and
    /// the token goes only to Facebook's own hosts (or the configured Graph API's origin).
    /// </summary>
    private async Task UploadHostedFileAsync(string videoId, string? answeredUrl, string fileUrl, Secret token, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        var uploadUrl = answeredUrl is not null && Uri.TryCreate(answeredUrl, UriKind.Absolute, out var parsed) &&
                        parsed.AbsolutePath.EndsWith("/" + videoId, StringComparison.Ordinal)
            ? parsed
            : new Uri($"https://rupload.facebook.com/video-upload/{Version}/{videoId}");
        if (!IsFacebookUploadHost(uploadUrl))
        {
            throw new PlatformException(new PlatformError(ErrorCategory.Transient, $"Facebook: the upload URL's host {uploadUrl.Host} is not Facebook's; the token is not sent there."));
        }

        using var upload = new HttpRequestMessage(HttpMethod.Post, uploadUrl);
        upload.Headers.TryAddWithoutValidation("Authorization", "OAuth " + token.Reveal());
        upload.Headers.TryAddWithoutValidation("file_url", fileUrl);
        using var response = await SendTimedAsync(upload, null, limits, cancellationToken);
        if (await ReadOrThrowAsync(response, cancellationToken) is not JsonObject { } answer || !IsTrue(answer["success"]))
        {
            throw new PlatformException(new PlatformError(ErrorCategory.Transient, $"Facebook did not take the hosted file for video {videoId}."));
        }
    }

    /// <summary>
    /// Where the token may go with a hosted file: the configured Graph API itself (same scheme, host and port), or a
    /// Facebook host over HTTPS on its default port; any other origin, even on the Graph API's host, is not Facebook's.
    /// </summary>
    private bool IsFacebookUploadHost(Uri uploadUrl) =>
        Uri.Compare(uploadUrl, Options.ApiBaseUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0 ||
        (uploadUrl.Scheme == Uri.UriSchemeHttps && uploadUrl.IsDefaultPort && uploadUrl.Host.EndsWith(".facebook.com", StringComparison.OrdinalIgnoreCase));

    /// <summary>Graph's <c>"success": true</c>.</summary>
    private static bool IsTrue(JsonNode? node) => string.Equals(Text(node), "true", StringComparison.OrdinalIgnoreCase);

    private sealed record ReelState(bool Uploaded, bool Published, bool Failed, string Detail, DateTimeOffset? PublishedAt);
}
