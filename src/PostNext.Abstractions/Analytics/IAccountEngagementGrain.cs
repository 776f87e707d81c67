using PostNext.Abstractions.Accounts;

namespace PostNext.Abstractions.Analytics;

/// <summary>
/// An account's engagement aggregate: the latest figures of its recent posts, a daily series, its audience, and the
/// answers built on them (engagement rate and health, first-hour velocity, heatmap, best times, top posts, content
/// kinds, hashtags). Reads the audience daily on its own reminder. Key: the account id.
/// </summary>
[Alias("PostNext.IAccountEngagementGrain")]
public interface IAccountEngagementGrain : IGrainWithStringKey
{
    /// <summary>Records a post's latest reading (or, with no metrics, that it was just published).</summary>
    [Alias("RecordPost")]
    Task RecordPostAsync(PostReading reading);

    /// <summary>Records an audience reading (followers); the daily reminder calls the platform and lands here too.</summary>
    [Alias("RecordAudience")]
    Task RecordAudienceAsync(AccountMetrics metrics);

    /// <summary>Reads the account's audience from the platform now, keeps the snapshot and records it.</summary>
    [Alias("CollectAudience")]
    Task<AccountMetrics?> CollectAudienceAsync();

    /// <summary>The raw figures in [from, to): posts published in it, the daily series, the audience (for workspace roll-ups).</summary>
    [Alias("GetFacts")]
    Task<EngagementFacts> GetFactsAsync(DateTimeOffset from, DateTimeOffset to);

    /// <summary>The account's analytics for [from, to).</summary>
    [Alias("GetReport")]
    Task<EngagementReport> GetReportAsync(DateTimeOffset from, DateTimeOffset to);

    /// <summary>Hour-of-week slots ranked from the last weeks' posts, or the platform's defaults when history is thin.</summary>
    [Alias("GetBestTimes")]
    Task<BestTimes> GetBestTimesAsync();

    /// <summary>
    /// Takes the best free slot in [from, to): best-time slots first, then any hour start, at least the minimum gap
    /// away from the account's pending publications and from slots handed out moments ago; null when none is free.
    /// </summary>
    [Alias("ReserveBestTime")]
    Task<DateTimeOffset?> ReserveBestTimeAsync(DateTimeOffset from, DateTimeOffset to);
}

/// <summary>What a post is, as far as comparisons go: text only, one image, one video, or a carousel (2+ media).</summary>
[GenerateSerializer, Alias("PostNext.ContentKind")]
public enum ContentKind
{
    Text = 0,
    Image = 1,
    Video = 2,
    Carousel = 3,
}

/// <summary>A post's latest reading as the collector reports it; <see cref="Metrics"/> is null right after publishing.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostReading")]
public sealed record PostReading(
    [property: Id(0)] string PostId,
    [property: Id(1)] DateTimeOffset PublishedAt,
    [property: Id(2)] ContentKind Kind,
    [property: Id(3)] IReadOnlyList<string> Hashtags,
    [property: Id(4)] PostMetrics? Metrics,
    [property: Id(5)] double? FirstHourLikesPerMinute);

/// <summary>One post's latest figures and the rates computed from them (rates in percent).</summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostEngagement")]
public sealed record PostEngagement(
    [property: Id(0)] string PostId,
    [property: Id(1)] string AccountId,
    [property: Id(2)] string Platform,
    [property: Id(3)] DateTimeOffset PublishedAt,
    [property: Id(4)] ContentKind Kind,
    [property: Id(5)] IReadOnlyList<string> Hashtags,
    [property: Id(6)] long Likes,
    [property: Id(7)] long Comments,
    [property: Id(8)] long Shares,
    [property: Id(9)] long? Saves,
    [property: Id(10)] long? Impressions,
    [property: Id(11)] long? Views,
    [property: Id(12)] long? Followers,
    [property: Id(13)] double? FirstHourLikesPerMinute,
    [property: Id(14)] DateTimeOffset? LastReadAt)
{
    /// <summary>Likes + comments + shares + saves.</summary>
    public long Interactions => Likes + Comments + Shares + (Saves ?? 0);

    /// <summary>Interactions ÷ followers × 100, when followers are known.</summary>
    public double? RateByFollowers => Followers is > 0 ? Interactions * 100.0 / Followers.Value : null;

    /// <summary>Interactions ÷ impressions × 100, when the platform reports impressions.</summary>
    public double? RateByImpressions => Impressions is > 0 ? Interactions * 100.0 / Impressions.Value : null;
}

/// <summary>Engagement gained on one local day (differences between readings), posts published that day, and the day's last follower count.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.DailyEngagement")]
public sealed record DailyEngagement(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] long Likes,
    [property: Id(2)] long Comments,
    [property: Id(3)] long Shares,
    [property: Id(4)] long Saves,
    [property: Id(5)] long Impressions,
    [property: Id(6)] long Views,
    [property: Id(7)] int PostsPublished,
    [property: Id(8)] long? Followers)
{
    public long Interactions => Likes + Comments + Shares + Saves;
}

