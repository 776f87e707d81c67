using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Analytics;

[GenerateSerializer, Alias("PostNext.PostMetricsState")]
public sealed class PostMetricsState
{
    [Id(0)] public string WorkspaceId { get; set; } = "";

    [Id(1)] public string PostId { get; set; } = "";

    [Id(2)] public string AccountId { get; set; } = "";

    [Id(3)] public string Platform { get; set; } = "";

    [Id(4)] public string ExternalId { get; set; } = "";

    [Id(5)] public DateTimeOffset PublishedAt { get; set; }

    /// <summary>What was published (text cut to <see cref="PostMetricsGrain.MaxKeptText"/>): connectors may need it to read metrics.</summary>
    [Id(6)] public PostContent Content { get; set; } = PostContent.Empty;

    [Id(7)] public ContentKind Kind { get; set; }

    [Id(8)] public List<string> Hashtags { get; set; } = [];

    /// <summary>Index of the next reading in the schedule.</summary>
    [Id(9)] public int NextIndex { get; set; }

    [Id(10)] public int Readings { get; set; }

    [Id(11)] public bool Finished { get; set; }

    [Id(12)] public int Failures { get; set; }

    [Id(13)] public string? LastError { get; set; }

    /// <summary>After a failed reading: when to try again.</summary>
    [Id(14)] public DateTimeOffset? RetryAt { get; set; }

    [Id(15)] public PostMetrics? Latest { get; set; }

    /// <summary>Likes per minute at the reading nearest the 60-minute mark (within the first 75 minutes).</summary>
    [Id(16)] public double? FirstHourLikesPerMinute { get; set; }

    /// <summary>Minutes after publishing of the reading <see cref="FirstHourLikesPerMinute"/> came from.</summary>
    [Id(17)] public double? FirstHourMinutes { get; set; }
}
