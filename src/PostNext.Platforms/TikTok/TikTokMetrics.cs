using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.TikTok;

/// <summary>Display API reads: a video's counts (<c>/v2/video/query/</c>) and the creator's audience (<c>/v2/user/info/</c>).</summary>
public sealed partial class TikTokConnector
{
    /// <summary>
    /// Likes, comments, shares and views of the post. A post reported by its publish_id (published before TikTok gave a
    /// public id) is first mapped to its video id through the status; a post that still has none (private, or in
    /// moderation) has no readable metrics yet. TikTok reports no impressions or saves here.
    /// </summary>
    private async Task<PostMetrics> ReadVideoMetricsAsync(PostMetricsRequest request, CancellationToken cancellationToken)
    {
        var videoId = request.ExternalId;
        if (!videoId.All(char.IsAsciiDigit))
        {
            var status = await FetchStatusAsync(request.Account, videoId, null, cancellationToken);
            videoId = status.PostIds.FirstOrDefault() ?? throw new PlatformException(new PlatformError(ErrorCategory.Transient,
                $"TikTok has given no public id for {request.ExternalId} ({status.State}): a private or unmoderated post has no metrics."));
        }

        var json = await CallAsync(HttpMethod.Post, Api("v2/video/query/?fields=id,like_count,comment_count,share_count,view_count"), request.Account.AccessToken,
            Json(new JsonObject { ["filters"] = new JsonObject { ["video_ids"] = new JsonArray(videoId) } }), null, cancellationToken);
        var video = (json["data"]?["videos"] as JsonArray ?? []).FirstOrDefault(v => v?["id"]?.ToString() == videoId)
                    ?? throw new PlatformException(new PlatformError(ErrorCategory.InvalidContent, $"TikTok does not know video {videoId} (deleted?)."));
        return new PostMetrics(Count(video, "like_count"), Count(video, "comment_count"), Count(video, "share_count"), null, Count(video, "view_count"), null, Time.GetUtcNow());
    }

    /// <summary>Followers, following and the number of videos (scope user.info.stats).</summary>
    private async Task<AccountMetrics> ReadUserMetricsAsync(PublishingIdentity account, CancellationToken cancellationToken)
    {
        var json = await CallAsync(HttpMethod.Get, Api("v2/user/info/?fields=open_id,follower_count,following_count,likes_count,video_count"), account.AccessToken, null, null, cancellationToken);
        var user = json["data"]?["user"];
        return new AccountMetrics(Count(user, "follower_count"), Count(user, "following_count"), Count(user, "video_count"), Time.GetUtcNow());
    }

    private static long Count(JsonNode? node, string field) => long.TryParse(node?[field]?.ToString(), out var value) ? value : 0;
}
