using System.Text.Json.Nodes;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.Facebook;

/// <summary>
/// Post counts (<c>shares</c>, <c>comments.summary</c>, <c>reactions.summary</c>), impressions from post insights
/// (<c>post_media_view</c>, which replaced the retired <c>post_impressions</c>; <c>post_total_media_view_unique</c> is reach,
/// unique viewers, and is not impressions), video views from <c>video_insights</c> (a reel's plays), and the Page's
/// followers. Page stories have no insights: their metrics are not available.
/// </summary>
public sealed partial class FacebookConnector
{
    private const string CountFields = "comments.summary(true).limit(0),reactions.summary(true).limit(0)";

    public override Task<MetricsResult<PostMetrics>> ReadPostMetricsAsync(PostMetricsRequest request, CancellationToken cancellationToken) =>
        request.Content.Options?.Facebook?.Type == PostTypes.Story
            ? Task.FromResult(MetricsResult<PostMetrics>.Failed(new PlatformError(ErrorCategory.InvalidContent,
                "Facebook: Page stories have no insights in the Graph API, so their metrics are not available.")))
            : ReadMetricsAsync(async () =>
        {
            var token = RequireToken(request.Account);
            var id = request.ExternalId;

            // Feed posts are "{page}_{post}"; a bare id is a video, which has no shares field and no insights edge.
            var isPost = id.Contains('_', StringComparison.Ordinal);
            var counts = await GetAsync(Graph(id, ("fields", isPost ? "shares," + CountFields : CountFields)), token, null, cancellationToken);
            var impressions = isPost ? await InsightAsync(Graph($"{id}/insights", ("metric", "post_media_view")), token, cancellationToken) : null;
            // A reel's plays are fb_reels_total_plays in its video insights ("Introducing Reels Metrics API", Meta blog 2022-12-15).
            var viewsMetric = request.Content.Options?.Facebook?.Type == PostTypes.Reel ? "fb_reels_total_plays" : "total_video_views";
            var views = isPost ? null : await InsightAsync(Graph($"{id}/video_insights", ("metric", viewsMetric)), token, cancellationToken);
            return new PostMetrics(
                Likes: Count(counts["reactions"]?["summary"]?["total_count"]),
                Comments: Count(counts["comments"]?["summary"]?["total_count"]),
                Shares: Count(counts["shares"]?["count"]),
                Impressions: impressions,
                Views: views,
                Saves: null,
                ReadAt: Time.GetUtcNow());
        });

    public override Task<MetricsResult<AccountMetrics>> ReadAccountMetricsAsync(PublishingIdentity account, CancellationToken cancellationToken) =>
        ReadMetricsAsync(async () =>
        {
            var page = await GetAsync(Graph(account.ExternalId, ("fields", "followers_count,fan_count")), RequireToken(account), null, cancellationToken);
            return new AccountMetrics(OptionalCount(page["followers_count"]) ?? Count(page["fan_count"]), null, null, Time.GetUtcNow());
        });

    /// <summary>
    /// One insights value, or null when insights are unavailable (no read_insights, too new, deprecated metric): the counts
    /// still stand. Throttling is not swallowed.
    /// </summary>
    private async Task<long?> InsightAsync(Uri url, Secret token, CancellationToken cancellationToken)
    {
        try
        {
            var insights = await GetAsync(url, token, null, cancellationToken);
            var metric = (insights["data"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault();
            return OptionalCount((metric?["values"] as JsonArray)?.FirstOrDefault()?["value"]);
        }
        catch (PlatformException ex) when (ex.Error.Category != ErrorCategory.RateLimited)
        {
            return null;
        }
    }
}
