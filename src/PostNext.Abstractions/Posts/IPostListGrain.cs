namespace PostNext.Abstractions.Posts;

/// <summary>A workspace's posts, drafts included, newest first: answered from the post index and the calendar index without activating post grains. Key: the workspace id.</summary>
[Alias("PostNext.IPostListGrain")]
public interface IPostListGrain : IGrainWithStringKey
{
    /// <summary>One page of the workspace's posts matching the query, newest first.</summary>
    [Alias("List")]
    Task<PostListPage> ListAsync(PostListQuery query);
}

/// <summary>
/// Filters are combined: a post matches when its status is <see cref="Status"/>, one of its targets is
/// <see cref="AccountId"/> and one is on <see cref="Platform"/>, and its text (or a target's override text, or its
/// title) contains <see cref="Search"/> ignoring case.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostListQuery")]
public sealed record PostListQuery(
    [property: Id(0)] string WorkspaceId,
    [property: Id(1)] PostStatus? Status,
    [property: Id(2)] string? AccountId,
    [property: Id(3)] string? Platform,
    [property: Id(4)] string? Search,
    [property: Id(5)] PostListCursor? After,
    [property: Id(6)] int Limit);

/// <summary>The position after the last post a page looked at (newest first: created earlier, or at the same instant a lower id).</summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostListCursor")]
public sealed record PostListCursor(
    [property: Id(0)] DateTimeOffset CreatedAt,
    [property: Id(1)] string PostId);

/// <summary>
/// A page of posts. <see cref="Next"/> is null when nothing is left; a page may hold fewer than the limit and still
/// have a next cursor when a status filter had to look at many posts that did not match (each page looks at a bounded number).
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostListPage")]
public sealed record PostListPage(
    [property: Id(0)] IReadOnlyList<PostSummary> Posts,
    [property: Id(1)] PostListCursor? Next);

/// <summary>A post as listed: its status, text and targets with their publications' live status.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostSummary")]
public sealed record PostSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] PostStatus Status,
    [property: Id(2)] string Text,
    [property: Id(3)] string? Title,
    [property: Id(4)] IReadOnlyList<PostSummaryTarget> Targets,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt);

/// <summary>
/// One target of a listed post: its publication's status (null for a draft or a publication not created yet) and time;
/// <see cref="PartsPending"/> when the post itself is out and the rest of its chain (a thread reply, a first comment) waits.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostSummaryTarget")]
public sealed record PostSummaryTarget(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string Platform,
    [property: Id(2)] PublicationStatus? Status,
    [property: Id(3)] DateTimeOffset? At,
    [property: Id(4)] DateTimeOffset? PublishedAt,
    [property: Id(5)] bool PartsPending = false);
