using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.TikTok;

/// <summary>The upload and status half of a TikTok publish: chunked PUTs to the upload URL, then status polling.</summary>
public sealed partial class TikTokConnector
{
    /// <summary>
    /// PUTs the chunks in order to the upload URL (which carries its own upload token: no bearer goes to that host).
    /// Until the last chunk lands TikTok cannot publish anything, so a refused chunk is reported as classified; a refused
    /// last chunk with a server error might still have completed the upload, so that one is an unknown outcome.
    /// </summary>
    private async Task UploadAsync(Uri uploadUrl, FetchedMedia video, TikTokChunkPlan plan, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        var contentType = video.ContentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? video.ContentType : "video/mp4";
        for (var index = 0; index < plan.ChunkCount; index++)
        {
            var (first, length) = plan.Chunk(index);
            using var request = new HttpRequestMessage(HttpMethod.Put, uploadUrl)
            {
                Content = new ByteArrayContent(video.Bytes, (int)first, (int)length),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            request.Content.Headers.ContentRange = new ContentRangeHeaderValue(first, first + length - 1, plan.VideoSize);
            using var response = await SendTimedAsync(request, null, limits, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                continue;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var error = Classify(response, body);
            var last = index == plan.ChunkCount - 1;
            throw new PlatformException(last && error.Category == ErrorCategory.Transient
                ? error with { Category = ErrorCategory.UnknownOutcome, Message = $"TikTok failed on the last chunk, after which the post may exist: {error.Message}" }
                : error);
        }
    }

    /// <summary>
    /// Polls the status until TikTok has published the post (PUBLISH_COMPLETE / SEND_TO_USER_INBOX) or failed it. A post
    /// visible beyond its creator gets its public id only after moderation, so that is waited for within
    /// <see cref="PlatformOptions.ProcessingTimeout"/>; a SELF_ONLY post never gets one and is reported by its publish_id.
    /// Once init has answered, anything that is not a definite FAILED is an unknown outcome, never a failure to retry.
    /// </summary>
    private async Task<PublishOutcome> AwaitPublishedAsync(PublishingIdentity account, string publishId, string privacy, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        var deadline = Time.GetUtcNow() + Options.ProcessingTimeout;
        while (true)
        {
            TikTokStatus status;
            try
            {
                status = await FetchStatusAsync(account, publishId, limits, cancellationToken);
            }
            catch (PlatformException ex)
            {
                return PublishOutcome.Failure(ErrorCategory.UnknownOutcome,
                    $"TikTok accepted the post ({publishId}) but its status could not be read: {ex.Error.Message}");
            }

            if (status.State == TikTokStatus.Failed)
            {
                return TikTokErrors.FromFailReason(status.FailReason, Time.GetUtcNow()).ToOutcome();
            }

            var final = status.IsPublished && (status.PostIds.Count > 0 || privacy == TikTokPostOptions.SelfOnly || status.State == TikTokStatus.SentToInbox);
            if (final || (status.IsPublished && Time.GetUtcNow() >= deadline))
            {
                return Published(account, publishId, status);
            }

            if (Time.GetUtcNow() >= deadline)
            {
                return PublishOutcome.Failure(ErrorCategory.UnknownOutcome,
                    $"TikTok was still processing the post ({publishId}, {status.State}) after {Options.ProcessingTimeout}.");
            }

            await Task.Delay(Options.PollInterval, Time, cancellationToken);
        }
    }

    /// <summary><c>POST /v2/post/publish/status/fetch/</c> for one publish_id.</summary>
    private async Task<TikTokStatus> FetchStatusAsync(PublishingIdentity account, string publishId, RateLimitCollector? limits, CancellationToken cancellationToken)
    {
        var json = await CallAsync(HttpMethod.Post, Api("v2/post/publish/status/fetch/"), account.AccessToken,
            Json(new JsonObject { ["publish_id"] = publishId }), limits, cancellationToken);
        return TikTokStatus.Read(json["data"]);
    }

    /// <summary>
    /// The published post: its public id and permalink <c>https://www.tiktok.com/@{username}/video/{id}</c> when TikTok has
    /// given one, else the publish_id and the creator's profile (a private post has no public id).
    /// </summary>
    private PublishOutcome Published(PublishingIdentity account, string publishId, TikTokStatus status)
    {
        var profile = $"https://www.tiktok.com/@{Uri.EscapeDataString(account.Handle.TrimStart('@'))}";
        return status.PostIds.FirstOrDefault() is { } postId
            ? PublishOutcome.Success(postId, $"{profile}/video/{postId}", Time.GetUtcNow())
            : PublishOutcome.Success(publishId, profile, Time.GetUtcNow());
    }
}

/// <summary>A publish's status as <c>/v2/post/publish/status/fetch/</c> reports it.</summary>
internal sealed record TikTokStatus(string State, string? FailReason, IReadOnlyList<string> PostIds, long? UploadedBytes)
{
    public const string ProcessingUpload = "PROCESSING_UPLOAD";
    public const string ProcessingDownload = "PROCESSING_DOWNLOAD";
    public const string SentToInbox = "SEND_TO_USER_INBOX";
    public const string Complete = "PUBLISH_COMPLETE";
    public const string Failed = "FAILED";

    public bool IsPublished => State is Complete or SentToInbox;

    /// <summary>Reads <c>data</c>; note TikTok's own spelling, <c>publicaly_available_post_id</c> (an array of ids).</summary>
    public static TikTokStatus Read(JsonNode? data) => new(
        data?["status"]?.ToString() ?? "UNKNOWN",
        data?["fail_reason"]?.ToString(),
        [.. (data?["publicaly_available_post_id"] as JsonArray ?? []).Select(id => id?.ToString()).OfType<string>()],
        data?["uploaded_bytes"] is JsonValue bytes && long.TryParse(bytes.ToString(), out var uploaded) ? uploaded : null);
}
