namespace PostNext.Storage.Posts;

/// <summary>
/// The posts: one row per post (drafts included) holding the post grain's state and, beside it, what the posts list
/// shows and filters on. One statement writes both, so the list never disagrees with the post. Statuses of
/// publications are not here: they are read from the calendar index, so publishing writes nothing to it.
/// </summary>
public interface IPostStore
{
    /// <summary>The post's stored state and revision; null when it has no row. A row from before states moved here has a null state.</summary>
    Task<StoredPost?> LoadAsync(string postId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the post's state with its list entry when the stored revision is <paramref name="expectedRevision"/>
    /// (0: no row yet, or a row from before states moved here). False when another activation wrote first. A deleted
    /// post keeps its row (its Idempotency-Key still answers) but is no longer listed.
    /// </summary>
    Task<bool> SaveAsync(PostIndexEntry entry, bool deleted, byte[] state, long revision, long expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether posts stored before states moved here may still be only in Orleans grain storage under
    /// <paramref name="legacyStateName"/>, with no row here (asked once; a post with no row is then looked up there too).
    /// </summary>
    Task<bool> MayHoldUnmovedAsync(string legacyStateName, CancellationToken cancellationToken = default);

    /// <summary>The workspace's listed posts (deleted ones are not) matching the scan's filters, newest first (created_at, then post id, descending), after the cursor, at most Limit.</summary>
    Task<IReadOnlyList<PostIndexEntry>> ScanAsync(PostIndexScan scan, CancellationToken cancellationToken = default);
}

/// <summary>A post's stored state (null in a row from before states moved here) and its revision.</summary>
public sealed record StoredPost(byte[]? State, long Revision);

/// <summary>What the posts list shows and filters on, kept beside the post's state.</summary>
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
