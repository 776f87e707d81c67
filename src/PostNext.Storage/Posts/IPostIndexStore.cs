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

    /// <summary>
    /// True when the index holds exactly <paramref name="expected"/> for the post (what a list shows and searches of
    /// it); with null, true when it holds no entry for the post. A read by primary key: an activation checks its
    /// post is indexed without writing.
    /// </summary>
    Task<bool> HoldsAsync(string workspaceId, string postId, PostIndexEntry? expected, CancellationToken cancellationToken = default);

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

    /// <summary>
    /// Whether a stored entry (with its stored search text) lists and searches as this one; times are compared to the
    /// microsecond, as PostgreSQL keeps them.
    /// </summary>
    public bool ListsAs(PostIndexEntry stored, string storedSearchText) =>
        WorkspaceId == stored.WorkspaceId && PostId == stored.PostId && Draft == stored.Draft && Canceled == stored.Canceled
        && Text == stored.Text && Title == stored.Title && SearchText == storedSearchText && Targets.SequenceEqual(stored.Targets)
        && Microseconds(CreatedAt) == Microseconds(stored.CreatedAt) && Microseconds(UpdatedAt) == Microseconds(stored.UpdatedAt);

    private static long Microseconds(DateTimeOffset time) => time.UtcTicks / TimeSpan.TicksPerMicrosecond;
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
