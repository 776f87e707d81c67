namespace PostNext.Abstractions.Posts;

/// <summary>A post: its content and targets, written once and published to each target account by its own publication grain. Key: the post id.</summary>
[Alias("PostNext.IPostGrain")]
public interface IPostGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the post and schedules its publications. When the post already exists (a repeated Idempotency-Key) it is
    /// returned unchanged if the request fingerprint matches, else a conflict.
    /// </summary>
    [Alias("Create")]
    Task<PostResult> CreateAsync(CreatePost command);

    /// <summary>The post with its targets' live status, or null.</summary>
    [Alias("Get")]
    Task<PostView?> GetAsync();

    /// <summary>The fingerprint of the request that created this post, or null when it does not exist.</summary>
    [Alias("GetFingerprint")]
    Task<string?> GetFingerprintAsync();

    /// <summary>Edits text, media, targets or time, only while no target has started publishing.</summary>
    [Alias("Update")]
    Task<PostResult> UpdateAsync(UpdatePost command);

    /// <summary>Cancels every target that has not started yet.</summary>
    [Alias("Cancel")]
    Task<PostResult> CancelAsync();

    /// <summary>Publishes every pending target now.</summary>
    [Alias("PublishNow")]
    Task<PostResult> PublishNowAsync();

    /// <summary>Deletes a draft or a canceled post.</summary>
    [Alias("Delete")]
    Task<PostResult> DeleteAsync();
}

/// <summary>One target as requested: the account, its platform, optional content overrides, its due time (null for drafts) and its platform options.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.TargetSpec")]
public sealed record TargetSpec(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string Platform,
    [property: Id(2)] ContentOverrides? Overrides,
    [property: Id(3)] DateTimeOffset? DueAt,
    [property: Id(4)] PostOptions? Options = null);

[GenerateSerializer, Immutable, Alias("PostNext.CreatePost")]
public sealed record CreatePost(
    [property: Id(0)] string WorkspaceId,
    [property: Id(1)] PostContent Content,
    [property: Id(2)] IReadOnlyList<TargetSpec> Targets,
    [property: Id(3)] bool Draft,
    [property: Id(4)] string TimeZone,
    [property: Id(5)] string ScheduleMode,
    [property: Id(6)] string Fingerprint);

/// <summary>A partial update; null fields are left as they are. Targets, when given, replace the target list.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.UpdatePost")]
public sealed record UpdatePost(
    [property: Id(0)] PostContent? Content,
    [property: Id(1)] IReadOnlyList<TargetSpec>? Targets,
    [property: Id(2)] bool? Draft,
    [property: Id(3)] string? TimeZone,
    [property: Id(4)] string? ScheduleMode);

[GenerateSerializer, Alias("PostNext.PostOutcome")]
public enum PostOutcome
{
    Ok = 0,
    Created = 1,
    NotFound = 2,
    Conflict = 3,
}

[GenerateSerializer, Immutable, Alias("PostNext.PostResult")]
public sealed record PostResult(
    [property: Id(0)] PostOutcome Outcome,
    [property: Id(1)] PostView? Post,
    [property: Id(2)] string? Detail)
{
    public static PostResult Ok(PostView post) => new(PostOutcome.Ok, post, null);

    public static PostResult Created(PostView post) => new(PostOutcome.Created, post, null);

    public static readonly PostResult NotFound = new(PostOutcome.NotFound, null, null);

    public static PostResult Conflict(string detail, PostView? post = null) => new(PostOutcome.Conflict, post, detail);
}

[GenerateSerializer, Immutable, Alias("PostNext.PostView")]
public sealed record PostView(
    [property: Id(0)] string Id,
    [property: Id(1)] string WorkspaceId,
    [property: Id(2)] PostStatus Status,
    [property: Id(3)] PostContent Content,
    [property: Id(4)] IReadOnlyList<PostTargetView> Targets,
    [property: Id(5)] string TimeZone,
    [property: Id(6)] string ScheduleMode,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt);

/// <summary>A target of a post: the request (account, overrides) and, once scheduled, its publication.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostTargetView")]
public sealed record PostTargetView(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string Platform,
    [property: Id(2)] ContentOverrides? Overrides,
    [property: Id(3)] DateTimeOffset? ScheduledAt,
    [property: Id(4)] PublicationView? Publication,
    [property: Id(5)] PostOptions? Options = null);
