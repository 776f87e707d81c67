using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.LinkedIn;

/// <summary>
/// Metrics, by author kind. A member's post: <c>memberCreatorPostAnalytics</c> (q=entity, aggregation=TOTAL, one call per
/// IMPRESSION / REACTION / COMMENT / RESHARE; scope r_member_postAnalytics) — chosen over <c>socialActions</c>, which needs
/// the restricted r_member_social for members and has no impressions. An organization's post:
/// <c>organizationalEntityShareStatistics</c> (lifetime totals; rw_organization_admin). Followers: <c>memberFollowersCount?q=me</c> for a member
/// (r_member_profileAnalytics); for an organization <c>networkSizes</c> (COMPANY_FOLLOWED_BY_MEMBER: the members who follow the
/// page), the total that the follower-statistics facets do not give. The member analytics scopes come with the Community
/// Management API only: without them LinkedIn answers 403 and the metrics are reported as not available (nothing is retried).
/// </summary>
public sealed partial class LinkedInConnector
{
    private static readonly string[] MemberQueries = ["IMPRESSION", "REACTION", "COMMENT", "RESHARE"];

    public override Task<MetricsResult<PostMetrics>> ReadPostMetricsAsync(PostMetricsRequest request, CancellationToken cancellationToken) =>
        ReadMetricsAsync(() => IsOrganization(request.Account.ExternalId)
            ? WithoutAnalyticsScope(() => OrganizationPostAsync(request, cancellationToken), "rw_organization_admin", "organization post statistics")
            : WithoutAnalyticsScope(() => MemberPostAsync(request, cancellationToken), "r_member_postAnalytics", "post metrics"));

    public override Task<MetricsResult<AccountMetrics>> ReadAccountMetricsAsync(PublishingIdentity account, CancellationToken cancellationToken) =>
        ReadMetricsAsync(async () =>
        {
            long? followers;
            if (IsOrganization(account.ExternalId))
            {
                var size = await WithoutAnalyticsScope(() => SendRestAsync(
                    Rest(HttpMethod.Get, $"rest/networkSizes/{Encoded(account.ExternalId)}?edgeType=COMPANY_FOLLOWED_BY_MEMBER"), account, cancellationToken),
                    "rw_organization_admin", "organization follower count");
                followers = Number(size?["firstDegreeSize"]);
            }
            else
            {
                var count = await WithoutAnalyticsScope(
                    () => SendRestAsync(Rest(HttpMethod.Get, "rest/memberFollowersCount?q=me", finder: true), account, cancellationToken),
                    "r_member_profileAnalytics", "follower count");
                followers = Number(count?["elements"]?[0]?["memberFollowersCount"]);
            }

            return new AccountMetrics(followers ?? throw Missing("follower count"), null, null, Time.GetUtcNow());
        });

    private async Task<PostMetrics> MemberPostAsync(PostMetricsRequest request, CancellationToken cancellationToken)
    {
        var entity = $"({(request.ExternalId.StartsWith("urn:li:ugcPost:", StringComparison.Ordinal) ? "ugc" : "share")}:{Encoded(request.ExternalId)})";
        var counts = new Dictionary<string, long>();
        foreach (var query in MemberQueries)
        {
            var json = await SendRestAsync(
                Rest(HttpMethod.Get, $"rest/memberCreatorPostAnalytics?q=entity&entity={entity}&queryType={query}&aggregation=TOTAL", finder: true),
                request.Account, cancellationToken);
            counts[query] = Number(json?["elements"]?[0]?["count"]) ?? 0; // No element: nothing counted yet.
        }

        return new PostMetrics(counts["REACTION"], counts["COMMENT"], counts["RESHARE"], counts["IMPRESSION"], null, null, Time.GetUtcNow());
    }

    private async Task<PostMetrics> OrganizationPostAsync(PostMetricsRequest request, CancellationToken cancellationToken)
    {
        var list = request.ExternalId.StartsWith("urn:li:ugcPost:", StringComparison.Ordinal) ? "ugcPosts" : "shares";
        var json = await SendRestAsync(Rest(HttpMethod.Get,
            $"rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={Encoded(request.Account.ExternalId)}&{list}=List({Encoded(request.ExternalId)})",
            finder: true), request.Account, cancellationToken);
        var totals = json?["elements"]?[0]?["totalShareStatistics"] ?? throw Missing("share statistics");
        return new PostMetrics(
            Likes: Number(totals["likeCount"]) ?? 0,
            Comments: Number(totals["commentCount"]) ?? 0,
            Shares: Number(totals["shareCount"]) ?? 0,
            Impressions: Number(totals["impressionCount"]),
            Views: null,
            Saves: null,
            ReadAt: Time.GetUtcNow());
    }

    /// <summary>
    /// An analytics read; LinkedIn's 403 "Not enough permissions to access: …" (the app lacks the Community Management
    /// scope, as opposed to a post that is not the author's) becomes "not available",
    /// which the metrics tracking takes as final instead of asking again every time.
    /// </summary>
    private static async Task<T> WithoutAnalyticsScope<T>(Func<Task<T>> read, string scope, string what)
    {
        try
        {
            return await read();
        }
        catch (PlatformException ex) when (ex.Error.HttpStatus == 403 && ex.Error.Message.Contains("Not enough permissions to access", StringComparison.Ordinal))
        {
            throw new NotSupportedException(
                $"LinkedIn's {what} need the {scope} scope (Community Management API), which this app was not granted: {ex.Error.Message}", ex);
        }
    }

    private static bool IsOrganization(string urn) =>
        urn.StartsWith("urn:li:organization:", StringComparison.Ordinal) || urn.StartsWith("urn:li:organizationBrand:", StringComparison.Ordinal);

    private static PlatformException Missing(string what) =>
        new(new PlatformError(ErrorCategory.InvalidContent, $"LinkedIn's answer carried no {what}."));
}
