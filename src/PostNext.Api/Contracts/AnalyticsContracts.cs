namespace PostNext.Api.Contracts;

/// <summary>Where <c>best_time</c> scheduling may place a post: instants with offsets, or local times in the schedule's zone.</summary>
public sealed record BestTimeWindowDto(string? From, string? To);

/// <summary>
/// Analytics for [from, to) of one account or a whole workspace. Engagement rates are percentages: interactions
/// (likes + comments + shares + saves) ÷ followers, and ÷ impressions where the platform reports them, averaged over
/// the posts published in the range. First-hour velocity is likes per minute at the reading nearest 60 minutes after
/// publishing. Totals and the daily series are engagement gained per local day (workspace time zone).
/// </summary>
public sealed record AnalyticsResponse(
    string WorkspaceId, string? AccountId, DateTimeOffset From, DateTimeOffset To, string TimeZone,
    long? Followers, long? FollowersChange, int PostsPublished, EngagementTotalsDto Totals, EngagementRatesDto EngagementRate,
    HealthBandDto? Health, double? AverageFirstHourLikesPerMinute, IReadOnlyList<DailyEngagementDto> Daily,
    IReadOnlyList<PostEngagementDto> TopPosts, IReadOnlyList<ContentTypeDto> ContentTypes, IReadOnlyList<HashtagDto> Hashtags,
    IReadOnlyList<HeatmapRowDto> Heatmap, IReadOnlyList<AccountAnalyticsDto>? Accounts);

public sealed record EngagementTotalsDto(long Likes, long Comments, long Shares, long Saves, long Impressions, long Views, long Interactions);

/// <summary>Engagement rates in percent; null when nothing to compute them from.</summary>
public sealed record EngagementRatesDto(double? ByFollowers, double? ByImpressions);

/// <summary>
/// The healthy engagement-rate range for the account's size: 3–5 % under 10K followers, 1–3 % over 100K, both ends
/// moving linearly in log10(followers) in between; level is below, healthy or above.
/// </summary>
public sealed record HealthBandDto(long Followers, double HealthyLow, double HealthyHigh, string Level);

public sealed record DailyEngagementDto(
    string Date, long Likes, long Comments, long Shares, long Saves, long Impressions, long Views, long Interactions, int PostsPublished, long? Followers);

public sealed record PostEngagementDto(
    string PostId, string AccountId, string Platform, DateTimeOffset PublishedAt, string ContentType, IReadOnlyList<string> Hashtags,
    long Likes, long Comments, long Shares, long? Saves, long? Impressions, long? Views, long Interactions,
    double? EngagementRate, double? EngagementRateByImpressions, double? FirstHourLikesPerMinute, DateTimeOffset? LastReadAt);

/// <summary>text, image, video or carousel (two or more media).</summary>
public sealed record ContentTypeDto(string Type, int Posts, double AverageInteractions, double? AverageEngagementRate);

/// <summary>A hashtag's uses (posts carrying it in the range) and those posts' average interactions and engagement rate.</summary>
public sealed record HashtagDto(string Hashtag, int Uses, double AverageInteractions, double? AverageEngagementRate);

/// <summary>One day of the week (local time), 24 hours: posts published in each hour and their average score.</summary>
public sealed record HeatmapRowDto(string Day, IReadOnlyList<HeatmapCellDto> Hours);

/// <summary>averageScore: the posts' average engagement rate in percent (average interactions when followers are unknown).</summary>
public sealed record HeatmapCellDto(int Hour, int Posts, double? AverageScore);

public sealed record AccountAnalyticsDto(
    string AccountId, string Platform, long? Followers, int PostsPublished, long Interactions, EngagementRatesDto EngagementRate, HealthBandDto? Health);

/// <summary>
/// Weekly slots ranked best first (local time in the workspace zone). Source "history": ranked by the average engagement
/// rate of the account's posts published in each hour over the last 16 weeks (slots with enough posts), followed by
/// platform defaults; "defaults": history is too thin, so platform-wide defaults.
/// </summary>
public sealed record BestTimesResponse(
    string AccountId, string Platform, string TimeZone, string Source, int PostsConsidered, IReadOnlyList<BestTimeSlotDto> Slots,
    IReadOnlyList<HeatmapRowDto> Heatmap);

public sealed record BestTimeSlotDto(int Rank, string Day, string Time, string Source, int Posts, double? AverageScore, DateTimeOffset NextAt);

/// <summary>Each target's metrics history: every reading since publishing.</summary>
public sealed record PostMetricsResponse(string PostId, IReadOnlyList<TargetMetricsDto> Targets);

/// <summary>One target's collection state and readings (empty until it is published).</summary>
public sealed record TargetMetricsDto(
    string AccountId, string Platform, string Status, DateTimeOffset? PublishedAt, string? ContentType, double? FirstHourLikesPerMinute,
    int Readings, DateTimeOffset? NextReadingAt, bool Finished, string? LastError, IReadOnlyList<MetricsReadingDto> Series);

public sealed record MetricsReadingDto(
    DateTimeOffset ReadAt, double MinutesSincePublished, long Likes, long Comments, long Shares, long? Impressions, long? Views, long? Saves);
