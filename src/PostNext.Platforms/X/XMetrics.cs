using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.X;

/// <summary>
/// Post metrics from <c>GET /2/tweets/{id}</c> (public_metrics, plus the video's view_count through the media expansion);
/// account metrics from <c>GET /2/users/me?user.fields=public_metrics</c>. Only public metrics are read: they are
/// available for every post age (non_public_metrics stop at 30 days) and carry impression_count already.
/// </summary>
public sealed partial class XConnector
{
    public override Task<MetricsResult<PostMetrics>> ReadPostMetricsAsync(PostMetricsRequest request, CancellationToken cancellationToken) =>
        ReadMetricsAsync(async () =>
        {
            var json = await GetAsync(
                $"2/tweets/{Uri.EscapeDataString(request.ExternalId)}?tweet.fields=public_metrics&expansions=attachments.media_keys&media.fields=public_metrics",
                request.Account, cancellationToken);
            var metrics = json?["data"]?["public_metrics"] ?? throw NotFound(json, request.ExternalId);
            var views = (json!["includes"]?["media"] as JsonArray ?? [])
                .Select(m => Number(m?["public_metrics"]?["view_count"]))
                .Where(v => v is not null)
                .ToList();
            return new PostMetrics(
                Likes: Number(metrics["like_count"]) ?? 0,
                Comments: Number(metrics["reply_count"]) ?? 0,
                Shares: (Number(metrics["retweet_count"]) ?? 0) + (Number(metrics["quote_count"]) ?? 0),
                Impressions: Number(metrics["impression_count"]),
                Views: views.Count == 0 ? null : views.Sum(),
                Saves: Number(metrics["bookmark_count"]),
                ReadAt: Time.GetUtcNow());
        });

    public override Task<MetricsResult<AccountMetrics>> ReadAccountMetricsAsync(PublishingIdentity account, CancellationToken cancellationToken) =>
        ReadMetricsAsync(async () =>
        {
            var json = await GetAsync("2/users/me?user.fields=public_metrics", account, cancellationToken);
            var metrics = json?["data"]?["public_metrics"] ?? throw NotFound(json, account.ExternalId);
            return new AccountMetrics(
                Followers: Number(metrics["followers_count"]) ?? 0,
                Following: Number(metrics["following_count"]),
                Posts: Number(metrics["tweet_count"]),
                ReadAt: Time.GetUtcNow());
        });

    /// <summary>X answers 200 with only <c>errors</c> (resource-not-found) for a deleted or unknown post.</summary>
    private static PlatformException NotFound(JsonNode? json, string id) => new(new PlatformError(
        ErrorCategory.InvalidContent,
        $"X has no such resource {id}: {json?["errors"]?[0]?["detail"]?.ToString() ?? "no data in the answer"}",
        null, 200, json?["errors"]?[0]?["type"]?.ToString()));
}
