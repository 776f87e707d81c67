using PostNext.Abstractions.Accounts;

namespace PostNext.Abstractions.Posts;

/// <summary>
/// The publication of one post to one account: its own reminder, its own attempts, its own outcome, so a slow upload
/// to one platform never holds back the others. Key: <see cref="PublicationKey"/>.
/// </summary>
[Alias("PostNext.IPublicationGrain")]
public interface IPublicationGrain : IGrainWithStringKey
{
    /// <summary>Schedules (or, before it started, reschedules) the publication; registers its reminder.</summary>
    [Alias("Schedule")]
    Task<PublicationView> ScheduleAsync(SchedulePublication command);

    /// <summary>The publication, or null when it was never scheduled (or was deleted).</summary>
    [Alias("Get")]
    Task<PublicationView?> GetAsync();

    /// <summary>Changes content and/or time while still pending; otherwise returns a conflict and changes nothing.</summary>
    [Alias("Edit")]
    Task<PublicationChange> EditAsync(PostContent? content, DateTimeOffset? dueAt);

    /// <summary>Cancels while still pending; otherwise a conflict.</summary>
    [Alias("Cancel")]
    Task<PublicationChange> CancelAsync();

    /// <summary>Moves the due time to now and starts the attempt at once (pending publications only).</summary>
    [Alias("PublishNow")]
    Task<PublicationChange> PublishNowAsync();

    /// <summary>Forgets a canceled publication (its calendar entry too).</summary>
    [Alias("Delete")]
    Task DeleteAsync();

    /// <summary>Does what a reminder tick does now: the sweeper's nudge for a publication whose reminder never fired.</summary>
    [Alias("Wake")]
    Task WakeAsync();

    /// <summary>
    /// Its due bucket's nudge: tick at <paramref name="at"/> (now when already past), loading the publication ahead of
    /// its time. One-way: the bucket never waits on a publication (which may itself be waiting on the bucket), and a
    /// lost nudge is sent again by the bucket's next read.
    /// </summary>
    [Alias("Nudge"), Orleans.Concurrency.OneWay]
    Task NudgeAsync(DateTimeOffset at);

    /// <summary>Durably records a connector's intermediate id (container, upload session…) for the current attempt's publication.</summary>
    [Alias("SaveCheckpoint")]
    Task SaveCheckpointAsync(string attemptId, string key, string value);

    /// <summary>
    /// Takes the lease of a queued attempt just before its platform call: the attempt is persisted as publishing, with
    /// its deadline and silo, and what to send comes back. Null when the attempt may no longer go out (canceled,
    /// moved, another activation's attempt won the write).
    /// </summary>
    [Alias("BeginAttempt")]
    Task<PublishTicket?> BeginAttemptAsync(string attemptId, PublishingIdentity account);

    /// <summary>Applies what an attempt of this grain reported; ignored unless the attempt is the current one.</summary>
    [Alias("CompleteAttempt")]
    Task CompleteAttemptAsync(string attemptId, AttemptReport report);

    /// <summary>Applies what the platform answered about an unconfirmed attempt; ignored unless it is the current one.</summary>
    [Alias("CompleteReconcile")]
    Task CompleteReconcileAsync(string attemptId, ReconcileReport report);
}

/// <summary>Builds and reads publication grain keys: <c>{postId}~{accountId}</c>.</summary>
public static class PublicationKey
{
    public static string For(string postId, string accountId) => $"{postId}~{accountId}";
}

[GenerateSerializer, Immutable, Alias("PostNext.SchedulePublication")]
public sealed record SchedulePublication(
    [property: Id(0)] string WorkspaceId,
    [property: Id(1)] string PostId,
    [property: Id(2)] string AccountId,
    [property: Id(3)] string Platform,
    [property: Id(4)] PostContent Content,
    [property: Id(5)] DateTimeOffset DueAt,
    [property: Id(6)] string TimeZone);

/// <summary>The result of a change request: the publication as it now is, and whether the change was refused.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.PublicationChange")]
public sealed record PublicationChange(
    [property: Id(0)] PublicationView? Publication,
    [property: Id(1)] string? Conflict)
{
    public bool Applied => Conflict is null;
}

