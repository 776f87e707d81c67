using System.Security.Cryptography;
using System.Text;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Scheduling;

namespace PostNext.Platforms.Sandbox;

/// <summary>
/// Realistic engagement for sandbox accounts, deterministic per account and post: a follower count, an hour-of-week
/// audience activity profile with a weekly peak, reach that builds quickly and then decays (most of it in the first
/// hours), visual posts beating text on average, and hashtags that each help or hurt a little. Unset parts of the
/// account's <see cref="SandboxBehaviour"/> are derived from the account id.
/// </summary>
public sealed class SandboxEngagement
{
    /// <summary>Reach builds with this time constant: 28 % of it in the first hour, 95 % after 9 hours.</summary>
    public static readonly TimeSpan BuildUp = TimeSpan.FromHours(3);

    public AccountMetrics AccountAt(PublishingIdentity account, DateTimeOffset now) =>
        new(Followers(account), 100 + Seed(account.AccountId, "following") % 900, null, now);

    public PostMetrics PostAt(PostMetricsRequest request, DateTimeOffset now)
    {
        var followers = Followers(request.Account);
        var hours = Math.Max(0, (now - request.PublishedAt).TotalHours);
        var activity = Activity(request.Account, request.PublishedAt);
        var kind = PostTraits.KindOf(request.Content);
        var noise = 0.9 + (Seed(request.ExternalId, "noise") % 200) / 1000.0;

        var reach = followers * 0.4 * activity * Format(kind) * HashtagEffect(request.Content.Text) * noise
                    * (1 - Math.Exp(-hours / BuildUp.TotalHours));
        var likes = (long)(reach * 0.075);
        return new PostMetrics(
            likes,
            Comments: (long)(likes * 0.12),
            Shares: (long)(likes * 0.05),
            Impressions: (long)(reach * 1.4),
            Views: kind == ContentKind.Video ? (long)(reach * 1.1) : null,
            Saves: (long)(likes * 0.08),
            ReadAt: now);
    }

    /// <summary>
    /// Audience activity when a post goes out, between 0.15 and 1: highest at the weekly peak (day and hour in the
    /// account's zone), falling off by hour of day and, less steeply, by day of week.
    /// </summary>
    public static double Activity(PublishingIdentity account, DateTimeOffset at)
    {
        var behaviour = account.Sandbox;
        var zone = LocalTimes.FindZone(behaviour?.TimeZone) ?? TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var peakHour = behaviour?.PeakHour ?? (int)(Seed(account.AccountId, "peak") % 24);
        var peakDay = behaviour?.PeakDay ?? (DayOfWeek)(Seed(account.AccountId, "peak-day") % 7);

        var hourDistance = Circular(local.Hour + local.Minute / 60.0, peakHour, 24);
        var dayDistance = Circular((int)local.DayOfWeek, (int)peakDay, 7);
        var hourly = Math.Exp(-(hourDistance * hourDistance) / 8.0);
        var daily = 0.55 + 0.45 * Math.Exp(-(dayDistance * dayDistance) / 2.0);
        return 0.15 + 0.85 * hourly * daily;
    }

    /// <summary>Visual posts reach further on average.</summary>
    public static double Format(ContentKind kind) => kind switch
    {
        ContentKind.Video => 1.6,
        ContentKind.Carousel => 1.45,
        ContentKind.Image => 1.3,
        _ => 1.0,
    };

    /// <summary>Each hashtag has its own pull between 0.85 and 1.25; a post gets their average (1 without hashtags).</summary>
    public static double HashtagEffect(string? text)
    {
        var tags = PostTraits.HashtagsIn(text);
        return tags.Count == 0 ? 1.0 : tags.Average(t => 0.85 + (Seed(t, "hashtag") % 401) / 1000.0);
    }

    /// <summary>Followers: the configured count, else stable per account between 1,000 and 50,000.</summary>
    public static long Followers(PublishingIdentity account) =>
        account.Sandbox?.Followers ?? 1_000 + Seed(account.AccountId, "followers") % 49_000;

    private static double Circular(double value, double peak, double period)
    {
        var distance = Math.Abs(value - peak) % period;
        return Math.Min(distance, period - distance);
    }

    private static long Seed(string value, string purpose) =>
        (long)(BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(purpose + ":" + value)), 0) % long.MaxValue);
}
