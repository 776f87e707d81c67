namespace PostNext.Grains.Analytics;

/// <summary>How engagement is collected and read, under <c>PostNext:Analytics</c>.</summary>
public sealed class AnalyticsOptions
{
    public const string SectionName = "PostNext:Analytics";

    /// <summary>Readings in the first hour after publishing are this far apart (first-hour like velocity).</summary>
    public TimeSpan FirstHourInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Length of the first, densest phase.</summary>
    public TimeSpan FirstHour { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Readings during the rest of the first day are this far apart.</summary>
    public TimeSpan FirstDayInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Length of the hourly phase, counted from publishing.</summary>
    public TimeSpan FirstDay { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Readings after the first day are this far apart.</summary>
    public TimeSpan LaterInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A post is read until this long after publishing.</summary>
    public TimeSpan TrackFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often an account's audience (followers) is read.</summary>
    public TimeSpan AudienceInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Wait after a failed reading (unless the platform says when to come back); also the reminders' period.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Consecutive failed readings after which a post stops being tracked.</summary>
    public int MaxFailures { get; set; } = 10;

    /// <summary>Best times are ranked from posts published this far back.</summary>
    public TimeSpan BestTimeLookback { get; set; } = TimeSpan.FromDays(16 * 7);

    /// <summary>Posts younger than this are still gathering engagement and are left out of best times.</summary>
    public TimeSpan BestTimeMinimumAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Posts a slot needs before its average counts.</summary>
    public int BestTimeMinimumPosts { get; set; } = 2;

    /// <summary>Slots with enough posts the history needs before it replaces the platform defaults.</summary>
    public int BestTimeMinimumSlots { get; set; } = 3;

    /// <summary>Minutes past the hour at which best-time scheduling places a post.</summary>
    public int SlotMinute { get; set; }

    /// <summary>best_time scheduling keeps at least this much time between two posts of one account.</summary>
    public TimeSpan MinimumGap { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Platform default best times (<c>"tue 18:00"</c>, local time), replacing the built-in table for the platforms given.</summary>
    public Dictionary<string, List<string>> DefaultBestTimes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Posts an account aggregate keeps (the most recent ones).</summary>
    public int MaxPosts { get; set; } = 500;

    /// <summary>Days of daily series an account aggregate keeps.</summary>
    public int MaxDays { get; set; } = 400;

    /// <summary>Top posts a report lists.</summary>
    public int TopPosts { get; set; } = 10;

    /// <summary>Hashtags a report lists (most used first).</summary>
    public int TopHashtags { get; set; } = 50;
}
