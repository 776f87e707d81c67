namespace PostNext.Abstractions.Accounts;

/// <summary>Engagement of one published post at one moment. Null means the platform does not report that figure.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostMetrics")]
public sealed record PostMetrics(
    [property: Id(0)] long Likes,
    [property: Id(1)] long Comments,
    [property: Id(2)] long Shares,
    [property: Id(3)] long? Impressions,
    [property: Id(4)] long? Views,
    [property: Id(5)] long? Saves,
    [property: Id(6)] DateTimeOffset ReadAt);

/// <summary>An account's audience at one moment.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.AccountMetrics")]
public sealed record AccountMetrics(
    [property: Id(0)] long Followers,
    [property: Id(1)] long? Following,
    [property: Id(2)] long? Posts,
    [property: Id(3)] DateTimeOffset ReadAt);
