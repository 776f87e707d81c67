using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.Instagram;

/// <summary>
/// Media insights (<c>views, reach, likes, comments, shares, saved</c>; impressions and plays are gone since v22.0) with
/// the plain counts as a fallback, and the account's <c>followers_count</c>. <c>views</c> replaced impressions (every
/// time the media was shown), so it is stored as impressions; <c>reach</c> counts unique accounts and is not.
/// </summary>
public sealed partial class InstagramConnector
{
    private const string MediaMetrics = "views,reach,likes,comments,shares,saved";

    public override Task<MetricsResult<PostMetrics>> ReadPostMetricsAsync(PostMetricsRequest request, CancellationToken cancellationToken) =>
        ReadMetricsAsync(async () =>
        {
            var token = RequireToken(request.Account);
            try
            {
                var insights = await GetAsync(Graph($"{request.ExternalId}/insights", ("metric", MediaMetrics)), token, null, cancellationToken);
                var values = (insights["data"] as JsonArray ?? []).OfType<JsonObject>()
                    .Where(m => Text(m["name"]) is not null)
                    .ToDictionary(m => Text(m["name"])!, m => OptionalCount((m["values"] as JsonArray)?.FirstOrDefault()?["value"]) ?? OptionalCount(m["total_value"]?["value"]));
                return new PostMetrics(
                    Likes: values.GetValueOrDefault("likes") ?? 0,
                    Comments: values.GetValueOrDefault("comments") ?? 0,
                    Shares: values.GetValueOrDefault("shares") ?? 0,
                    Impressions: values.GetValueOrDefault("views"),
                    Views: values.GetValueOrDefault("views"),
                    Saves: values.GetValueOrDefault("saved"),
                    ReadAt: Time.GetUtcNow());
            }
            catch (PlatformException ex) when (ex.Error.Category is ErrorCategory.InvalidContent or ErrorCategory.Auth)
            {
                // Insights refused for this media (too old, a story, too few viewers — code 10 —, no insights permission):
                // the public counts still stand. A dead token fails this read as well, as auth.
                var media = await GetAsync(Graph(request.ExternalId, ("fields", "like_count,comments_count")), token, null, cancellationToken);
                return new PostMetrics(Count(media["like_count"]), Count(media["comments_count"]), 0, null, null, null, Time.GetUtcNow());
            }
        });

    public override Task<MetricsResult<AccountMetrics>> ReadAccountMetricsAsync(PublishingIdentity account, CancellationToken cancellationToken) =>
        ReadMetricsAsync(async () =>
        {
            var user = await GetAsync(Graph(account.ExternalId, ("fields", "followers_count,follows_count,media_count")), RequireToken(account), null, cancellationToken);
            return new AccountMetrics(Count(user["followers_count"]), OptionalCount(user["follows_count"]), OptionalCount(user["media_count"]), Time.GetUtcNow());
        });
}