/// <summary>An account's raw figures for a range: what reports and workspace roll-ups are computed from.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.EngagementFacts")]
public sealed record EngagementFacts(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string Platform,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] long? Followers,
    [property: Id(4)] long? FollowersAtStart,
    [property: Id(5)] IReadOnlyList<PostEngagement> Posts,
    [property: Id(6)] IReadOnlyList<DailyEngagement> Daily);

[GenerateSerializer, Immutable, Alias("PostNext.EngagementTotals")]
public sealed record EngagementTotals(
    [property: Id(0)] long Likes,
    [property: Id(1)] long Comments,
    [property: Id(2)] long Shares,
    [property: Id(3)] long Saves,
    [property: Id(4)] long Impressions,
    [property: Id(5)] long Views,
    [property: Id(6)] long Interactions);

/// <summary>Average engagement rates (percent) over a range's posts.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.EngagementRates")]
public sealed record EngagementRates(
    [property: Id(0)] double? ByFollowers,
    [property: Id(1)] double? ByImpressions);

[GenerateSerializer, Alias("PostNext.HealthLevel")]
public enum HealthLevel
{
    Below = 0,
    Healthy = 1,
    Above = 2,
}

/// <summary>The healthy engagement-rate range (percent) for an account of this size, and where the account stands.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.HealthBand")]
public sealed record HealthBand(
    [property: Id(0)] long Followers,
    [property: Id(1)] double HealthyLow,
    [property: Id(2)] double HealthyHigh,
    [property: Id(3)] HealthLevel Level);

/// <summary>One hour of the week (local time): posts published in it and their average score.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.HeatmapCell")]
public sealed record HeatmapCell(
    [property: Id(0)] DayOfWeek Day,
    [property: Id(1)] int Hour,
    [property: Id(2)] int Posts,
    [property: Id(3)] double? AverageScore);

[GenerateSerializer, Immutable, Alias("PostNext.ContentKindPerformance")]
public sealed record ContentKindPerformance(
    [property: Id(0)] ContentKind Kind,
    [property: Id(1)] int Posts,
    [property: Id(2)] double AverageInteractions,
    [property: Id(3)] double? AverageRate);

[GenerateSerializer, Immutable, Alias("PostNext.HashtagPerformance")]
public sealed record HashtagPerformance(
    [property: Id(0)] string Hashtag,
    [property: Id(1)] int Uses,
    [property: Id(2)] double AverageInteractions,
    [property: Id(3)] double? AverageRate);

/// <summary>One account's line in a workspace roll-up.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.AccountEngagementSummary")]
public sealed record AccountEngagementSummary(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string Platform,
    [property: Id(2)] long? Followers,
    [property: Id(3)] int PostsPublished,
    [property: Id(4)] long Interactions,
    [property: Id(5)] EngagementRates Rates,
    [property: Id(6)] HealthBand? Health);

/// <summary>Analytics for a range, for one account or a whole workspace (then <see cref="Accounts"/> lists each account).</summary>
[GenerateSerializer, Immutable, Alias("PostNext.EngagementReport")]
public sealed record EngagementReport(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] long? Followers,
    [property: Id(4)] long? FollowersChange,
    [property: Id(5)] int PostsPublished,
    [property: Id(6)] EngagementTotals Totals,
    [property: Id(7)] EngagementRates Rates,
    [property: Id(8)] HealthBand? Health,
    [property: Id(9)] double? AverageFirstHourLikesPerMinute,
    [property: Id(10)] IReadOnlyList<DailyEngagement> Daily,
    [property: Id(11)] IReadOnlyList<PostEngagement> TopPosts,
    [property: Id(12)] IReadOnlyList<ContentKindPerformance> ContentKinds,
    [property: Id(13)] IReadOnlyList<HashtagPerformance> Hashtags,
    [property: Id(14)] IReadOnlyList<HeatmapCell> Heatmap,
    [property: Id(15)] IReadOnlyList<AccountEngagementSummary> Accounts);

[GenerateSerializer, Alias("PostNext.BestTimeSource")]
public enum BestTimeSource
{
    /// <summary>Ranked from the account's own posts.</summary>
    History = 0,

    /// <summary>Platform-wide defaults: the account's history is too thin.</summary>
    Defaults = 1,
}

/// <summary>A weekly slot (local time in the workspace time zone) and the evidence for it.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.BestTimeSlot")]
public sealed record BestTimeSlot(
    [property: Id(0)] DayOfWeek Day,
    [property: Id(1)] int Hour,
    [property: Id(2)] int Minute,
    [property: Id(3)] BestTimeSource Source,
    [property: Id(4)] int Posts,
    [property: Id(5)] double? AverageScore);

/// <summary>An account's ranked best times, and the heatmap they were read from.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.BestTimes")]
public sealed record BestTimes(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string Platform,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] BestTimeSource Source,
    [property: Id(4)] int PostsConsidered,
    [property: Id(5)] IReadOnlyList<BestTimeSlot> Slots,
    [property: Id(6)] IReadOnlyList<HeatmapCell> Heatmap);
