namespace PostNext.Storage.Posts;

/// <summary>
/// The post index: one entry per post (drafts included), kept by the post grain after each change, listed newest first.
/// Statuses of publications are not here: they are read from the calendar index, so publishing writes nothing to it.
/// </summary>
public interface IPostIndexStore
{
    /// <summary>Inserts or replaces the post's entry unless the stored one was updated later.</summary>
    Task UpsertAsync(PostIndexEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the post's entry (a deleted post).</summary>
    Task RemoveAsync(string workspaceId, string postId, CancellationToken cancellationToken = default);

    /// <summary>The workspace's entries matching the scan's filters, newest first (created_at, then post id, descending), after the cursor, at most Limit.</summary>
    Task<IReadOnlyList<PostIndexEntry>> ScanAsync(PostIndexScan scan, CancellationToken cancellationToken = default);
}

/// <summary>What the index keeps of a post.</summary>
public sealed record PostIndexEntry(
    string WorkspaceId,
    string PostId,
    bool Draft,
    bool Canceled,
    string Text,
    string? Title,
    IReadOnlyList<string> OverrideTexts,
    IReadOnlyList<PostIndexTarget> Targets,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>What the text search looks in: the text, the title and the override texts, lower-cased.</summary>
    public string SearchText => string.Join('\n', new[] { Text, Title ?? "" }.Concat(OverrideTexts)).ToLowerInvariant();
}

/// <summary>A target of an indexed post.</summary>
public sealed record PostIndexTarget(string AccountId, string Platform);

/// <summary>
/// A scan of one workspace's index: <see cref="Draft"/> null for any, <see cref="Search"/> a case-insensitive substring,
/// <see cref="AfterCreatedAt"/> and <see cref="AfterPostId"/> the cursor (both or neither).
/// </summary>
public sealed record PostIndexScan(
    string WorkspaceId,
    bool? Draft,
    string? AccountId,
    string? Platform,
    string? Search,
    DateTimeOffset? AfterCreatedAt,
    string? AfterPostId,
    int Limit);

/// <summary>The order of the list, newest first: the one both stores page by.</summary>
public sealed class PostIndexOrder : IComparer<PostIndexEntry>
{
    public static readonly PostIndexOrder Instance = new();

    public int Compare(PostIndexEntry? x, PostIndexEntry? y)
    {
        var byTime = y!.CreatedAt.UtcTicks.CompareTo(x!.CreatedAt.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(y.PostId, x.PostId);
    }
}
