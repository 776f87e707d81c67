using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.YouTube;

/// <summary>Statistics reads: a video's (<c>videos.list part=statistics</c>) and the channel's (<c>channels.list part=statistics</c>).</summary>
public sealed partial class YouTubeConnector
{
    /// <summary>Views, likes and comments; YouTube reports no shares, impressions or saves here (likes may be hidden: 0).</summary>
    private async Task<PostMetrics> ReadVideoMetricsAsync(PostMetricsRequest request, CancellationToken cancellationToken)
    {
        var json = await GetAsync(Api($"videos?part=statistics&id={Uri.EscapeDataString(request.ExternalId)}"), request.Account.AccessToken, cancellationToken);
        var statistics = json["items"]?[0]?["statistics"]
                         ?? throw new PlatformException(new PlatformError(ErrorCategory.InvalidContent, $"YouTube does not know video {request.ExternalId} (deleted?)."));
        return new PostMetrics(Count(statistics, "likeCount"), Count(statistics, "commentCount"), 0, null, Count(statistics, "viewCount"), null, Time.GetUtcNow());
    }

    /// <summary>Subscribers and the number of videos of the token's channel.</summary>
    private async Task<AccountMetrics> ReadChannelMetricsAsync(PublishingIdentity account, CancellationToken cancellationToken)
    {
        var json = await GetAsync(Api("channels?part=statistics&mine=true"), account.AccessToken, cancellationToken);
        var statistics = json["items"]?[0]?["statistics"]
                         ?? throw new PlatformException(new PlatformError(ErrorCategory.Auth, "The token's Google account has no YouTube channel."));
        return new AccountMetrics(Count(statistics, "subscriberCount"), null, Count(statistics, "videoCount"), Time.GetUtcNow());
    }

    /// <summary>YouTube sends counts as strings ("viewCount": "1234").</summary>
    private static long Count(JsonNode statistics, string field) => long.TryParse(statistics[field]?.ToString(), out var value) ? value : 0;
}
