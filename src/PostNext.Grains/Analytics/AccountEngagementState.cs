using PostNext.Abstractions.Analytics;

namespace PostNext.Grains.Analytics;

/// <summary>An account's engagement aggregate, bounded: recent posts' latest figures and a daily series.</summary>
[GenerateSerializer, Alias("PostNext.AccountEngagementState")]
public sealed class AccountEngagementState
{
    [Id(0)] public string WorkspaceId { get; set; } = "";

    [Id(1)] public string Platform { get; set; } = "";

    /// <summary>The workspace's time zone: days and hours of the week are local to it.</summary>
    [Id(2)] public string TimeZone { get; set; } = "UTC";

    [Id(3)] public long? Followers { get; set; }

    [Id(4)] public DateTimeOffset? FollowersReadAt { get; set; }

    [Id(5)] public bool AudienceArmed { get; set; }

    /// <summary>The most recent posts (at most <see cref="AnalyticsOptions.MaxPosts"/>), by post id.</summary>
    [Id(6)] public Dictionary<string, PostRecord> Posts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The daily series, oldest first (at most <see cref="AnalyticsOptions.MaxDays"/> days).</summary>
    [Id(7)] public List<DayRecord> Days { get; set; } = [];
}

[GenerateSerializer, Alias("PostNext.EngagementPostRecord")]
public sealed class PostRecord
{
    [Id(0)] public string PostId { get; set; } = "";

    [Id(1)] public DateTimeOffset PublishedAt { get; set; }

    [Id(2)] public ContentKind Kind { get; set; }

    [Id(3)] public List<string> Hashtags { get; set; } = [];

    [Id(4)] public long Likes { get; set; }

    [Id(5)] public long Comments { get; set; }

    [Id(6)] public long Shares { get; set; }

    [Id(7)] public long? Saves { get; set; }

    [Id(8)] public long? Impressions { get; set; }

    [Id(9)] public long? Views { get; set; }

    /// <summary>The account's followers when the latest reading was recorded.</summary>
    [Id(10)] public long? Followers { get; set; }

    [Id(11)] public double? FirstHourLikesPerMinute { get; set; }

    [Id(12)] public DateTimeOffset? LastReadAt { get; set; }
}

/// <summary>One local day: engagement gained (differences between successive readings), posts published, last follower count.</summary>
[GenerateSerializer, Alias("PostNext.EngagementDayRecord")]
public sealed class DayRecord
{
    /// <summary><see cref="DateOnly.DayNumber"/> of the local day.</summary>
    [Id(0)] public int Day { get; set; }

    [Id(1)] public long Likes { get; set; }

    [Id(2)] public long Comments { get; set; }

    [Id(3)] public long Shares { get; set; }

    [Id(4)] public long Saves { get; set; }

    [Id(5)] public long Impressions { get; set; }

    [Id(6)] public long Views { get; set; }

    [Id(7)] public int PostsPublished { get; set; }

    [Id(8)] public long? Followers { get; set; }
}
