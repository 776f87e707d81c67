using Orleans.Concurrency;

namespace PostNext.Abstractions.Limits;

/// <summary>
/// The single cluster-wide authority on one rate-limit scope: an account (<c>account/{accountId}</c>) or a platform
/// app shared by all its accounts (<c>app/{platform}</c>). Publications ask it for a permit before calling the platform.
/// </summary>
[Alias("PostNext.IRateLimitGrain")]
public interface IRateLimitGrain : IGrainWithStringKey
{
    /// <summary>
    /// A permit now, or the time this publication may try again. Refused publications get distinct, spread-out
    /// times in the order they first asked, so deferred posts go out in their original order when limits clear.
    /// A permit asked for ahead of its call (a publication prepared before its time) gives <paramref name="sendAt"/>:
    /// it is counted, and checked against the windows, at the time of the call.
    /// </summary>
    [Alias("Acquire")]
    Task<Permit> AcquireAsync(string publicationKey, DateTimeOffset originalDueAt, DateTimeOffset? sendAt = null);

    /// <summary>
    /// The publication no longer waits here (canceled, edited, deleted, failed, or it went out another way): its reserved
    /// time is freed for the next waiter. A permit it was granted stays counted, since the platform may have seen the
    /// call. Safe to repeat; writes nothing when the publication holds no place.
    /// </summary>
    [Alias("Release")]
    Task ReleaseAsync(string publicationKey);

    /// <summary>Gives back the permit just granted to a publication that will not use it (another scope refused it).</summary>
    [Alias("ReturnPermit")]
    Task ReturnPermitAsync(string publicationKey);

    /// <summary>The platform said no more calls until <paramref name="until"/> (a 429, a quota error, exhausted headers).</summary>
    [Alias("ReportBlocked")]
    Task ReportBlockedAsync(DateTimeOffset until, string reason);

    /// <summary>Each window's budget, the block if any, and how many publications wait.</summary>
    [Alias("GetStatus"), AlwaysInterleave]
    Task<RateLimitStatus> GetStatusAsync();
}

/// <summary>Rate-limit grain keys: <c>account/{platform}/{accountId}</c> and <c>app/{platform}</c>.</summary>
public static class RateLimitScopes
{
    public static string Account(string platform, string accountId) => $"account/{platform}/{accountId}";

    public static string App(string platform) => "app/" + platform;

    /// <summary>
    /// An account's posts of one kind with a limit of their own (a Facebook Page's reels): its windows are configured
    /// under the platform id "{platform}.{type}" (e.g. <c>facebook.reel</c>).
    /// </summary>
    public static string PostType(string platform, string type, string accountId) => Account($"{platform}.{type}", accountId);

    /// <summary>The platform a scope key belongs to.</summary>
    public static string PlatformOf(string scope) => scope.Split('/')[1];

    public static bool IsApp(string scope) => scope.StartsWith("app/", StringComparison.Ordinal);
}

[GenerateSerializer, Immutable, Alias("PostNext.Permit")]
public sealed record Permit(
    [property: Id(0)] bool Granted,
    [property: Id(1)] DateTimeOffset? RetryAt,
    [property: Id(2)] string? Reason)
{
    public static readonly Permit Grant = new(true, null, null);
}

[GenerateSerializer, Immutable, Alias("PostNext.RateLimitStatus")]
public sealed record RateLimitStatus(
    [property: Id(0)] string Scope,
    [property: Id(1)] IReadOnlyList<WindowStatus> Windows,
    [property: Id(2)] DateTimeOffset? BlockedUntil,
    [property: Id(3)] string? BlockedReason,
    [property: Id(4)] int Waiting);

[GenerateSerializer, Immutable, Alias("PostNext.WindowStatus")]
public sealed record WindowStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] int Limit,
    [property: Id(2)] TimeSpan Period,
    [property: Id(3)] int Used,
    [property: Id(4)] int Remaining,
    [property: Id(5)] DateTimeOffset? ResetAt);
