using System.Text.Json;
using System.Text.Json.Nodes;
using PostNext.Abstractions;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.Facebook;

/// <summary>
/// Reconciliation: the created post or video from the checkpoints, else the Page's posts (or videos) since the create
/// was sent, matched on their text; nothing sent means certainly not found. Reels ask about their checkpointed video
/// and stories look for their checkpointed media among the Page's stories.
/// </summary>
public sealed partial class FacebookConnector
{
    /// <summary>
    /// From the checkpoints: the created post or video (a video whose processing failed was never published), else —
    /// when the create was sent — the Page's posts (or videos) since then with the same text; when it was never sent,
    /// certainly not found.
    /// </summary>
    public override async Task<ReconcileResult> FindPublicationAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        return await ReconcileAsync("Facebook's posts", async () =>
        {
            var token = RequireToken(request.Account);
            if (await FromCheckpointsAsync(request, token, cancellationToken) is { } known)
            {
                return known;
            }

            return FromUnixSeconds(request.Checkpoint(SentAtCheckpoint)) is { } sentAt
                ? await SearchPageAsync(request, sentAt, token, cancellationToken)
                : ReconcileResult.NotFound;
        });
    }

    private async Task<ReconcileResult?> FromCheckpointsAsync(PublishRequest request, Secret token, CancellationToken cancellationToken)
    {
        switch (request.Options.Facebook?.Type)
        {
            case PostTypes.Reel when request.Checkpoint(ReelCheckpoint) is { } reel:
                return await ReelFromCheckpointAsync(request, reel, token, cancellationToken);
            case PostTypes.Story:
                return await StoryFromCheckpointsAsync(request, token, cancellationToken);
        }

        if (request.Checkpoint(PostCheckpoint) is { } postId)
        {
            return ReconcileResult.Found(await DescribePostAsync(postId, token, request.Limits, cancellationToken));
        }

        if (request.Checkpoint(VideoCheckpoint) is { } videoId)
        {
            var video = await VideoStateAsync(videoId, token, request.Limits, cancellationToken);
            return video.Failed
                ? ReconcileResult.NotFound
                : ReconcileResult.Found(PublishOutcome.Success(
                    videoId, video.Permalink ?? VideoPermalink(request.Account.ExternalId, videoId), video.CreatedAt ?? Time.GetUtcNow()));
        }

        return null;
    }

    /// <summary>A post known to exist, with its permalink and time when Facebook tells them (they are cosmetic).</summary>
    private async Task<PublishOutcome> DescribePostAsync(string postId, Secret token, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        try
        {
            var post = await GetAsync(Graph(postId, ("fields", "id,permalink_url,created_time")), token, limits, cancellationToken);
            return PublishOutcome.Success(postId, Text(post["permalink_url"]) ?? PostPermalink(postId), ParseTime(post["created_time"]) ?? Time.GetUtcNow());
        }
        catch (Exception ex) when (ex is PlatformException or HttpRequestException or TaskCanceledException or JsonException)
        {
            return PublishOutcome.Success(postId, PostPermalink(postId), Time.GetUtcNow());
        }
    }

    /// <summary>The Page's posts (or videos) created since the attempt, matched on their text.</summary>
    private async Task<ReconcileResult> SearchPageAsync(PublishRequest request, DateTimeOffset sentAt, Secret token, CancellationToken cancellationToken)
    {
        var pageId = request.Account.ExternalId;
        var since = sentAt - TimeSpan.FromMinutes(2);
        var isVideo = request.Content.Media.Any(m => m.Type == MediaType.Video);
        var (edge, textField) = isVideo ? ("videos", "description") : ("posts", "message");
        var page = await GetAsync(Graph($"{pageId}/{edge}",
            ("fields", $"id,{textField},created_time,permalink_url"), ("since", UnixSeconds(since)), ("limit", "100")), token, null, cancellationToken);
        var text = request.Content.Text.Trim();
        var match = (page["data"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(p => (Post: p, At: ParseTime(p["created_time"])))
            .Where(p => p.At >= since && (Text(p.Post[textField]) ?? "").Trim() == text)
            .OrderBy(p => p.At)
            .FirstOrDefault();
        if (match.Post is { } found && Text(found["id"]) is { } id)
        {
            var permalink = Absolute(Text(found["permalink_url"])) ?? (isVideo ? VideoPermalink(pageId, id) : PostPermalink(id));
            return ReconcileResult.Found(PublishOutcome.Success(id, permalink, match.At ?? sentAt));
        }

        if (page["paging"]?["next"] is not null)
        {
            return ReconcileResult.Unknown("Facebook: more posts than one page were created since the attempt; none of these matches.");
        }

        return isVideo && Time.GetUtcNow() < sentAt + Options.ProcessingTimeout
            ? ReconcileResult.Unknown("Facebook: a video may be listed only once processed; not found yet.")
            : ReconcileResult.NotFound;
    }
}
