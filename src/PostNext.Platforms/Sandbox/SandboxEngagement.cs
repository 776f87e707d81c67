using System.Security.Cryptography;
using System.Text;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;

namespace PostNext.Platforms.Sandbox;

/// <summary>
/// Realistic engagement for sandbox accounts, deterministic per account and post: a follower count, an hour-of-week
/// audience activity profile, reach that builds and decays after posting, and visual posts beating text on average.
/// </summary>
public sealed class SandboxEngagement
{
    /// <summary>Followers: stable per account, between 1,000 and 50,000.</summary>
    public AccountMetrics AccountAt(PublishingIdentity account, DateTimeOffset now) =>
        new(Followers(account.AccountId), 100 + Seed(account.AccountId, "following") % 900, null, now);

    public PostMetrics PostAt(PostMetricsRequest request, DateTimeOffset now)
    {
        var followers = Followers(request.Account.AccountId);
        var hours = Math.Max(0, (now - request.PublishedAt).TotalHours);
        var activity = Activity(request.Account.AccountId, request.PublishedAt);
        var format = request.Content.Media.Any(m => m.Type == MediaType.Video) ? 1.6 : request.Content.Media.Count > 0 ? 1.3 : 1.0;
        var noise = 0.9 + (Seed(request.ExternalId, "noise") % 200) / 1000.0;

        // Reach builds quickly and saturates: most of it in the first hours, little after a day.
        var reach = followers * 0.35 * activity * format * noise * (1 - Math.Exp(-hours / 3.0));
        var likes = (long)(reach * 0.06);
        return new PostMetrics(
            likes,
            Comments: (long)(likes * 0.12),
            Shares: (long)(likes * 0.05),
            Impressions: (long)(reach * 1.4),
            Views: request.Content.Media.Any(m => m.Type == MediaType.Video) ? (long)(reach * 1.1) : null,
            Saves: (long)(likes * 0.08),
            ReadAt: now);
    }

    /// <summary>Audience activity at a moment: a per-account daily peak hour, busier on weekdays, between 0.2 and 1.</summary>
    public static double Activity(string accountId, DateTimeOffset at)
    {
        var peakHour = (int)(Seed(accountId, "peak") % 24);
        var hour = at.UtcDateTime.Hour;
        var distance = Math.Min(Math.Abs(hour - peakHour), 24 - Math.Abs(hour - peakHour));
        var daily = Math.Exp(-(distance * distance) / 8.0);
        var weekday = at.UtcDateTime.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.7 : 1.0;
        return 0.2 + 0.8 * daily * weekday;
    }

    private static long Followers(string accountId) => 1_000 + Seed(accountId, "followers") % 49_000;

    private static long Seed(string value, string purpose) =>
        (long)(BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(purpose + ":" + value)), 0) % long.MaxValue);
}
