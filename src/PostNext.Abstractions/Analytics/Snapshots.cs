using PostNext.Abstractions.Accounts;

namespace PostNext.Abstractions.Analytics;

/// <summary>One reading of one publication's metrics, as kept in the snapshot history.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostSnapshot")]
public sealed record PostSnapshot(
    [property: Id(0)] string WorkspaceId,
    [property: Id(1)] string PostId,
    [property: Id(2)] string AccountId,
    [property: Id(3)] string Platform,
    [property: Id(4)] PostMetrics Metrics);

/// <summary>One reading of an account's audience, as kept in the snapshot history.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.AccountSnapshot")]
public sealed record AccountSnapshot(
    [property: Id(0)] string WorkspaceId,
    [property: Id(1)] string AccountId,
    [property: Id(2)] string Platform,
    [property: Id(3)] AccountMetrics Metrics);
