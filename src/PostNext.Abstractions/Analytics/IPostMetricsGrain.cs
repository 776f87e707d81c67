using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;

namespace PostNext.Abstractions.Analytics;

/// <summary>
/// Collects one published publication's engagement on a decaying schedule (every 5 minutes in the first hour, hourly
/// for the first day, daily for 30 days), keeps every reading as a snapshot and reports the latest to the account's
/// engagement grain. Key: the publication key <c>{postId}~{accountId}</c>.
/// </summary>
[Alias("PostNext.IPostMetricsGrain")]
public interface IPostMetricsGrain : IGrainWithStringKey
{
    /// <summary>Starts tracking a published post; a repeated call changes nothing. Cheap: no platform call.</summary>
    [Alias("Start")]
    Task<MetricsProgress> StartAsync(TrackPost command);

    /// <summary>Takes one reading if any is due as of now (readings missed during an outage collapse into one) and re-arms the schedule.</summary>
    [Alias("CollectDue")]
    Task<MetricsProgress> CollectDueAsync();

    /// <summary>Its due bucket's wake-up: takes the readings due, if any (one way: a slow platform never holds the bucket up).</summary>
    [Alias("Wake"), Orleans.Concurrency.OneWay]
    Task WakeAsync();

    /// <summary>Every reading kept for this publication, oldest first, or null when it is not tracked.</summary>
    [Alias("GetSeries")]
    Task<PostMetricsSeries?> GetSeriesAsync();
}

/// <summary>A published post to follow: who published what, where and when.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.TrackPost")]
public sealed record TrackPost(
    [property: Id(0)] string WorkspaceId,
    [property: Id(1)] string PostId,
    [property: Id(2)] string AccountId,
    [property: Id(3)] string Platform,
    [property: Id(4)] string ExternalId,
    [property: Id(5)] DateTimeOffset PublishedAt,
    [property: Id(6)] PostContent Content);

/// <summary>Where a publication's collection stands.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.MetricsProgress")]
public sealed record MetricsProgress(
    [property: Id(0)] bool Tracked,
    [property: Id(1)] int Readings,
    [property: Id(2)] DateTimeOffset? NextReadingAt,
    [property: Id(3)] bool Finished,
    [property: Id(4)] string? LastError);

/// <summary>A publication's metrics history.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostMetricsSeries")]
public sealed record PostMetricsSeries(
    [property: Id(0)] string PostId,
    [property: Id(1)] string AccountId,
    [property: Id(2)] string Platform,
    [property: Id(3)] DateTimeOffset PublishedAt,
    [property: Id(4)] ContentKind ContentKind,
    [property: Id(5)] double? FirstHourLikesPerMinute,
    [property: Id(6)] MetricsProgress Progress,
    [property: Id(7)] IReadOnlyList<PostMetrics> Readings);