[GenerateSerializer, Immutable, Alias("PostNext.PublicationError")]
public sealed record PublicationError(
    [property: Id(0)] ErrorCategory Category,
    [property: Id(1)] string Message);

[GenerateSerializer, Immutable, Alias("PostNext.PublicationView")]
public sealed record PublicationView(
    [property: Id(0)] string PostId,
    [property: Id(1)] string AccountId,
    [property: Id(2)] string Platform,
    [property: Id(3)] PublicationStatus Status,
    [property: Id(4)] DateTimeOffset ScheduledAt,
    [property: Id(5)] DateTimeOffset? DeferredUntil,
    [property: Id(6)] string? DeferReason,
    [property: Id(7)] string? ExternalId,
    [property: Id(8)] string? Permalink,
    [property: Id(9)] DateTimeOffset? PublishedAt,
    [property: Id(10)] PublicationError? Error,
    [property: Id(11)] bool Late,
    [property: Id(12)] int Attempts,
    [property: Id(13)] PostContent Content,
    [property: Id(14)] string TimeZone,
    [property: Id(15)] IReadOnlyList<PublicationPart>? Parts = null);

/// <summary>
/// What goes out under a lease: the content and the checkpoints earlier attempts saved, and for an attempt prepared
/// ahead of its time, the time before which nothing may be sent.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.PublishTicket")]
public sealed record PublishTicket(
    [property: Id(0)] PostContent Content,
    [property: Id(1)] IReadOnlyDictionary<string, string> Checkpoints,
    [property: Id(2)] DateTimeOffset LeaseUntil,
    [property: Id(3)] DateTimeOffset? NotBefore = null);

/// <summary>
/// What an attempt ended with: the connector's outcome, whether the platform was called at all (a failure before the
/// call is certain to have sent nothing), and a block the platform's rate-limit headers reported, even on success.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.AttemptReport")]
public sealed record AttemptReport(
    [property: Id(0)] PublishOutcome Outcome,
    [property: Id(1)] bool Sent,
    [property: Id(2)] DateTimeOffset? PlatformBlockedUntil = null,
    [property: Id(3)] bool AccountUnavailable = false);

/// <summary>What asking the platform about an unconfirmed attempt found.</summary>
[GenerateSerializer, Alias("PostNext.ReconcileFinding")]
public enum ReconcileFinding
{
    /// <summary>The platform has the post.</summary>
    Found = 0,

    /// <summary>The platform certainly does not have it: sending again is safe.</summary>
    NotFound = 1,

    /// <summary>The platform could not tell (yet), or could not be asked.</summary>
    Unknown = 2,

    /// <summary>
    /// The post and some parts of its chain (thread replies, first comment) are there, and no part is in doubt: a new
    /// attempt resumes at the first part not confirmed.
    /// </summary>
    Partial = 3,
}

[GenerateSerializer, Immutable, Alias("PostNext.ReconcileReport")]
public sealed record ReconcileReport(
    [property: Id(0)] ReconcileFinding Finding,
    [property: Id(1)] PublishOutcome? Publication,
    [property: Id(2)] string? Detail);

/// <summary>
/// What a connector reports for one attempt, and the tightest rate limit the platform's responses reported during it
/// (<see cref="Limit"/>), whether the attempt succeeded or not. <see cref="LimitedPostType"/>: a rate limit that holds
/// for one kind of post only (a Facebook Page's reels), so it holds back that kind, not every post of the account.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.PublishOutcome")]
public sealed record PublishOutcome(
    [property: Id(0)] bool Succeeded,
    [property: Id(1)] string? ExternalId,
    [property: Id(2)] string? Permalink,
    [property: Id(3)] DateTimeOffset? PublishedAt,
    [property: Id(4)] ErrorCategory? ErrorCategory,
    [property: Id(5)] string? Message,
    [property: Id(6)] DateTimeOffset? RetryAfter,
    [property: Id(7)] PlatformLimit? Limit = null,
    [property: Id(8)] string? LimitedPostType = null)
{
    public static PublishOutcome Success(string externalId, string? permalink, DateTimeOffset publishedAt) =>
        new(true, externalId, permalink, publishedAt, null, null, null);

    public static PublishOutcome Failure(ErrorCategory category, string message, DateTimeOffset? retryAfter = null) =>
        new(false, null, null, null, category, message, retryAfter);
}
