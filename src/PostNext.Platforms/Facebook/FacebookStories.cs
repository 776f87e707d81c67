using System.Text.Json.Nodes;
using PostNext.Abstractions;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.Facebook;

/// <summary>
/// Page stories, as developers.facebook.com "Facebook Stories API" (page-stories-api) describes them: a photo is
/// uploaded unpublished (<c>POST /{page}/photos published=false</c>) and published with <c>POST /{page}/photo_stories
/// photo_id</c>; a video goes through an upload session on <c>/{page}/video_stories</c> (start, hosted file to
/// rupload.facebook.com, finish). Both answer <c>{"success": true, "post_id": …}</c>. A story carries no text (the
/// post's text is not shown, as with Instagram stories) and has no insights in the Graph API, so its metrics are not
/// available. The media id is checkpointed before the publishing call; an unknown outcome is settled by finding that
/// media among the Page's stories (<c>GET /{page}/stories</c>, <c>media_id</c>).
/// </summary>
public sealed partial class FacebookConnector
{
    /// <summary>Checkpoint: the story's media (the unpublished photo's id or the video's id).</summary>
    public const string StoryMediaCheckpoint = "facebook.story-media";

    /// <summary>Checkpoint: the published story's post id.</summary>
    public const string StoryCheckpoint = "facebook.story";

    /// <summary>A story's link: https://www.facebook.com/{post-id} (Facebook resolves the id; stories expire after 24 h).</summary>
    public static string StoryPermalink(string postId) => $"https://www.facebook.com/{postId}";

    private async Task<PublishOutcome> PublishStoryAsync(PublishRequest request, Secret token, IrreversibleMarker marker, CancellationToken cancellationToken)
    {
        var pageId = request.Account.ExternalId;
        if (request.Content.Media is not [var item])
        {
            return PublishOutcome.Failure(ErrorCategory.InvalidContent, "Facebook: a story is exactly one photo or video.");
        }

        // An earlier attempt's media, which certainly was not published (else it was found), is used again.
        var mediaId = request.Checkpoint(StoryMediaCheckpoint);
        JsonObject published;
        if (item.Type == MediaType.Video)
        {
            mediaId = await OpenOrResumeUploadAsync(request, "video_stories", StoryMediaCheckpoint, item.Url, token, cancellationToken);
            await request.SaveCheckpointAsync(SentAtCheckpoint, UnixSeconds(Time.GetUtcNow()));
            published = await IrreversibleAsync(marker, () => PostJsonAsync(Graph($"{pageId}/video_stories"),
                new JsonObject { ["upload_phase"] = "finish", ["video_id"] = mediaId }, token, request.Limits, cancellationToken));
        }
        else
        {
            if (mediaId is null)
            {
                mediaId = (await UploadUnpublishedPhotosAsync(pageId, [item], token, request.Limits, cancellationToken))[0];
                await request.SaveCheckpointAsync(StoryMediaCheckpoint, mediaId);
            }

            await request.SaveCheckpointAsync(SentAtCheckpoint, UnixSeconds(Time.GetUtcNow()));
            published = await IrreversibleAsync(marker, () => PostJsonAsync(Graph($"{pageId}/photo_stories"),
                new JsonObject { ["photo_id"] = mediaId }, token, request.Limits, cancellationToken));
        }

        var postId = IsTrue(published["success"]) ? Text(published["post_id"]) : null;
        if (postId is null)
        {
            return PublishOutcome.Failure(ErrorCategory.UnknownOutcome, $"Facebook answered the story without a post id: {published.ToJsonString()}");
        }

        await request.SaveCheckpointAsync(StoryCheckpoint, postId);
        return PublishOutcome.Success(postId, StoryPermalink(postId), Time.GetUtcNow());
    }

    /// <summary>
    /// What a story's checkpoints say: its post id (found), or its media among the Page's stories since the publishing call
    /// was sent; never sent means certainly not found (a retry publishes the same media).
    /// </summary>
    private async Task<ReconcileResult> StoryFromCheckpointsAsync(PublishRequest request, Secret token, CancellationToken cancellationToken)
    {
        if (request.Checkpoint(StoryCheckpoint) is { } postId)
        {
            return ReconcileResult.Found(PublishOutcome.Success(postId, StoryPermalink(postId), Time.GetUtcNow()));
        }

        if (request.Checkpoint(StoryMediaCheckpoint) is not { } mediaId || FromUnixSeconds(request.Checkpoint(SentAtCheckpoint)) is not { } sentAt)
        {
            return ReconcileResult.NotFound;
        }

        var stories = await GetAsync(Graph($"{request.Account.ExternalId}/stories", ("fields", "post_id,media_id,media_type,status,creation_time,url")), token, request.Limits, cancellationToken);
        var match = (stories["data"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => Text(s["media_id"]) == mediaId);
        if (match is not null && Text(match["post_id"]) is { } found)
        {
            var at = FromUnixSeconds(Text(match["creation_time"])) ?? ParseTime(match["creation_time"]) ?? sentAt;
            return ReconcileResult.Found(PublishOutcome.Success(found, Text(match["url"]) ?? StoryPermalink(found), at));
        }

        if (stories["paging"]?["next"] is not null)
        {
            return ReconcileResult.Unknown("Facebook: the Page has more stories than one page; none of these is this story's media.");
        }

        var isVideo = request.Content.Media.Any(m => m.Type == MediaType.Video);
        return isVideo && Time.GetUtcNow() < sentAt + Options.ProcessingTimeout
            ? ReconcileResult.Unknown("Facebook: a video story may be listed only once processed; not found yet.")
            : ReconcileResult.NotFound;
    }
}
